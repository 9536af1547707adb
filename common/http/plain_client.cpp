#include "common/http/plain_client.hpp"

#include "common/core/log.hpp"
#include "common/http/response_parser.hpp"
#include "common/http/socket.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace m2g::http {

// The CURLcode values a caller already knows from Client, for the same failures.
namespace {
constexpr int k_unsupported_protocol = 1;
constexpr int k_cannot_resolve = 6;
constexpr int k_cannot_connect = 7;
constexpr int k_weird_reply = 8;
constexpr int k_timed_out = 28;
constexpr int k_empty_reply = 52;
constexpr int k_send_error = 55;
constexpr int k_recv_error = 56;

// Where a URL points, split for the wire.
struct Target {
  std::string host;      // without brackets
  std::string authority; // host[:port] as written, for the Host header
  std::string port = "80";
  std::string path = "/";
};

bool split_url(std::string_view url, Target& target) {
  constexpr std::string_view scheme = "http://";
  if (url.size() < scheme.size() || !iequals(url.substr(0, scheme.size()), scheme)) {
    return false;
  }
  url.remove_prefix(scheme.size());
  size_t slash = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view rest = url.substr(slash);
    rest = rest.substr(0, rest.find('#'));
    target.path = rest.front() == '/' ? std::string(rest) : "/" + std::string(rest);
  }
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return false; // credentials in the URL are for Client (and never logged)
  }
  target.authority = std::string(authority);
  std::string_view host = authority;
  if (host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    std::string_view after = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return false;
      }
      target.port = std::string(after.substr(1));
    }
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    target.port = std::string(host.substr(colon + 1));
    host = host.substr(0, colon);
  }
  if (host.empty() || target.port.empty() || target.port.size() > 5 ||
      target.port.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  target.host = std::string(host);
  return true;
}

bool has_header(const std::vector<std::string>& headers, std::string_view name) {
  for (const auto& line : headers) {
    if (line.size() > name.size() && line[name.size()] == ':' &&
        iequals(std::string_view(line).substr(0, name.size()), name)) {
      return true;
    }
  }
  return false;
}

std::string wire_bytes(const ClientRequest& request, const Target& target) {
  std::string out;
  out.reserve(64 + target.path.size() + request.body.size() + 32 * request.headers.size());
  out.append(request.method).append(" ").append(target.path).append(" HTTP/1.1\r\n");
  if (!has_header(request.headers, "Host")) {
    out.append("Host: ").append(target.authority).append("\r\n");
  }
  for (const auto& line : request.headers) {
    // "Name:" with nothing after it is curl's way to remove a header: there is nothing to remove.
    if (!line.empty() && line.back() != ':') {
      out.append(line).append("\r\n");
    }
  }
  // A caller asking for chunked coding gets the body as one chunk, as Client (curl) would.
  if (has_header(request.headers, "Transfer-Encoding")) {
    char size[20];
    std::snprintf(size, sizeof size, "%zx", request.body.size());
    out.append("\r\n");
    if (!request.body.empty()) {
      out.append(size).append("\r\n").append(request.body).append("\r\n");
    }
    out.append("0\r\n\r\n");
    return out;
  }
  const std::string& m = request.method;
  if (!request.body.empty() || m == "POST" || m == "PUT" || m == "PATCH") {
    out.append("Content-Length: ").append(std::to_string(request.body.size())).append("\r\n");
  }
  out.append("\r\n").append(request.body);
  return out;
}

std::string errno_text(int error) {
  return std::strerror(error);
}

} // namespace

bool plain_client_can_send(std::string_view url) {
  Target target;
  return split_url(url, target);
}

namespace detail {

/// One host:port: its address, looked up once, and its idle connections.
struct Endpoint {
  std::string host, port;
  sockaddr_storage address{};
  socklen_t address_length = 0;
  struct Idle {
    int fd;
    TimePoint since;
  };
  std::vector<Idle> idle; // most recently used last
};

/// One request from leaving the queue to its answer.
struct Call {
  uint64_t id = 0;
  Endpoint* endpoint = nullptr;
  std::string wire; // the request's bytes: freed once written, unless the connection was reused
  size_t written = 0;
  int fd = -1;
  bool connecting = false;
  bool reused = false;
  bool head = false;
  Millis timeout{0}, connect_timeout{0};
  TimePoint started{};
  event::TimerId timer = 0;
  ResponseParser parser;
  std::function<void(ClientResponse&&)> done;
  std::pair<int, std::string> refusal; // why a request cannot be sent at all (no endpoint)
};

class PlainCore {
public:
  PlainCore(event::Loop& loop, PlainClientOptions options) : m_loop(loop), m_options(options) {
    raise_fd_limit();
    if (m_options.max_inflight == 0) {
      m_options.max_inflight = 1;
    }
  }
  ~PlainCore();
  PlainCore(const PlainCore&) = delete;
  PlainCore& operator=(const PlainCore&) = delete;

