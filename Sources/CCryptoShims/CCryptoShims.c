#include "CCryptoShims.h"

#include <dlfcn.h>
#include <openssl/opensslv.h>
#include <pthread.h>
#include <stddef.h>

// The soname of the OpenSSL 3 libcrypto these headers describe.
#if OPENSSL_VERSION_MAJOR != 3
#error "CCryptoShims opens libcrypto.so.3: update RDB_LIBCRYPTO_SONAME for this OpenSSL"
#endif
#define RDB_LIBCRYPTO_SONAME "libcrypto.so.3"

/// libcrypto's functions, found by dlsym once libcrypto is open; all NULL until then.
static struct {
  unsigned char *(*sha256)(const unsigned char *, size_t, unsigned char *);
  unsigned char *(*sha1)(const unsigned char *, size_t, unsigned char *);
  unsigned char *(*hmac)(const EVP_MD *, const void *, int, const unsigned char *, size_t,
                         unsigned char *, unsigned int *);
  int (*evp_digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *,
                    ENGINE *);
  const EVP_MD *(*evp_sha256)(void);
  const EVP_MD *(*evp_md5)(void);
} crypto;

static pthread_once_t open_once = PTHREAD_ONCE_INIT;
static int opened = 0;
static const char *open_failure = NULL;

/// Fills `crypto` from the library; 0, with open_failure set, when a function is missing.
static int resolve(void *library) {
#define RDB_RESOLVE(field, name)                                                                  \
  if (!(*(void **)&crypto.field = dlsym(library, name))) {                                        \
    open_failure = dlerror();                                                                     \
    return 0;                                                                                     \
  }
  RDB_RESOLVE(sha256, "SHA256")
  RDB_RESOLVE(sha1, "SHA1")
  RDB_RESOLVE(hmac, "HMAC")
  RDB_RESOLVE(evp_digest, "EVP_Digest")
  RDB_RESOLVE(evp_sha256, "EVP_sha256")
  RDB_RESOLVE(evp_md5, "EVP_md5")
#undef RDB_RESOLVE
  return 1;
}

static void open_library(void) {
  void *library = dlopen(RDB_LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    open_failure = dlerror();
    return;
  }
  opened = resolve(library);
}

int rdb_crypto_open(void) {
  pthread_once(&open_once, open_library);
  return opened;
}

const char *rdb_crypto_open_failure(void) { return open_failure; }

unsigned char *rdb_SHA256(const unsigned char *data, size_t count, unsigned char *digest) {
  return crypto.sha256(data, count, digest);
}

unsigned char *rdb_SHA1(const unsigned char *data, size_t count, unsigned char *digest) {
  return crypto.sha1(data, count, digest);
}

unsigned char *rdb_HMAC(const EVP_MD *type, const void *key, int key_count,
                        const unsigned char *data, size_t count, unsigned char *digest,
                        unsigned int *digest_count) {
  return crypto.hmac(type, key, key_count, data, count, digest, digest_count);
}

int rdb_EVP_Digest(const void *data, size_t count, unsigned char *digest,
                   unsigned int *digest_count, const EVP_MD *type, ENGINE *engine) {
  return crypto.evp_digest(data, count, digest, digest_count, type, engine);
}

const EVP_MD *rdb_EVP_sha256(void) { return crypto.evp_sha256(); }

const EVP_MD *rdb_EVP_md5(void) { return crypto.evp_md5(); }
