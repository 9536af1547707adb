#include "common/http/transfer.hpp"

#include "common/core/log.hpp"
#include "common/http/text.hpp"
#include "common/net/ca_file.hpp"

namespace m2g::http::detail {
namespace {

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  transfer->response.body.append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  if (line.substr(0, 5) == "HTTP/") {
    transfer->response.headers.clear(); // a new response starts (after 100 Continue, say)
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    transfer->response.headers.push_back(
        Header{std::string(text::trim(line.substr(0, colon))), std::string(text::trim(line.substr(colon + 1)))});
  }
  return size * count;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

} // namespace

CURLcode prepare(Transfer& transfer, long buffer_size) {
  CURL* easy = transfer.easy;
  const ClientRequest& request = transfer.request;
  CURLcode rc = CURLE_OK;
  auto set = [&rc](CURLcode result) {
    if (rc == CURLE_OK) {
      rc = result;
    }
  };
  set(curl().easy_setopt(easy, CURLOPT_PRIVATE, &transfer));
  set(curl().easy_setopt(easy, CURLOPT_URL, request.url.c_str()));
  set(curl().easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L));
  set(curl().easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count())));
  set(curl().easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count())));
  if (const std::string& ca = net::ca_file(); !ca.empty()) {
    set(curl().easy_setopt(easy, CURLOPT_CAINFO, ca.c_str())); // --ca-file / M2G_CA_FILE
  }
  // Curl allocates the buffer when the transfer starts and keeps it with the handle; a Client
  // sets one size for all its handles. Out-of-range sizes are clamped by curl, not refused.
  curl().easy_setopt(easy, CURLOPT_BUFFERSIZE, buffer_size);
  set(curl().easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error));
  set(curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body));
  set(curl().easy_setopt(easy, CURLOPT_WRITEDATA, &transfer));
  set(curl().easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header));
  set(curl().easy_setopt(easy, CURLOPT_HEADERDATA, &transfer));
  // Plain http:// is always one of our fakes or a local service: no HTTP/2 upgrade dance.
  if (starts_with_nocase(request.url, "http://")) {
    set(curl().easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)));
  }

  const std::string& method = request.method;
  if (method == "GET" && request.body.empty()) {
    set(curl().easy_setopt(easy, CURLOPT_HTTPGET, 1L));
  } else if (method == "HEAD") {
    set(curl().easy_setopt(easy, CURLOPT_NOBODY, 1L));
  } else {
    if (method == "POST" || method == "PUT" || method == "PATCH" || !request.body.empty()) {
      set(curl().easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size())));
      set(curl().easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data()));
    }
    if (method != "POST") {
      set(curl().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str()));
    }
  }

  for (const auto& header : request.headers) {
    transfer.header_list = curl().slist_append(transfer.header_list, header.c_str());
  }
  // An empty "Expect:" stops curl from waiting a round trip for "100 Continue" on big bodies.
  transfer.header_list = curl().slist_append(transfer.header_list, "Expect:");
  if (transfer.header_list == nullptr) {
    return CURLE_OUT_OF_MEMORY;
  }
  set(curl().easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.header_list));
  return rc;
}

void reset_handle(CURL* easy) {
  curl().easy_reset(easy);
  // Without it curl swaps the SIGPIPE handler in and out (three syscalls) around the handle's
  // cleanup, for each of thousands of pooled handles when the client goes.
  curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
}

void finish(Transfer& transfer, CURLcode result) {
  ClientResponse& response = transfer.response;
  long status = 0;
  curl().easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
  double seconds = 0;
  curl().easy_getinfo(transfer.easy, CURLINFO_TOTAL_TIME, &seconds);
  response.seconds = seconds;
  response.curl_code = static_cast<int>(result);
  if (result == CURLE_OK) {
    response.status = static_cast<int>(status);
    return;
  }
  response.status = 0; // a cut-off answer is not an answer
  response.error = log::redact(transfer.error[0] != '\0' ? std::string(transfer.error) : curl().easy_strerror(result));
}

void fail_response(ClientResponse& response, int curl_code, std::string_view message) {
  response.status = 0;
  response.curl_code = curl_code;
  response.error = log::redact(std::string(message));
}

} // namespace m2g::http::detail
