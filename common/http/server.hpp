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
#include <optional>
#include <string>

namespace m2g::http {

/// Answers one request. Call it exactly once, inside the handler or later (e.g. from a timer).
/// Copies share one state: only the first call counts. Calling it after the client went away,
/// or after the Server was destroyed, does nothing.
using Responder = std::function<void(Response)>;

/// Handles one request; it owns the request and must eventually call (or drop) the responder.
/// A handler that throws is answered with 500.
using Handler = std::function<void(Request&&, Responder)>;

/// Looks at a request whose head (request line and headers) is parsed and whose body has not
/// been read yet. A response refuses the request: it is sent, the connection is closed and the
/// body is never read (an unauthenticated client cannot make the server buffer a megabyte).
/// nullopt lets the request go on to the Handler.
using HeadCheck = std::function<std::optional<Response>(const Request& head)>;

/// Limits and timeouts of a Server. The defaults suit the fakes and benchmarks (thousands of
/// trusted connections from one address); a server facing strangers (the webhook) sets the
/// request deadline, the per-peer cap and a head check.
struct ServerOptions {
  size_t max_body_bytes = 64 << 20;   ///< larger bodies are answered with 413
  size_t max_header_bytes = 64 << 10; ///< a larger request line + headers gets 431
  Millis idle_timeout{60000};         ///< close connections with no request in flight, silent this long
  size_t max_connections = 100000;    ///< beyond this, accepting pauses until one closes
  /// A request's head and body must arrive whole within this time of its first byte, however
  /// steadily the bytes trickle in (slowloris); else it is answered 408 and the connection is
  /// closed. Zero: no deadline, only the idle timeout.
  Millis request_timeout{0};
  /// Connections from one peer address (any port) beyond this are closed as soon as they are
  /// accepted, so one client cannot take every slot. Zero: no cap.
  size_t max_connections_per_peer = 0;
  /// Run on every request's head before its body is read (see HeadCheck); empty: none.
  HeadCheck check_head;
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
  /// Connections closed at once because their peer already held max_connections_per_peer.
  uint64_t refused_total() const;

private:
  std::shared_ptr<detail::ServerCore> m_core;
};

} // namespace m2g::http
