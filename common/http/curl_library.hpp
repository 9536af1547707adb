#pragma once
// libcurl, loaded when a request first needs it. Every stage is its own process, and most talk
// plain http:// to local services through PlainClient; linked in, libcurl and its ~25
// dependencies (OpenSSL, GnuTLS via librtmp, Kerberos, LDAP, libssh2, ...) would still be
// mapped and relocated in each of them: ~5 MB of resident pages per process for nothing. So
// libcurl is not linked: the first Client dlopen()s libcurl.so.4 (the ABI libcurl4-openssl-dev's
// headers describe), resolves the functions common/http calls into one table, and runs
// curl_global_init, once per process.

#include "common/core/error.hpp"

#include <curl/curl.h>

namespace m2g::http::detail {

/// The library loaded: libcurl's soname, so any flavour of the 7.x/8.x ABI will do.
inline constexpr const char* k_curl_library = "libcurl.so.4";

/// The libcurl functions common/http calls, resolved from the loaded library. The types come
/// from curl.h, so a call through the table is checked as a call to libcurl itself.
struct CurlLibrary {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_version_info) version_info = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_reset) easy_reset = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&::curl_multi_setopt) multi_setopt = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_multi_socket_action) multi_socket_action = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_multi_strerror) multi_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
};

/// Open the shared library `file` and resolve every function of CurlLibrary from it, without
/// starting it. Fails (78) with a message that names the library and says why.
Result<CurlLibrary> open_curl_library(const char* file);

/// libcurl, loaded and started (curl_global_init) on first use, once per process; later calls
/// return the same table. Throws Error (78, EX_CONFIG) when it cannot be loaded: the URLs
/// configured need libcurl and this installation lacks it, which no restart can fix (m2g-bot
/// stops on 78 and retries 69, the code of a remote that refuses).
const CurlLibrary& curl();

} // namespace m2g::http::detail
