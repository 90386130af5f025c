#ifndef RDB_CURL_SHIMS_H
#define RDB_CURL_SHIMS_H

#include <curl/curl.h>

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
