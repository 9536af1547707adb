#include "common/http/connection.hpp"

#include "common/core/log.hpp"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace m2g::http::detail {
namespace {

constexpr size_t k_max_pending_input = 1 << 20;    // stop reading a pipelining client beyond this
constexpr size_t k_max_pending_output = 256 << 10; // don't start the next request beyond this
constexpr size_t k_read_budget = 1 << 20;          // per readiness event, so one client cannot starve others
constexpr size_t k_keep_capacity = 64 << 10;       // larger idle buffers are freed
constexpr Millis k_linger_timeout{2000};

} // namespace

Connection::Connection(std::shared_ptr<ServerCore> core, int fd, std::string peer, std::string peer_address)
    : m_core(std::move(core)), m_fd(fd), m_peer(std::move(peer)), m_peer_address(std::move(peer_address)),
      m_parser(m_core->options.max_header_bytes, m_core->options.max_body_bytes), m_last_active(m_core->loop.now()) {}

Connection::~Connection() {
  if (m_fd >= 0) {
    m_core->loop.unwatch(m_fd);
    ::close(m_fd);
  }
}

void Connection::start() {
  m_interest = event::k_readable;
  // A raw pointer is enough: close_now() unwatches before the core lets go of this object.
  m_core->loop.watch(m_fd, m_interest, [this](uint32_t events) { on_event(events); });
}

void Connection::on_event(uint32_t events) {
  auto self = shared_from_this(); // a callback below may close and release this connection
  if (events & event::k_writable) {
    flush();
    if (m_fd < 0) {
      return;
    }
    process_input(); // answers drained: a pipelined request may go next
  }
  // Errors and hangups are read too: recv() reports them, and a stale event for a reused fd
  // number then just finds EAGAIN instead of closing the new connection.
  if (m_fd >= 0 && (events & (event::k_readable | event::k_error | event::k_hangup))) {
    read_input((events & (event::k_error | event::k_hangup)) != 0);
  }
}

void Connection::read_input(bool forced) {
  std::string& buffer = m_core->read_buffer;
  size_t total = 0;
  while (total < k_read_budget) {
    if (!forced && !m_lingering && pending_input() >= k_max_pending_input) {
      break; // a pipelining client is far ahead; update_interest() stops reading
    }
    ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), 0);
    if (n > 0) {
      total += static_cast<size_t>(n);
      m_last_active = m_core->loop.now();
      if (!m_lingering) {
        m_in.append(buffer.data(), static_cast<size_t>(n));
      }
      if (static_cast<size_t>(n) < buffer.size()) {
        break; // drained for now; level-triggered epoll reports EOF on the next round
      }
    } else if (n == 0) {
      m_read_eof = true;
      break;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      break;
    } else {
      close_now(); // reset by the peer, or another hard error
      return;
    }
  }
  if (m_lingering) {
    if (m_read_eof) {
      close_now();
    }
    return;
  }
  process_input();
  if (m_fd < 0 || !m_read_eof) {
    return;
  }
  // The client stopped sending. A request still waiting for its answer is abandoned (its
  // responder becomes a no-op); answers already written are flushed before closing.
  if (m_busy || pending_output() == 0) {
    close_now();
  } else {
    m_close_after_flush = true;
    m_hard_close = true;
    update_interest();
  }
}

void Connection::process_input() {
  if (m_processing || m_fd < 0) {
    return;
  }
  m_processing = true;
  while (!m_busy && m_fd >= 0 && !m_close_after_flush && !m_lingering && pending_input() > 0 &&
         pending_output() < k_max_pending_output) {
    m_in_pos += m_parser.feed(std::string_view(m_in).substr(m_in_pos));
    RequestParser::State state = m_parser.state();
    if (state != RequestParser::State::failed && !m_head_checked && m_parser.head_done() &&
        m_core->options.check_head) {
      m_head_checked = true;
      Request& head = m_parser.request();
      head.peer = m_peer;
      if (auto refusal = m_core->options.check_head(head)) {
        refuse_head(std::move(*refusal));
        break;
      }
    }
    if (state == RequestParser::State::failed) {
      send_error(m_parser.error_status());
    } else if (state == RequestParser::State::complete) {
      dispatch();
    } else {
      if (m_parser.take_continue()) {
        m_out += "HTTP/1.1 100 Continue\r\n\r\n";
      }
      break;
    }
  }
  m_processing = false;
  if (m_fd < 0) {
    return;
  }
  track_request_start();
  // Keep the unparsed tail at the front, without moving bytes on every request. A buffer that
  // held a big upload is given back, or 10,000 idle connections would each keep theirs.
  if (m_in_pos == m_in.size()) {
    if (m_in.capacity() > k_keep_capacity) {
      std::string().swap(m_in);
    }
    m_in.clear();
    m_in_pos = 0;
  } else if (m_in_pos > (64 << 10)) {
    m_in.erase(0, m_in_pos);
    m_in_pos = 0;
  }
  flush();
}

