#pragma once
// Client internals: one request's curl easy handle, set up from a ClientRequest and read back
// into a ClientResponse. The multi-handle plumbing lives in client.cpp.

#include "common/http/client.hpp"
#include "common/http/curl_library.hpp"

#include <functional>

namespace m2g::http::detail {

class Multi;

/// A request on its way: what was asked, what came back, and who to tell.
struct Transfer {
  Transfer() = default;
  ~Transfer() { curl().slist_free_all(header_list); }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy = nullptr;
  Multi* multi = nullptr; // the multi handle running it
  ClientRequest request;
  ClientResponse response;
  std::function<void(ClientResponse&&)> done;
  curl_slist* header_list = nullptr;
  char error[CURL_ERROR_SIZE] = {};
};

/// Set every option of `transfer.easy` for its request (the handle must be fresh or reset).
CURLcode prepare(Transfer& transfer, long buffer_size);

/// Reset `easy` for its next request, keeping what must hold between requests too.
void reset_handle(CURL* easy);

/// Fill `transfer.response` once curl finished the transfer with `result`.
void finish(Transfer& transfer, CURLcode result);

/// A response for a transfer that never started (curl refused it).
void fail_response(ClientResponse& response, int curl_code, std::string_view message);

} // namespace m2g::http::detail
