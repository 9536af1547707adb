#pragma once
// An HTTP/1.1 server on the shared event loop: non-blocking sockets, keep-alive, pipelining
// in order, and responses that may come much later (a fake server delaying 10,000 answers
// by seconds holds them as timers, not threads). Handlers run on the loop.

#include "common/core/clock.hpp"
#include "common/core/error.hpp"
#include "common/event/loop.hpp"
#include "common/http/message.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace m2g::http {

/// Answers one request. Call it exactly once, inside the handler or later (e.g. from a timer).
/// Copies share one state: only the first call counts. Calling it after the client went away,
/// or after the Server was destroyed, does nothing.
using Responder = std::function<void(Response)>;

/// Handles one request; it owns the request and must eventually call (or drop) the responder.
/// A handler that throws is answered with 500.
using Handler = std::function<void(Request&&, Responder)>;

/// Limits and timeouts of a Server.
struct ServerOptions {
  size_t max_body_bytes = 64 << 20;   ///< larger bodies are answered with 413
  size_t max_header_bytes = 64 << 10; ///< a larger request line + headers gets 431
  Millis idle_timeout{60000};         ///< close connections with no request in flight, silent this long
  size_t max_connections = 100000;    ///< beyond this, accepting pauses until one closes
};

namespace detail {
class ServerCore;
}

/// The server. The Loop must outlive it; responders may outlive it (they turn into no-ops).
class Server {
public:
  /// A server whose handler runs on `loop`; nothing is accepted before listen().
  Server(event::Loop& loop, Handler handler, ServerOptions options = {});
  /// Closes the listener and every connection at once; pending responders become no-ops.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Listen on `host`:`port` (port 0: an ephemeral port, see port()). Raises the fd soft limit
  /// to the hard limit so that 10,000+ connections fit.
  Result<void> listen(const std::string& host, int port);
  /// The port listened on, or -1 before listen().
  int port() const;
  /// Stop accepting; idle connections close now, busy ones after their current response.
  void close();
  /// Connections open now.
  size_t connections() const;
  /// Connections accepted since construction (keep-alive makes this far below requests).
  uint64_t accepted_total() const;

private:
  std::shared_ptr<detail::ServerCore> m_core;
};

} // namespace m2g::http