  void send(ClientRequest request, std::function<void(ClientResponse&&)> done);
  size_t in_flight() const { return m_active.size(); }
  size_t queued() const { return m_queue.size(); }
  uint64_t connections_opened() const { return m_opened; }

private:
  Endpoint* endpoint_for(const Target& target, std::string& error);
  void start(std::unique_ptr<Call> call);
  void start_queued();
  void open_connection(Call& call);
  void arm_timer(Call& call, Millis delay, bool connect_phase);
  void on_ready(uint64_t id, uint32_t events);
  void write_some(Call& call);
  void read_some(Call& call);
  void retry_fresh(Call& call);
  void succeed(Call& call);
  void fail(Call& call, int code, std::string message);
  void fail_soon(uint64_t id, int code, std::string message);
  void complete(uint64_t id, ClientResponse&& response, bool keep_connection);
  void keep_idle(Endpoint& endpoint, int fd);
  void sweep_idle();
  void schedule_sweep();

  event::Loop& m_loop;
  PlainClientOptions m_options;
  std::unordered_map<std::string, std::unique_ptr<Endpoint>> m_endpoints;
  std::unordered_map<uint64_t, std::unique_ptr<Call>> m_active;
  std::deque<std::unique_ptr<Call>> m_queue;
  uint64_t m_next_id = 1;
  uint64_t m_opened = 0;
  size_t m_idle_count = 0;
  bool m_sweep_scheduled = false;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // tells deferred callbacks we are gone
};

PlainCore::~PlainCore() {
  m_alive.reset();
  for (auto& [id, call] : m_active) {
    if (call->timer != 0) {
      m_loop.cancel(call->timer);
    }
    if (call->fd >= 0) {
      m_loop.unwatch(call->fd);
      ::close(call->fd);
    }
  }
  for (auto& [name, endpoint] : m_endpoints) {
    for (const auto& idle : endpoint->idle) {
      ::close(idle.fd);
    }
  }
}

Endpoint* PlainCore::endpoint_for(const Target& target, std::string& error) {
  std::string key = target.host + " " + target.port;
  auto it = m_endpoints.find(key);
  if (it != m_endpoints.end()) {
    return it->second.get();
  }
  // Looked up once per client: m2g-llm talks to one endpoint for its whole life, and a
  // blocking lookup of a literal address or a hosts-file name costs microseconds.
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(target.host.c_str(), target.port.c_str(), &hints, &found); rc != 0 || found == nullptr) {
    error = "cannot resolve " + target.host + ": " + (rc != 0 ? gai_strerror(rc) : "no address");
    return nullptr;
  }
  auto endpoint = std::make_unique<Endpoint>();
  endpoint->host = target.host;
  endpoint->port = target.port;
  std::memcpy(&endpoint->address, found->ai_addr, found->ai_addrlen);
  endpoint->address_length = found->ai_addrlen;
  freeaddrinfo(found);
  return m_endpoints.emplace(key, std::move(endpoint)).first->second.get();
}

void PlainCore::send(ClientRequest request, std::function<void(ClientResponse&&)> done) {
  auto call = std::make_unique<Call>();
  call->id = m_next_id++;
  call->done = std::move(done);
  Target target;
  if (!split_url(request.url, target)) {
    call->refusal = {k_unsupported_protocol, "only plain http:// URLs without credentials are supported here"};
  } else if (std::string error; (call->endpoint = endpoint_for(target, error)) == nullptr) {
    call->refusal = {k_cannot_resolve, error};
  } else {
    call->wire = wire_bytes(request, target);
  }
  call->head = request.method == "HEAD";
  call->parser = ResponseParser(call->head);
  call->timeout = request.timeout;
  call->connect_timeout = std::min(request.connect_timeout, request.timeout);
  // Even a refused request takes its turn in the queue, as with Client.
  if (m_active.size() < m_options.max_inflight) {
    start(std::move(call));
  } else {
    m_queue.push_back(std::move(call));
  }
}

