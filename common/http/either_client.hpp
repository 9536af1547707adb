#pragma once
// The HTTP client a stage talks through when it should not care which one sends: each request
// goes out on PlainClient when --http-client allows it for its URL, else on libcurl's Client,
// created at its first request. A bot whose Telegram, LLM and GitHub are all plain http:// (the
// bench's fakes, a local model) then never loads libcurl at all: it is not linked, so its ~25
// libraries are never mapped (~5 MB per process), and ~11 KB less per request in flight.

#include "common/event/loop.hpp"
#include "common/http/client.hpp"
#include "common/http/plain_client.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace m2g::http {

/// Whether libcurl would send through a proxy: http_proxy, all_proxy or ALL_PROXY is set.
bool proxy_configured();

/// Whether a request to `url` goes out on PlainClient: `choice` is "plain", or "auto" with an
/// http:// URL without credentials and no proxy in the environment (`proxy`).
bool use_plain_client(std::string_view choice, std::string_view url, bool proxy = proxy_configured());

class EitherClient final : public Sender {
public:
  /// `choice`: auto, curl or plain (as use_plain_client). The Loop must outlive the client.
  EitherClient(event::Loop& loop, std::string choice, ClientOptions curl = {}, PlainClientOptions plain = {});
  ~EitherClient();

  void send(ClientRequest request, std::function<void(ClientResponse&&)> done) override;
  size_t in_flight() const override;
  size_t queued() const override;

private:
  event::Loop& m_loop;
  std::string m_choice;
  bool m_proxy; ///< proxy_configured(), read once: the environment does not change under a stage
  ClientOptions m_curl_options;
  PlainClientOptions m_plain_options;
  std::unique_ptr<PlainClient> m_plain;
  std::unique_ptr<Client> m_curl;
};

} // namespace m2g::http
