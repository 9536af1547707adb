#pragma once
// Server internals: the state a Server shares with its connections, and one connection's state
// machine (read, parse, hand to the handler, write the answer, repeat or close).

#include "common/http/parser.hpp"
#include "common/http/server.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace m2g::http::detail {

class Connection;

/// How one response goes on the wire.
struct Framing {
  bool head = false;   // answer to HEAD: headers only
  bool close = false;  // announce Connection: close
  bool http10 = false; // an HTTP/1.0 client kept alive needs Connection: keep-alive
};

/// Append `response` to `out` as HTTP/1.1: status line, headers, Content-Length, body.
void append_response(std::string& out, const Response& response, Framing framing);

/// What a Server and its connections share. Connections hold it by shared_ptr, so a handler may
/// run to its end even if the Server is destroyed meanwhile.
class ServerCore : public std::enable_shared_from_this<ServerCore> {
public:
  ServerCore(event::Loop& loop, Handler handler, ServerOptions options);

  Result<void> listen(const std::string& host, int port);
  /// Server::close(): stop accepting and let connections finish.
  void stop_accepting_and_drain();
  /// ~Server(): close everything now.
  void shut_down();
  /// Called by a connection as it closes.
  void connection_closed(Connection* connection);

  event::Loop& loop;
  Handler handler;
  ServerOptions options;
  std::unordered_map<Connection*, std::shared_ptr<Connection>> connections;
  uint64_t accepted_total = 0;
  uint64_t refused_total = 0;                       // over the per-peer cap
  std::unordered_map<std::string, size_t> per_peer; // open connections per peer address
  int port = -1;
  bool draining = false;   // Server::close() was called: no more keep-alive
  std::string read_buffer; // one buffer for every read: the loop is single-threaded

private:
  void accept_ready();
  void pause_accepting(Millis retry);
  void arm_sweep();
  void sweep();
  void close_listener();

  int m_listen_fd = -1;
  bool m_accept_paused = false;
  event::TimerId m_retry_timer = 0;
  event::TimerId m_sweep_timer = 0;
};

/// One accepted socket. Requests on it are handled strictly one at a time, in order.
class Connection : public std::enable_shared_from_this<Connection> {
public:
  /// `peer` is "ip:port"; `peer_address` the ip alone, the key of the per-peer count.
  Connection(std::shared_ptr<ServerCore> core, int fd, std::string peer, std::string peer_address);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Start watching the socket.
  void start();
  /// The handler's answer to request `seq`; ignored unless that request is still waiting.
  void respond(uint64_t seq, Response&& response);
  /// Close the socket now; a later respond() is a no-op.
  void close_now();
  /// Finish the request in progress (if any) without keep-alive, then close.
  void drain();
  /// Close if silent too long with nothing in flight (or lingering too long), or if the request
  /// being received has outlived the request deadline.
  void check_idle(TimePoint now);
  const std::string& peer_address() const { return m_peer_address; }

private:
  void on_event(uint32_t events);
  void read_input(bool forced);
  void process_input();
  void dispatch();
  void send_error(int status);
  void refuse_head(Response&& response);
  void track_request_start();
  void flush();
  void begin_linger();
  void update_interest();
  size_t pending_input() const { return m_in.size() - m_in_pos; }
  size_t pending_output() const { return m_out.size() - m_out_pos; }

  std::shared_ptr<ServerCore> m_core;
  int m_fd;
  std::string m_peer;
  std::string m_peer_address;
  RequestParser m_parser;
  std::string m_in;
  size_t m_in_pos = 0;
  std::string m_out;
  size_t m_out_pos = 0;
  uint64_t m_seq = 0;       // id of the latest request handed to the handler
  bool m_busy = false;      // that request still waits for its response
  bool m_keep_alive = true; // ... and may be followed by another on this connection
  bool m_http10 = false;
  bool m_head = false;
  bool m_processing = false; // inside process_input(): answers are batched into one write
  bool m_close_after_flush = false;
  bool m_hard_close = false; // Response::drop(): no lingering
  bool m_read_eof = false;
  bool m_lingering = false;
  bool m_head_checked = false; // check_head ran for the request being parsed
  bool m_request_open = false; // bytes of a request not yet dispatched have arrived...
  TimePoint m_request_started; // ... since then (the request deadline counts from here)
  uint32_t m_interest = 0;
  TimePoint m_last_active;
  TimePoint m_linger_since;
};

} // namespace m2g::http::detail