void PlainCore::start(std::unique_ptr<Call> owned) {
  Call& call = *owned;
  m_active.emplace(call.id, std::move(owned));
  call.started = m_loop.now();
  if (call.endpoint == nullptr) {
    fail_soon(call.id, call.refusal.first, std::move(call.refusal.second));
    return;
  }
  Endpoint& endpoint = *call.endpoint;
  if (!endpoint.idle.empty()) {
    call.fd = endpoint.idle.back().fd;
    endpoint.idle.pop_back();
    --m_idle_count;
    call.reused = true;
    arm_timer(call, call.timeout, false);
    uint64_t id = call.id;
    m_loop.watch(call.fd, event::k_writable, [this, id](uint32_t events) { on_ready(id, events); });
    return;
  }
  open_connection(call);
}

void PlainCore::open_connection(Call& call) {
  const Endpoint& endpoint = *call.endpoint;
  int fd = ::socket(endpoint.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    fail_soon(call.id, k_cannot_connect, "cannot open a socket: " + errno_text(errno));
    return;
  }
  ++m_opened;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  call.fd = fd;
  call.reused = false;
  call.connecting = true;
  arm_timer(call, call.connect_timeout, true);
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.address_length);
  if (rc != 0 && errno != EINPROGRESS) {
    fail_soon(call.id, k_cannot_connect,
              "cannot connect to " + endpoint.host + " port " + endpoint.port + ": " + errno_text(errno));
    return;
  }
  uint64_t id = call.id;
  m_loop.watch(fd, event::k_writable, [this, id](uint32_t events) { on_ready(id, events); });
}

void PlainCore::arm_timer(Call& call, Millis delay, bool connect_phase) {
  if (call.timer != 0) {
    m_loop.cancel(call.timer);
  }
  uint64_t id = call.id;
  call.timer = m_loop.after(delay, [this, id, delay, connect_phase] {
    auto it = m_active.find(id);
    if (it == m_active.end()) {
      return;
    }
    it->second->timer = 0;
    std::string what = connect_phase ? "connection timed out after " : "operation timed out after ";
    fail(*it->second, k_timed_out, what + std::to_string(delay.count()) + " ms");
  });
}

void PlainCore::on_ready(uint64_t id, uint32_t events) {
  auto it = m_active.find(id);
  if (it == m_active.end()) {
    return;
  }
  Call& call = *it->second;
  if (call.connecting) {
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(call.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
      error = errno;
    }
    if (error != 0) {
      fail(call, k_cannot_connect,
           "cannot connect to " + call.endpoint->host + " port " + call.endpoint->port + ": " + errno_text(error));
      return;
    }
    call.connecting = false;
    Millis spent = std::chrono::duration_cast<Millis>(m_loop.now() - call.started);
    arm_timer(call, std::max(Millis(0), call.timeout - spent), false);
  }
  if (call.written < call.wire.size()) {
    write_some(call);
  } else if ((events & (event::k_readable | event::k_error | event::k_hangup)) != 0) {
    read_some(call);
  }
}

void PlainCore::write_some(Call& call) {
  while (call.written < call.wire.size()) {
    ssize_t n = ::send(call.fd, call.wire.data() + call.written, call.wire.size() - call.written, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return; // the socket tells us when there is room again
    }
    if (n <= 0) {
      int error = errno;
      if (call.reused) {
        retry_fresh(call); // the server closed the idle connection; the request never got there
        return;
      }
      fail(call, k_send_error, "send failed: " + errno_text(error));
      return;
    }
    call.written += static_cast<size_t>(n);
  }
  if (!call.reused) {
    std::string().swap(call.wire); // 10,000 waiting requests need not keep ~1 KB each
    call.written = 0;
  }
  m_loop.modify(call.fd, event::k_readable);
}

void PlainCore::read_some(Call& call) {
  char buffer[16384];
  for (;;) {
    ssize_t n = ::recv(call.fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    }
    if (n < 0 || n == 0) {
      int error = n < 0 ? errno : 0;
      if (call.reused && !call.parser.started()) {
        retry_fresh(call);
        return;
      }
      if (n < 0) {
        fail(call, k_recv_error, "receive failed: " + errno_text(error));
        return;
      }
      ResponseParser::State state = call.parser.end_of_stream();
      if (state == ResponseParser::State::complete) {
        succeed(call);
      } else {
        fail(call, call.parser.started() ? k_recv_error : k_empty_reply, call.parser.error());
      }
      return;
    }
    if (call.reused && !call.parser.started()) {
      std::string().swap(call.wire); // an answer is coming: this connection is alive
      call.written = 0;
    }
    ResponseParser::State state = call.parser.feed(std::string_view(buffer, static_cast<size_t>(n)));
    if (state == ResponseParser::State::complete) {
      succeed(call);
      return;
    }
    if (state == ResponseParser::State::failed) {
      fail(call, k_weird_reply, call.parser.error());
      return;
    }
  }
}

