#pragma once
// An asynchronous HTTP client on the shared event loop: libcurl's multi-socket interface with
// its sockets and timer driven by event::Loop, so thousands of requests can be in flight from
// one thread. Requests beyond max_inflight wait in a FIFO inside the client (not inside curl,
// where the wait would eat into each request's timeout). libcurl is not linked: the first Client
// a process makes loads it (curl_library.hpp), so one that never makes one never maps it.

#include "common/core/clock.hpp"
#include "common/event/loop.hpp"
#include "common/http/message.hpp"
#include "common/http/sender.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::http {

/// Concurrency limits of a Client.
struct ClientOptions {
  size_t max_inflight = 1000;    ///< transfers running at once; the rest wait in FIFO order
  long max_host_connections = 0; ///< connections per host (0: no cap); curl queues the excess
  /// Receive buffer of each transfer (CURLOPT_BUFFERSIZE; curl takes 1 KiB to 512 KiB). Every
  /// transfer in flight holds one, so a client of thousands of small answers wants it small.
  long buffer_size = 16 << 10;
};

namespace detail {
class ClientCore;
}

/// The client. The Loop must outlive it. Not thread-safe: use it from the loop's thread.
class Client final : public Sender {
public:
  /// Also raises the fd soft limit to the hard limit, as thousands of sockets need it. The first
  /// Client of a process loads and starts libcurl: throws Error (78) when it cannot.
  explicit Client(event::Loop& loop, ClientOptions options = {});
  /// Aborts transfers still running or queued; their callbacks are not called.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Start (or queue) `request`; `done` runs later on the loop, never inside send() itself.
  /// `done` may call send() again, or destroy the Client.
  void send(ClientRequest request, std::function<void(ClientResponse&&)> done) override;
  /// Transfers running now.
  size_t in_flight() const override;
  /// Requests waiting for a free slot.
  size_t queued() const override;

private:
  std::unique_ptr<detail::ClientCore> m_core;
};

} // namespace m2g::http
