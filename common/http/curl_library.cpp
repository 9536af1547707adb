#include "common/http/curl_library.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/shared_library.hpp"

#include <fstream>
#include <string>

namespace m2g::http::detail {
namespace {

Failure cannot_load(const char* file, const std::string& why) {
  return fail(exit_code::k_config, std::string("cannot load '") + file +
                                       "', which https://, proxies and URLs with credentials need: " + why);
}

// Threads of this process now, from /proc/self/status (1 when it cannot tell).
int thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) {
      return std::stoi(line.substr(8));
    }
  }
  return 1;
}

CurlLibrary start_curl() {
  CurlLibrary library = open_curl_library(k_curl_library).take_or_throw();
  // curl_global_init also starts the libraries under libcurl (OpenSSL, libssh2, ...). Since
  // 7.84 libcurl makes that safe while other threads run and says so with
  // CURL_VERSION_THREADSAFE (Debian 12's 7.88 does); an older one must start before any other
  // thread, which loading on first use cannot promise once m2g-commit's workers run.
  const curl_version_info_data* info = library.version_info(CURLVERSION_NOW);
  if ((info->features & CURL_VERSION_THREADSAFE) == 0 && thread_count() > 1) {
    throw Error(exit_code::k_config, std::string("libcurl ") + info->version +
                                         " cannot be started once other threads run (it lacks "
                                         "CURL_VERSION_THREADSAFE): install libcurl 7.84 or later");
  }
  if (CURLcode rc = library.global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    throw Error(exit_code::k_config, std::string("cannot start libcurl: ") + library.easy_strerror(rc));
  }
  return library;
}

} // namespace

Result<CurlLibrary> open_curl_library(const char* file) {
  SymbolLoader loader(file);
  if (!loader.opened()) {
    return cannot_load(file, loader.error());
  }
  CurlLibrary library;
  loader.resolve(library.global_init, "curl_global_init");
  loader.resolve(library.version_info, "curl_version_info");
  loader.resolve(library.easy_init, "curl_easy_init");
  loader.resolve(library.easy_cleanup, "curl_easy_cleanup");
  loader.resolve(library.easy_reset, "curl_easy_reset");
  loader.resolve(library.easy_setopt, "curl_easy_setopt");
  loader.resolve(library.easy_getinfo, "curl_easy_getinfo");
  loader.resolve(library.easy_strerror, "curl_easy_strerror");
  loader.resolve(library.multi_init, "curl_multi_init");
  loader.resolve(library.multi_cleanup, "curl_multi_cleanup");
  loader.resolve(library.multi_setopt, "curl_multi_setopt");
  loader.resolve(library.multi_add_handle, "curl_multi_add_handle");
  loader.resolve(library.multi_remove_handle, "curl_multi_remove_handle");
  loader.resolve(library.multi_socket_action, "curl_multi_socket_action");
  loader.resolve(library.multi_info_read, "curl_multi_info_read");
  loader.resolve(library.multi_strerror, "curl_multi_strerror");
  loader.resolve(library.slist_append, "curl_slist_append");
  loader.resolve(library.slist_free_all, "curl_slist_free_all");
  if (std::string lacking = loader.finish(); !lacking.empty()) {
    return cannot_load(file, lacking);
  }
  return library; // libcurl stays loaded: it keeps global state
}

const CurlLibrary& curl() {
  // A failed start throws out of the initializer, so the next call tries again.
  static const CurlLibrary library = start_curl();
  return library;
}

} // namespace m2g::http::detail
