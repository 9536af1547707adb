#include "common/http/server.hpp"

#include "common/core/log.hpp"
#include "common/http/connection.hpp"
#include "common/http/socket.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace m2g::http {
namespace detail {
namespace {

constexpr int k_backlog = 4096;
constexpr int k_accepts_per_event = 256; // then let other fds have a turn
constexpr Millis k_accept_retry{100};    // after EMFILE: wait for fds to be freed

// "1.2.3.4:5678" -> "1.2.3.4", "[::1]:5678" -> "[::1]": the per-peer key ignores the port.
std::string address_of(const std::string& peer) {
  auto colon = peer.rfind(':');
  return colon == std::string::npos ? peer : peer.substr(0, colon);
}

std::vector<std::shared_ptr<Connection>> snapshot(const ServerCore& core) {
  std::vector<std::shared_ptr<Connection>> out;
  out.reserve(core.connections.size());
  for (const auto& [raw, connection] : core.connections) {
    out.push_back(connection);
  }
  return out;
}

} // namespace

ServerCore::ServerCore(event::Loop& loop_, Handler handler_, ServerOptions options_)
    : loop(loop_), handler(std::move(handler_)), options(options_), read_buffer(64 << 10, '\0') {}

Result<void> ServerCore::listen(const std::string& host, int port_) {
  if (m_listen_fd >= 0) {
    return fail(70, "the server already listens on port " + std::to_string(port));
  }
  raise_fd_limit();
  Result<int> fd = listen_socket(host, port_, k_backlog);
  if (!fd.ok()) {
    return fd.failure();
  }
  m_listen_fd = fd.value();
  port = local_port(m_listen_fd);
  loop.watch(m_listen_fd, event::k_readable, [this](uint32_t) { accept_ready(); });
  return {};
}

void ServerCore::accept_ready() {
  for (int i = 0; i < k_accepts_per_event; ++i) {
    if (connections.size() >= options.max_connections) {
      // Leave further clients in the backlog until a connection closes.
      m_accept_paused = true;
      loop.modify(m_listen_fd, 0);
      return;
    }
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    int fd = accept4(m_listen_fd, reinterpret_cast<sockaddr*>(&address), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) {
        continue;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        // Out of fds or memory: the pending connection stays readable, so stop polling for a
        // moment instead of spinning on the same error.
        log::warn(std::string("cannot accept a connection: ") + std::strerror(errno));
        pause_accepting(k_accept_retry);
      }
      return;
    }
    std::string peer = peer_name(address);
    std::string peer_address = address_of(peer);
    if (options.max_connections_per_peer > 0) {
      size_t& open = per_peer[peer_address];
      if (open >= options.max_connections_per_peer) {
        // Closed unread: this peer already holds its share, and the others keep theirs.
        ::close(fd);
        if (refused_total++ % 1000 == 0) {
          log::warn("closed a connection from " + peer_address + ": it already has " + std::to_string(open) +
                    " open (the per-peer cap; " + std::to_string(refused_total) + " refused so far)");
        }
        continue;
      }
      ++open;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto connection = std::make_shared<Connection>(shared_from_this(), fd, std::move(peer), std::move(peer_address));
    connections.emplace(connection.get(), connection);
    ++accepted_total;
    connection->start();
    arm_sweep();
  }
}

void ServerCore::pause_accepting(Millis retry) {
  m_accept_paused = true;
  loop.modify(m_listen_fd, 0);
  loop.cancel(m_retry_timer);
  m_retry_timer = loop.after(retry, [this] {
    m_retry_timer = 0;
    if (m_listen_fd >= 0) {
      m_accept_paused = false;
      loop.modify(m_listen_fd, event::k_readable);
    }
  });
}

void ServerCore::connection_closed(Connection* connection) {
  if (options.max_connections_per_peer > 0) {
    if (auto it = per_peer.find(connection->peer_address()); it != per_peer.end() && --it->second == 0) {
      per_peer.erase(it);
    }
  }
  connections.erase(connection);
  if (m_accept_paused && m_retry_timer == 0 && m_listen_fd >= 0 && connections.size() < options.max_connections) {
    m_accept_paused = false;
    loop.modify(m_listen_fd, event::k_readable);
  }
}

void ServerCore::arm_sweep() {
  if (m_sweep_timer != 0) {
    return;
  }
  // One timer checks every connection, rather than a timer per connection re-armed on every
  // read: idle timeouts need not be precise to the millisecond.
  Millis shortest = options.idle_timeout;
  if (options.request_timeout.count() > 0) {
    shortest = std::min(shortest, options.request_timeout);
  }
  Millis period = std::clamp(shortest / 4, Millis(10), Millis(1000));
  m_sweep_timer = loop.after(period, [this] {
    m_sweep_timer = 0;
    sweep();
  });
}

void ServerCore::sweep() {
  TimePoint now = loop.now();
  for (const auto& connection : snapshot(*this)) {
    connection->check_idle(now);
  }
  if (!connections.empty()) {
    arm_sweep();
  }
}

void ServerCore::close_listener() {
  if (m_listen_fd >= 0) {
    loop.unwatch(m_listen_fd);
    ::close(m_listen_fd);
    m_listen_fd = -1;
  }
  loop.cancel(m_retry_timer);
  m_retry_timer = 0;
}

void ServerCore::stop_accepting_and_drain() {
  close_listener();
  draining = true;
  for (const auto& connection : snapshot(*this)) {
    connection->drain();
  }
}

void ServerCore::shut_down() {
  close_listener();
  draining = true;
  loop.cancel(m_sweep_timer);
  m_sweep_timer = 0;
  for (const auto& connection : snapshot(*this)) {
    connection->close_now();
  }
}

} // namespace detail

Server::Server(event::Loop& loop, Handler handler, ServerOptions options)
    : m_core(std::make_shared<detail::ServerCore>(loop, std::move(handler), options)) {}

Server::~Server() {
  m_core->shut_down();
}

Result<void> Server::listen(const std::string& host, int port) {
  return m_core->listen(host, port);
}

int Server::port() const {
  return m_core->port;
}

void Server::close() {
  m_core->stop_accepting_and_drain();
}

size_t Server::connections() const {
  return m_core->connections.size();
}

uint64_t Server::accepted_total() const {
  return m_core->accepted_total;
}

uint64_t Server::refused_total() const {
  return m_core->refused_total;
}

} // namespace m2g::http
