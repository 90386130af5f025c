#ifndef RDB_CRYPTO_SHIMS_H
#define RDB_CRYPTO_SHIMS_H

#include <openssl/evp.h>

// libcrypto is opened with dlopen by rdb_crypto_open, before the first digest, instead of being
// linked: loading it took about 1 ms of every rdbtool run's start, S3 or not. Each rdb_ entry
// below forwards to the OpenSSL function of the same name; call them only after rdb_crypto_open
// returned 1.

/// Opens libcrypto and finds its functions, once for the process (later calls return the first
/// call's answer): 1 on success, 0 when it cannot be opened; rdb_crypto_open_failure says why.
int rdb_crypto_open(void);
/// dlerror's message for why rdb_crypto_open failed, or NULL when it did not.
const char *rdb_crypto_open_failure(void);

unsigned char *rdb_SHA256(const unsigned char *data, size_t count, unsigned char *digest);
unsigned char *rdb_SHA1(const unsigned char *data, size_t count, unsigned char *digest);
unsigned char *rdb_HMAC(const EVP_MD *type, const void *key, int key_count,
                        const unsigned char *data, size_t count, unsigned char *digest,
                        unsigned int *digest_count);
int rdb_EVP_Digest(const void *data, size_t count, unsigned char *digest,
                   unsigned int *digest_count, const EVP_MD *type, ENGINE *engine);
const EVP_MD *rdb_EVP_sha256(void);
const EVP_MD *rdb_EVP_md5(void);

#endif
