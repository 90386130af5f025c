#include "CCurlShims.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

// The soname Debian's libcurl4-openssl-dev links as -lcurl; libcurl's ABI has kept it since 2006.
#define RDB_LIBCURL_SONAME "libcurl.so.4"

/// libcurl's functions, found by dlsym once libcurl is open; all NULL until then.
static struct {
  CURLcode (*global_init)(long);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *);
  void (*easy_reset)(CURL *);
  CURLcode (*easy_perform)(CURL *);
  const char *(*easy_strerror)(CURLcode);
  struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
  void (*slist_free_all)(struct curl_slist *);
  CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
  CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
} curl;

static pthread_once_t open_once = PTHREAD_ONCE_INIT;
static int opened = 0;
static const char *open_failure = NULL;

/// Fills `curl` from the library; 0, with open_failure set, when a function is missing.
static int resolve(void *library) {
#define RDB_RESOLVE(field, name)                                                                  \
  if (!(*(void **)&curl.field = dlsym(library, name))) {                                          \
    open_failure = dlerror();                                                                     \
    return 0;                                                                                     \
  }
  RDB_RESOLVE(global_init, "curl_global_init")
  RDB_RESOLVE(easy_init, "curl_easy_init")
  RDB_RESOLVE(easy_cleanup, "curl_easy_cleanup")
  RDB_RESOLVE(easy_reset, "curl_easy_reset")
  RDB_RESOLVE(easy_perform, "curl_easy_perform")
  RDB_RESOLVE(easy_strerror, "curl_easy_strerror")
  RDB_RESOLVE(slist_append, "curl_slist_append")
  RDB_RESOLVE(slist_free_all, "curl_slist_free_all")
  RDB_RESOLVE(easy_setopt, "curl_easy_setopt")
  RDB_RESOLVE(easy_getinfo, "curl_easy_getinfo")
#undef RDB_RESOLVE
  return 1;
}

static void open_library(void) {
  void *library = dlopen(RDB_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    open_failure = dlerror();
    return;
  }
  opened = resolve(library);
}

int rdb_curl_open(void) {
  pthread_once(&open_once, open_library);
  return opened;
}

const char *rdb_curl_open_failure(void) { return open_failure; }

CURLcode rdb_curl_global_init(long flags) { return curl.global_init(flags); }

CURL *rdb_curl_easy_init(void) { return curl.easy_init(); }

void rdb_curl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }

void rdb_curl_easy_reset(CURL *handle) { curl.easy_reset(handle); }

CURLcode rdb_curl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }

const char *rdb_curl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }

struct curl_slist *rdb_curl_slist_append(struct curl_slist *list, const char *string) {
  return curl.slist_append(list, string);
}

void rdb_curl_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }

CURLcode rdb_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl.easy_setopt(handle, option, value);
}

CURLcode rdb_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl.easy_setopt(handle, option, value);
}

CURLcode rdb_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl.easy_setopt(handle, option, value);
}

CURLcode rdb_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
  return curl.easy_setopt(handle, option, value);
}

CURLcode rdb_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
  return curl.easy_setopt(handle, option, value);
}

CURLcode rdb_curl_setopt_write_function(CURL *handle, CURLoption option,
                                        curl_write_callback callback) {
  return curl.easy_setopt(handle, option, callback);
}

CURLcode rdb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl.easy_getinfo(handle, info, value);
}
