#ifndef RDB_CURL_SHIMS_H
#define RDB_CURL_SHIMS_H

#include <curl/curl.h>

// libcurl is opened with dlopen by rdb_curl_open, before the first S3 transfer, instead of being
// linked: loading it and the two dozen libraries it needs (TLS, Kerberos, LDAP, SSH, …) took
// about 4 ms of every rdbtool run's start, S3 or not. Each rdb_curl_ entry below forwards to
// the libcurl function of the same name; call them only after rdb_curl_open returned 1.

/// Opens libcurl and finds its functions, once for the process (later calls return the first
/// call's answer): 1 on success, 0 when it cannot be opened; rdb_curl_open_failure says why.
int rdb_curl_open(void);
/// dlerror's message for why rdb_curl_open failed, or NULL when it did not.
const char *rdb_curl_open_failure(void);

CURLcode rdb_curl_global_init(long flags);

CURL *rdb_curl_easy_init(void);
void rdb_curl_easy_cleanup(CURL *handle);
void rdb_curl_easy_reset(CURL *handle);
CURLcode rdb_curl_easy_perform(CURL *handle);
const char *rdb_curl_easy_strerror(CURLcode code);
struct curl_slist *rdb_curl_slist_append(struct curl_slist *list, const char *string);
void rdb_curl_slist_free_all(struct curl_slist *list);

// curl_easy_setopt and curl_easy_getinfo are variadic; Swift cannot call C variadics, so
// there is one typed entry per argument kind. Each one only forwards its arguments.

CURLcode rdb_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode rdb_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode rdb_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode rdb_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode rdb_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode rdb_curl_setopt_write_function(CURL *handle, CURLoption option,
                                        curl_write_callback callback);
CURLcode rdb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
