#pragma once
// Helpers for the HTTP tests: drive a Loop until something happened (never sleep), and a raw
// loopback socket for requests no well-behaved client would send.

#include "common/event/loop.hpp"
#include "common/http/sender.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <optional>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace m2g::test {

/// Dispatch `loop` until `done()` holds or `limit` passes; returns done().
template <typename Predicate> bool run_until(event::Loop& loop, Predicate done, Millis limit = Millis(20000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    loop.run_once(Millis(100));
  }
  return true;
}

/// Send one request and run the loop until its answer is back.
inline http::ClientResponse fetch(event::Loop& loop, http::Sender& client, http::ClientRequest request) {
  std::optional<http::ClientResponse> out;
  client.send(std::move(request), [&](http::ClientResponse&& response) { out = std::move(response); });
  REQUIRE(run_until(loop, [&] { return out.has_value(); }));
  return std::move(*out);
}

/// A GET of `url`, sent and answered as fetch() above.
inline http::ClientResponse fetch(event::Loop& loop, http::Sender& client, const std::string& url) {
  http::ClientRequest request;
  request.url = url;
  return fetch(loop, client, std::move(request));
}

/// A plain TCP connection to 127.0.0.1:port whose received bytes collect in received() as the
/// loop runs; closed() turns true when the server closes its side.
class RawClient {
public:
  RawClient(event::Loop& loop, int port) : m_loop(loop) {
    m_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // The kernel completes a loopback handshake from the backlog, before any accept().
    m_connected = connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    m_loop.watch(m_fd, event::k_readable, [this](uint32_t) { on_readable(); });
  }
  ~RawClient() { close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return m_connected; }
  /// Write all of `bytes` (small: the server is not reading while this runs).
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  const std::string& received() const { return m_received; }
  bool closed() const { return m_closed; }
  /// Close our side now (a client giving up).
  void close() {
    if (m_fd >= 0) {
      m_loop.unwatch(m_fd);
      ::close(m_fd);
      m_fd = -1;
    }
  }

private:
  void on_readable() {
    char buffer[65536];
    ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      m_received.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      m_closed = true;
      close();
    }
  }

  event::Loop& m_loop;
  int m_fd = -1;
  bool m_connected = false;
  bool m_closed = false;
  std::string m_received;
};

/// How many times `needle` occurs in `text`.
inline size_t count_of(std::string_view text, std::string_view needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

} // namespace m2g::test
