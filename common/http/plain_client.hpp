#pragma once
// A lean HTTP/1.1 client for plain http:// endpoints, on the shared event loop: one
// non-blocking socket per request in flight, idle connections kept for reuse, and nothing
// held per request while it waits but the socket and a 104-byte record (the request's bytes
// are freed once written; the deadlines share one loop timer). It exists for m2g-llm, whose
// 10,000 requests in flight to a local model cost 113 MB through libcurl (11.3 KB per
// transfer); anything that needs TLS, a proxy or redirects uses Client.

#include "common/event/loop.hpp"
#include "common/http/sender.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace m2g::http {

struct PlainClientOptions {
  size_t max_inflight = 1000; ///< requests on the wire at once; the rest wait in FIFO order
  size_t max_idle = 256;      ///< idle keep-alive connections kept per client
  Millis idle_timeout{30000}; ///< an idle connection unused this long is closed
};

namespace detail {
class PlainCore;
}

/// Whether PlainClient can send to `url` (http://, no credentials in it).
bool plain_client_can_send(std::string_view url);

/// The client. The Loop must outlive it. Not thread-safe: use it from the loop's thread.
class PlainClient final : public Sender {
public:
  explicit PlainClient(event::Loop& loop, PlainClientOptions options = {});
  /// Closes every connection; callbacks of requests still running or queued are not called.
  ~PlainClient();
  PlainClient(const PlainClient&) = delete;
  PlainClient& operator=(const PlainClient&) = delete;

  /// Start (or queue) `request`; `done` runs later on the loop. A URL this client cannot send
  /// to (https://, say) is answered as a transport error, CURLE_UNSUPPORTED_PROTOCOL (1).
  void send(ClientRequest request, std::function<void(ClientResponse&&)> done) override;
  size_t in_flight() const override;
  size_t queued() const override;
  /// Connections opened since construction (keep-alive makes this smaller than requests).
  uint64_t connections_opened() const;

private:
  std::unique_ptr<detail::PlainCore> m_core;
};

} // namespace m2g::http
