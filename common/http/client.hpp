#pragma once
// An asynchronous HTTP client on the shared event loop: libcurl's multi-socket interface with
// its sockets and timer driven by event::Loop, so thousands of requests can be in flight from
// one thread. Requests beyond max_inflight wait in a FIFO inside the client (not inside curl,
// where the wait would eat into each request's timeout).

#include "common/core/clock.hpp"
#include "common/event/loop.hpp"
#include "common/http/message.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::http {

/// One request to send.
struct ClientRequest {
  std::string method = "GET";
  std::string url;                  ///< http:// or https:// only; may carry secrets, so it is never logged raw
  std::vector<std::string> headers; ///< "Name: value" lines
  std::string body;                 ///< sent with POST, PUT and PATCH (even empty), and with others if non-empty
  Millis timeout{30000};            ///< the whole transfer, from the moment it leaves the client's queue
  Millis connect_timeout{10000};
};

/// The outcome of one request.
struct ClientResponse {
  int status = 0;              ///< the HTTP status; 0 = no complete HTTP response (a transport error)
  std::vector<Header> headers; ///< of the final response
  std::string body;            ///< after a transport error, whatever had arrived
  std::string error;           ///< curl's message for a transport error, secrets redacted; "" on success
  int curl_code = 0;           ///< CURLcode (e.g. 28 = timeout, 7 = cannot connect); 0 on success
  double seconds = 0;          ///< total transfer time

  /// The value of header `name` (case-insensitive), or "" if absent.
  std::string_view header(std::string_view name) const { return find_header(headers, name); }
  /// True when no HTTP response came back (connect failure, timeout, reset, ...).
  bool transport_error() const { return status == 0; }
};

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
class Client {
public:
  /// Also raises the fd soft limit to the hard limit, as thousands of sockets need it.
  explicit Client(event::Loop& loop, ClientOptions options = {});
  /// Aborts transfers still running or queued; their callbacks are not called.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Start (or queue) `request`; `done` runs later on the loop, never inside send() itself.
  /// `done` may call send() again, or destroy the Client.
  void send(ClientRequest request, std::function<void(ClientResponse&&)> done);
  /// Transfers running now.
  size_t in_flight() const;
  /// Requests waiting for a free slot.
  size_t queued() const;

private:
  std::unique_ptr<detail::ClientCore> m_core;
};

} // namespace m2g::http