void Connection::dispatch() {
  m_keep_alive = m_parser.keep_alive() && !m_core->draining;
  m_http10 = m_parser.http10();
  Request request = m_parser.take();
  request.peer = m_peer;
  m_head_checked = false;
  m_request_open = false;
  m_head = request.method == "HEAD";
  m_busy = true;
  uint64_t seq = ++m_seq;
  std::weak_ptr<Connection> weak = weak_from_this();
  Responder responder = [weak, seq](Response response) {
    if (auto connection = weak.lock()) {
      connection->respond(seq, std::move(response));
    }
  };
  try {
    m_core->handler(std::move(request), std::move(responder));
  } catch (const std::exception& e) {
    log::error(std::string("http handler failed: ") + e.what());
    respond(seq, Response::text(500, "internal error\n"));
  } catch (...) {
    log::error("http handler failed with a non-standard exception");
    respond(seq, Response::text(500, "internal error\n"));
  }
}

void Connection::respond(uint64_t seq, Response&& response) {
  if (m_fd < 0 || !m_busy || seq != m_seq) {
    return;
  }
  m_busy = false;
  m_last_active = m_core->loop.now();
  if (response.drop_connection) {
    m_close_after_flush = true;
    m_hard_close = true;
  } else {
    bool close = !m_keep_alive || iequals(find_header(response.headers, "Connection"), "close");
    append_response(m_out, response, Framing{m_head, close, m_http10});
    m_close_after_flush = close;
  }
  if (!m_processing) {
    process_input(); // writes the answer, then starts a pipelined request if one is waiting
  }
}

void Connection::track_request_start() {
  // The request deadline runs from the first byte of a request until it is handed to the
  // handler; a request waiting for its answer, or an idle keep-alive connection, is not timed.
  bool receiving = !m_busy && !m_lingering && !m_close_after_flush && (pending_input() > 0 || m_parser.head_done());
  if (!receiving) {
    m_request_open = false;
  } else if (!m_request_open) {
    m_request_open = true;
    m_request_started = m_core->loop.now();
  }
}

void Connection::refuse_head(Response&& response) {
  // The body is never read: the answer goes out with Connection: close, and lingering
  // discards whatever the client still sends.
  m_keep_alive = false;
  m_head = false;
  append_response(m_out, response, Framing{false, true, m_http10});
  m_close_after_flush = true;
}

void Connection::send_error(int status) {
  m_keep_alive = false;
  m_head = false;
  Response response = Response::text(status, std::string(reason_phrase(status)) + "\n");
  append_response(m_out, response, Framing{false, true, m_http10});
  m_close_after_flush = true;
}

void Connection::flush() {
  while (pending_output() > 0) {
    ssize_t n = ::send(m_fd, m_out.data() + m_out_pos, pending_output(), MSG_NOSIGNAL);
    if (n > 0) {
      m_out_pos += static_cast<size_t>(n);
      m_last_active = m_core->loop.now();
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    } else {
      close_now(); // EPIPE or reset: the client is gone
      return;
    }
  }
  if (pending_output() == 0) {
    if (m_out.capacity() > k_keep_capacity) {
      std::string().swap(m_out);
    }
    m_out.clear();
    m_out_pos = 0;
    if (m_close_after_flush && !m_busy) {
      if (m_hard_close) {
        close_now();
      } else {
        begin_linger();
      }
      return;
    }
  } else if (m_out_pos > (1 << 20)) {
    m_out.erase(0, m_out_pos);
    m_out_pos = 0;
  }
  update_interest();
}

void Connection::begin_linger() {
  // Closing with unread request bytes would make the kernel send a reset that can destroy
  // the answer in flight; half-close instead and wait for the client to close its side.
  if (m_lingering) {
    return;
  }
  ::shutdown(m_fd, SHUT_WR);
  m_lingering = true;
  m_linger_since = m_core->loop.now();
  m_in.clear();
  m_in_pos = 0;
  if (m_read_eof) {
    close_now();
    return;
  }
  update_interest();
}

void Connection::update_interest() {
  uint32_t wanted = 0;
  if (!m_read_eof && (m_lingering || pending_input() < k_max_pending_input)) {
    wanted |= event::k_readable;
  }
  if (pending_output() > 0) {
    wanted |= event::k_writable;
  }
  if (wanted != m_interest) {
    m_interest = wanted;
    m_core->loop.modify(m_fd, wanted);
  }
}

void Connection::close_now() {
  if (m_fd < 0) {
    return;
  }
  m_core->loop.unwatch(m_fd);
  ::close(m_fd);
  m_fd = -1;
  m_busy = false;
  m_core->connection_closed(this); // may drop the core's reference; callers hold their own
}

void Connection::drain() {
  m_keep_alive = false;
  if (m_busy) {
    return; // the answer will carry Connection: close
  }
  if (pending_input() == 0 && pending_output() == 0) {
    close_now();
  } else if (pending_output() > 0 && pending_input() == 0) {
    m_close_after_flush = true;
  }
}

void Connection::check_idle(TimePoint now) {
  if (m_lingering) {
    if (now - m_linger_since >= k_linger_timeout) {
      close_now();
    }
    return;
  }
  if (!m_busy && now - m_last_active >= m_core->options.idle_timeout) {
    close_now();
    return;
  }
  Millis deadline = m_core->options.request_timeout;
  if (deadline.count() > 0 && m_request_open && !m_busy && now - m_request_started >= deadline) {
    // Too slow to be a real client (or a slowloris): say so if the socket takes it, then close
    // without lingering, which would only give it more time.
    send_error(408);
    flush();
    close_now();
  }
}

} // namespace m2g::http::detail
