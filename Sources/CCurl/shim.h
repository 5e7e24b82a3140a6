// Fixed-signature wrappers around libcurl's variadic calls. Swift cannot call C variadic functions
// (curl_easy_setopt, curl_easy_getinfo), so each option type gets a small inline function here.
#ifndef PODSTACK_CCURL_SHIM_H
#define PODSTACK_CCURL_SHIM_H
#include <curl/curl.h>

static inline CURLcode podstack_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode podstack_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode podstack_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode podstack_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode podstack_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*podstack_curl_data_callback)(char *, size_t, size_t, void *);
static inline CURLcode podstack_curl_setopt_data_callback(CURL *handle, CURLoption option, podstack_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}
typedef int (*podstack_curl_progress_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
static inline CURLcode podstack_curl_setopt_progress_callback(CURL *handle, CURLoption option, podstack_curl_progress_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}
static inline CURLcode podstack_curl_getinfo_long(CURL *handle, CURLINFO info, long *out) {
    return curl_easy_getinfo(handle, info, out);
}
#endif