void PlainCore::retry_fresh(Call& call) {
  m_loop.unwatch(call.fd);
  ::close(call.fd);
  call.fd = -1;
  call.written = 0;
  call.parser = ResponseParser(call.head);
  open_connection(call);
}

void PlainCore::succeed(Call& call) {
  ClientResponse response;
  response.status = call.parser.status();
  response.headers = std::move(call.parser.headers());
  response.body = std::move(call.parser.body());
  complete(call.id, std::move(response), call.parser.keep_alive());
}

void PlainCore::fail(Call& call, int code, std::string message) {
  ClientResponse response;
  response.curl_code = code;
  response.error = log::redact(message);
  response.body = std::move(call.parser.body());
  complete(call.id, std::move(response), false);
}

void PlainCore::fail_soon(uint64_t id, int code, std::string message) {
  // Failures found inside send() are told on the next loop round, never inside it.
  m_loop.defer([this, alive = std::weak_ptr<bool>(m_alive), id, code, message = std::move(message)]() mutable {
    if (alive.expired()) {
      return;
    }
    auto it = m_active.find(id);
    if (it != m_active.end()) {
      fail(*it->second, code, std::move(message));
    }
  });
}

void PlainCore::complete(uint64_t id, ClientResponse&& response, bool keep_connection) {
  auto it = m_active.find(id);
  if (it == m_active.end()) {
    return;
  }
  std::unique_ptr<Call> call = std::move(it->second);
  m_active.erase(it);
  if (call->timer != 0) {
    m_loop.cancel(call->timer);
  }
  if (call->fd >= 0) {
    m_loop.unwatch(call->fd);
    if (keep_connection) {
      keep_idle(*call->endpoint, call->fd);
    } else {
      ::close(call->fd);
    }
  }
  response.seconds = std::chrono::duration<double>(m_loop.now() - call->started).count();
  // Refill the freed slot first, so requests leave the queue in the order they entered it.
  start_queued();
  call->done(std::move(response));
}

void PlainCore::start_queued() {
  while (!m_queue.empty() && m_active.size() < m_options.max_inflight) {
    std::unique_ptr<Call> next = std::move(m_queue.front());
    m_queue.pop_front();
    start(std::move(next));
  }
}

void PlainCore::keep_idle(Endpoint& endpoint, int fd) {
  if (m_idle_count >= m_options.max_idle) {
    ::close(fd);
    return;
  }
  endpoint.idle.push_back({fd, m_loop.now()});
  ++m_idle_count;
  schedule_sweep();
}

void PlainCore::sweep_idle() {
  TimePoint limit = m_loop.now() - m_options.idle_timeout;
  for (auto& [key, endpoint] : m_endpoints) {
    auto& idle = endpoint->idle;
    size_t kept = 0;
    for (const auto& entry : idle) {
      if (entry.since <= limit) {
        ::close(entry.fd);
        --m_idle_count;
      } else {
        idle[kept++] = entry;
      }
    }
    idle.resize(kept);
  }
  if (m_idle_count > 0) {
    schedule_sweep();
  }
}

void PlainCore::schedule_sweep() {
  if (m_sweep_scheduled) {
    return;
  }
  m_sweep_scheduled = true;
  m_loop.after(m_options.idle_timeout, [this, alive = std::weak_ptr<bool>(m_alive)] {
    if (!alive.expired()) {
      m_sweep_scheduled = false;
      sweep_idle();
    }
  });
}

} // namespace detail

PlainClient::PlainClient(event::Loop& loop, PlainClientOptions options)
    : m_core(std::make_unique<detail::PlainCore>(loop, options)) {}

PlainClient::~PlainClient() = default;

void PlainClient::send(ClientRequest request, std::function<void(ClientResponse&&)> done) {
  m_core->send(std::move(request), std::move(done));
}

size_t PlainClient::in_flight() const {
  return m_core->in_flight();
}

size_t PlainClient::queued() const {
  return m_core->queued();
}

uint64_t PlainClient::connections_opened() const {
  return m_core->connections_opened();
}

} // namespace m2g::http
