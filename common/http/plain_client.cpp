#include "common/http/plain_client.hpp"

#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/http/response_parser.hpp"
#include "common/http/socket.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <sys/epoll.h>
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

// The requests started in one loop round are written together when it ends, not each inside
// send(): their answers then come back together too. Written one by one, m2g-progress woke
// for each answer apart and spent 40-60 % more CPU. Past this many bytes they go at once, so a
// burst (m2g-llm starts 500 requests of ~1 KB in a round) does not hold them all.
constexpr size_t k_max_unwritten_bytes = 64 << 10;

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

int32_t clamp_ms(Millis value) {
  return static_cast<int32_t>(std::clamp<int64_t>(value.count(), 0, INT32_MAX));
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

/// How a socket is registered in the client's epoll set: edge-triggered, for reading and
/// hang-ups, and for writing only once a send could not take all of a request (on loopback the
/// handshake is done when connect() returns, and a request goes out in one send).
enum class Watched : uint8_t { no, read, write };

/// One host:port: its address, looked up once, and its idle connections.
struct Endpoint {
  std::string host, port;
  sockaddr_storage address{};
  socklen_t address_length = 0;
  struct Idle {
    int fd;
    Watched watched;
    TimePoint since;
  };
  std::vector<Idle> idle; // most recently used last
};

/// One request from leaving the queue to its answer. m2g-llm holds 10,000 of them while the
/// model thinks, so a waiting request holds no more than it needs: the request's bytes go once
/// written, and a parser and a failure exist only while they are in use.
struct Call {
  Endpoint* endpoint = nullptr;
  std::function<void(ClientResponse&&)> done;
  // The request's bytes, until written (on a reused connection, until the answer starts).
  std::unique_ptr<std::string> wire;
  std::unique_ptr<ResponseParser> parser;               // an answer split over several reads
  std::unique_ptr<std::pair<int, std::string>> failure; // a refusal, or a failure told later
  TimePoint started{};
  TimePoint deadline{}; // of the phase it is in: connecting, or the whole request
  // Small fields, bit-fields: with 10,000 calls waiting, 104 bytes instead of 120 are 160 KB.
  uint32_t written = 0;                // bytes of the wire sent so far (send() refuses 4 GiB)
  uint32_t heap_index = k_not_in_heap; // its place in PlainCore::m_deadlines
  int32_t timeout_ms = 0;
  int32_t connect_timeout_ms = 0;
  int fd = -1;
  Watched watched = Watched::no;
  bool connecting : 1 = false;
  bool reused : 1 = false;
  bool answered : 1 = false;      // a byte of the answer arrived
  bool write_pending : 1 = false; // in PlainCore::m_to_write
  bool head : 1 = false;

  static constexpr uint32_t k_not_in_heap = UINT32_MAX;
  Millis timeout() const { return Millis(timeout_ms); }
  Millis connect_timeout() const { return Millis(connect_timeout_ms); }
  bool sending() const { return wire && written < wire->size(); }
  /// The request went out: its bytes are not needed any more.
  void forget_wire() {
    wire.reset();
    written = 0;
  }
};

class PlainCore {
public:
  PlainCore(event::Loop& loop, PlainClientOptions options);
  ~PlainCore();
  PlainCore(const PlainCore&) = delete;
  PlainCore& operator=(const PlainCore&) = delete;

  void send(ClientRequest request, std::function<void(ClientResponse&&)> done);
  size_t in_flight() const { return m_deadlines.size() + m_doomed.size(); }
  size_t queued() const { return m_queue.size(); }
  uint64_t connections_opened() const { return m_opened; }

private:
  Endpoint* endpoint_for(const Target& target, std::string& error);
  void start(std::unique_ptr<Call> call);
  void start_queued();
  void open_connection(Call& call);
  /// Send the request at the end of this loop round, with every other one started in it.
  void write_later(Call& call);
  void flush_writes();
  /// Send what is left of the request; false when the call failed (it is then told later).
  bool write_some(Call& call);
  bool watch(Call& call, Watched watched);
  void on_events();
  void on_ready(Call& call, uint32_t events);
  void on_idle_event(int fd, uint32_t events);
  void read_some(Call& call);
  void retry_fresh(Call& call);
  void fail(Call& call, int code, std::string message, ResponseParser* parser = nullptr);
  /// Fail `call` on the next loop round: failures found inside send() are never told inside it.
  void doom(Call& call, int code, std::string message);
  void tell_doomed();
  void complete(Call& call, ClientResponse&& response, bool keep_connection);
  void forget_write(Call& call);
  void set_fd(Call& call, int fd);
  void close_fd(Call& call);
  void keep_idle(Endpoint& endpoint, int fd, Watched watched);
  void sweep_idle();
  void schedule_sweep();
  // The deadlines of the calls in flight: a binary min-heap of the calls themselves (each knows
  // its place), served by one loop timer for the earliest instead of a timer per call.
  void heap_push(std::unique_ptr<Call> call);
  std::unique_ptr<Call> heap_take(Call& call);
  void heap_fix(size_t index);
  bool heap_less(size_t a, size_t b) const { return m_deadlines[a]->deadline < m_deadlines[b]->deadline; }
  void heap_swap(size_t a, size_t b);
  void arm_timer();
  void on_timer();

  event::Loop& m_loop;
  PlainClientOptions m_options;
  int m_epoll = -1;
  std::unordered_map<std::string, std::unique_ptr<Endpoint>> m_endpoints;
  std::vector<std::unique_ptr<Call>> m_deadlines; // every call in flight, owned here
  std::vector<Call*> m_by_fd;                     // the call on each socket; null for idle ones
  std::vector<std::unique_ptr<Call>> m_doomed;    // failed, to be told on the next loop round
  std::vector<Call*> m_to_write;                  // started in this loop round, not written yet
  size_t m_unwritten_bytes = 0;                   // their requests' bytes
  std::deque<std::unique_ptr<Call>> m_queue;
  uint64_t m_opened = 0;
  size_t m_idle_count = 0;
  event::TimerId m_timer = 0;
  TimePoint m_timer_at = TimePoint::max();
  bool m_sweep_scheduled = false;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // tells deferred callbacks we are gone
};

PlainCore::PlainCore(event::Loop& loop, PlainClientOptions options) : m_loop(loop), m_options(options) {
  raise_fd_limit();
  if (m_options.max_inflight == 0) {
    m_options.max_inflight = 1;
  }
  // The sockets live in an epoll set of their own that the loop watches as one fd: each socket
  // is added once and leaves by being closed (no modify, no delete, no watcher per socket).
  m_epoll = epoll_create1(EPOLL_CLOEXEC);
  if (m_epoll < 0) {
    throw Error(exit_code::k_software, "cannot create an epoll instance: " + errno_text(errno));
  }
  m_loop.watch(m_epoll, event::k_readable, [this](uint32_t) { on_events(); });
  // Grown by doubling, these two would briefly hold both copies at the moment of most requests.
  size_t expected = std::min<size_t>(m_options.max_inflight, 1 << 16);
  m_deadlines.reserve(expected);
  m_by_fd.reserve(expected + 64);
}

PlainCore::~PlainCore() {
  m_alive.reset();
  if (m_timer != 0) {
    m_loop.cancel(m_timer);
  }
  for (auto& call : m_deadlines) {
    if (call->fd >= 0) {
      ::close(call->fd);
    }
  }
  for (auto& [name, endpoint] : m_endpoints) {
    for (const auto& idle : endpoint->idle) {
      ::close(idle.fd);
    }
  }
  m_loop.unwatch(m_epoll);
  ::close(m_epoll);
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
  call->done = std::move(done);
  Target target;
  std::string error;
  if (!split_url(request.url, target)) {
    call->failure = std::make_unique<std::pair<int, std::string>>(
        k_unsupported_protocol, "only plain http:// URLs without credentials are supported here");
  } else if ((call->endpoint = endpoint_for(target, error)) == nullptr) {
    call->failure = std::make_unique<std::pair<int, std::string>>(k_cannot_resolve, std::move(error));
  } else if (request.body.size() >= UINT32_MAX - (64 << 10)) {
    call->failure = std::make_unique<std::pair<int, std::string>>(k_send_error, "a request body of 4 GiB or more");
  } else {
    call->wire = std::make_unique<std::string>(wire_bytes(request, target));
  }
  call->head = request.method == "HEAD";
  call->timeout_ms = clamp_ms(request.timeout);
  call->connect_timeout_ms = clamp_ms(std::min(request.connect_timeout, request.timeout));
  // Even a refused request takes its turn in the queue, as with Client.
  if (in_flight() < m_options.max_inflight) {
    start(std::move(call));
  } else {
    m_queue.push_back(std::move(call));
  }
}

void PlainCore::start(std::unique_ptr<Call> owned) {
  Call& call = *owned;
  call.started = m_loop.now();
  call.deadline = call.started + call.timeout();
  heap_push(std::move(owned));
  if (call.failure) {
    std::pair<int, std::string> refusal = std::move(*call.failure);
    doom(call, refusal.first, std::move(refusal.second));
    return;
  }
  Endpoint& endpoint = *call.endpoint;
  if (endpoint.idle.empty()) {
    open_connection(call);
    return;
  }
  Endpoint::Idle idle = endpoint.idle.back();
  endpoint.idle.pop_back();
  --m_idle_count;
  set_fd(call, idle.fd);
  call.watched = idle.watched;
  call.reused = true;
  write_later(call);
}

void PlainCore::open_connection(Call& call) {
  const Endpoint& endpoint = *call.endpoint;
  int fd = ::socket(endpoint.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    doom(call, k_cannot_connect, "cannot open a socket: " + errno_text(errno));
    return;
  }
  ++m_opened;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  set_fd(call, fd);
  call.watched = Watched::no;
  call.reused = false;
  call.connecting = true;
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.address_length);
  if (rc != 0 && errno != EINPROGRESS) {
    doom(call, k_cannot_connect,
         "cannot connect to " + endpoint.host + " port " + endpoint.port + ": " + errno_text(errno));
    return;
  }
  // No waiting for the handshake: a send before it is done just fails with EAGAIN.
  write_later(call);
}

void PlainCore::write_later(Call& call) {
  if (call.write_pending) {
    return; // already in m_to_write (a fresh connection for a request that never got out)
  }
  call.write_pending = true;
  m_to_write.push_back(&call);
  m_unwritten_bytes += call.wire ? call.wire->size() : 0;
  if (m_unwritten_bytes >= k_max_unwritten_bytes) {
    flush_writes();
  } else if (m_to_write.size() == 1) {
    m_loop.defer([this, alive = std::weak_ptr<bool>(m_alive)] {
      if (!alive.expired()) {
        flush_writes();
      }
    });
  }
}

void PlainCore::flush_writes() {
  // Writing fails no call inside this loop (doom() tells later), so none of these goes away.
  std::vector<Call*> calls = std::move(m_to_write);
  m_to_write.clear();
  m_unwritten_bytes = 0;
  for (Call* call : calls) {
    call->write_pending = false;
    write_some(*call);
  }
}

bool PlainCore::write_some(Call& call) {
  while (call.sending()) {
    ssize_t n = ::send(call.fd, call.wire->data() + call.written, call.wire->size() - call.written, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (call.connecting) {
        // The handshake is not done (on loopback it is, when connect() returns): from now on it
        // has its connect timeout. Set only here, it costs the deadline heap no moves otherwise.
        TimePoint connect_by = std::min(m_loop.now() + call.connect_timeout(), call.started + call.timeout());
        if (connect_by < call.deadline) {
          call.deadline = connect_by;
          heap_fix(call.heap_index);
        }
      }
      break; // the socket tells when there is room again (or the handshake is done)
    }
    if (n <= 0) {
      int error = errno;
      if (call.reused) {
        retry_fresh(call); // the server closed the idle connection; the request never got there
        return false;
      }
      if (call.connecting) {
        doom(call, k_cannot_connect,
             "cannot connect to " + call.endpoint->host + " port " + call.endpoint->port + ": " + errno_text(error));
      } else {
        doom(call, k_send_error, "send failed: " + errno_text(error));
      }
      return false;
    }
    call.written += static_cast<uint32_t>(n);
    if (call.connecting) {
      call.connecting = false; // a byte went out: the connection is up
      if (call.deadline != call.started + call.timeout()) {
        call.deadline = call.started + call.timeout();
        heap_fix(call.heap_index);
      }
    }
  }
  if (!call.sending() && !call.reused) {
    call.forget_wire(); // 10,000 waiting requests need not keep ~1 KB each
  }
  return watch(call, call.sending() ? Watched::write : Watched::read);
}

bool PlainCore::watch(Call& call, Watched watched) {
  if (call.watched == Watched::write || call.watched == watched) {
    return true;
  }
  epoll_event event{};
  event.events = watched == Watched::write ? EPOLLIN | EPOLLRDHUP | EPOLLOUT | EPOLLET : EPOLLIN | EPOLLRDHUP | EPOLLET;
  event.data.fd = call.fd;
  int op = call.watched == Watched::no ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (epoll_ctl(m_epoll, op, call.fd, &event) != 0) {
    doom(call, k_cannot_connect, "cannot watch a socket: " + errno_text(errno));
    return false;
  }
  call.watched = watched;
  return true;
}

void PlainCore::on_events() {
  epoll_event events[256];
  int n = epoll_wait(m_epoll, events, 256, 0);
  std::weak_ptr<bool> alive = m_alive;
  for (int i = 0; i < n; ++i) {
    int fd = events[i].data.fd;
    Call* call = static_cast<size_t>(fd) < m_by_fd.size() ? m_by_fd[static_cast<size_t>(fd)] : nullptr;
    if (call == nullptr) {
      on_idle_event(fd, events[i].events);
    } else {
      on_ready(*call, events[i].events);
    }
    if (alive.expired()) {
      return; // a done callback destroyed the client
    }
  }
}

void PlainCore::on_ready(Call& call, uint32_t events) {
  if (call.sending() && !write_some(call)) {
    return;
  }
  // Edge-triggered: what is readable now must be read now, even if the event said "writable".
  if (!call.sending() && (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) != 0) {
    read_some(call);
  }
}

void PlainCore::on_idle_event(int fd, uint32_t events) {
  // An idle connection that turns readable was closed by the server (or sent what nobody asked
  // for): it cannot carry a request any more.
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) == 0) {
    return;
  }
  // The event may be stale: an answer that came in two segments wakes the set twice, and both
  // were read by the time the second is reported.
  char byte;
  if (::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    return;
  }
  for (auto& [key, endpoint] : m_endpoints) {
    auto& idle = endpoint->idle;
    auto it = std::find_if(idle.begin(), idle.end(), [fd](const Endpoint::Idle& entry) { return entry.fd == fd; });
    if (it != idle.end()) {
      ::close(fd);
      idle.erase(it);
      --m_idle_count;
      return;
    }
  }
}

void PlainCore::read_some(Call& call) {
  char buffer[16384];
  // Most answers arrive in one read: parsed here, on the stack; kept only when split.
  std::optional<ResponseParser> local;
  ResponseParser& parser = call.parser ? *call.parser : local.emplace(bool(call.head));
  for (;;) {
    ssize_t n = ::recv(call.fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (local && local->started()) {
        call.parser = std::make_unique<ResponseParser>(std::move(*local));
      }
      return;
    }
    if (n <= 0) {
      int error = n < 0 ? errno : 0;
      if (call.reused && !call.answered) {
        retry_fresh(call);
        return;
      }
      if (n < 0) {
        fail(call, k_recv_error, "receive failed: " + errno_text(error), &parser);
        return;
      }
      if (parser.end_of_stream() == ResponseParser::State::complete) {
        ClientResponse response;
        response.status = parser.status();
        response.headers = std::move(parser.headers());
        response.body = std::move(parser.body());
        complete(call, std::move(response), false);
      } else {
        fail(call, parser.started() ? k_recv_error : k_empty_reply, parser.error(), &parser);
      }
      return;
    }
    if (call.reused && !call.answered) {
      call.forget_wire(); // an answer is coming: this connection is alive
    }
    call.answered = true;
    ResponseParser::State state = parser.feed(std::string_view(buffer, static_cast<size_t>(n)));
    if (state == ResponseParser::State::complete) {
      ClientResponse response;
      response.status = parser.status();
      response.headers = std::move(parser.headers());
      response.body = std::move(parser.body());
      complete(call, std::move(response), parser.keep_alive());
      return;
    }
    if (state == ResponseParser::State::failed) {
      fail(call, k_weird_reply, parser.error(), &parser);
      return;
    }
  }
}

void PlainCore::retry_fresh(Call& call) {
  close_fd(call);
  call.written = 0;
  call.answered = false;
  call.parser.reset();
  open_connection(call);
}

void PlainCore::fail(Call& call, int code, std::string message, ResponseParser* parser) {
  ClientResponse response;
  response.curl_code = code;
  response.error = log::redact(message);
  if (parser != nullptr) {
    response.body = std::move(parser->body());
  }
  complete(call, std::move(response), false);
}

void PlainCore::doom(Call& call, int code, std::string message) {
  forget_write(call);
  close_fd(call);
  call.failure = std::make_unique<std::pair<int, std::string>>(code, std::move(message));
  m_doomed.push_back(heap_take(call));
  if (m_doomed.size() == 1) {
    m_loop.defer([this, alive = std::weak_ptr<bool>(m_alive)] {
      if (!alive.expired()) {
        tell_doomed();
      }
    });
  }
}

void PlainCore::tell_doomed() {
  std::vector<std::unique_ptr<Call>> doomed = std::move(m_doomed);
  m_doomed.clear();
  std::weak_ptr<bool> alive = m_alive;
  for (auto& call : doomed) {
    ClientResponse response;
    response.curl_code = call->failure->first;
    response.error = log::redact(call->failure->second);
    response.seconds = std::chrono::duration<double>(m_loop.now() - call->started).count();
    start_queued();
    call->done(std::move(response));
    if (alive.expired()) {
      return;
    }
  }
}

void PlainCore::complete(Call& call, ClientResponse&& response, bool keep_connection) {
  forget_write(call);
  std::unique_ptr<Call> owned = heap_take(call);
  if (call.fd >= 0) {
    m_by_fd[static_cast<size_t>(call.fd)] = nullptr;
    if (keep_connection) {
      keep_idle(*call.endpoint, call.fd, call.watched);
    } else {
      ::close(call.fd); // which also takes it out of the epoll set
    }
    call.fd = -1;
  }
  response.seconds = std::chrono::duration<double>(m_loop.now() - call.started).count();
  // Refill the freed slot first, so requests leave the queue in the order they entered it.
  start_queued();
  owned->done(std::move(response));
}

void PlainCore::forget_write(Call& call) {
  if (call.write_pending) {
    m_to_write.erase(std::find(m_to_write.begin(), m_to_write.end(), &call));
    m_unwritten_bytes -= std::min(m_unwritten_bytes, call.wire ? call.wire->size() : 0);
    call.write_pending = false;
  }
}

void PlainCore::start_queued() {
  while (!m_queue.empty() && in_flight() < m_options.max_inflight) {
    std::unique_ptr<Call> next = std::move(m_queue.front());
    m_queue.pop_front();
    start(std::move(next));
  }
}

void PlainCore::set_fd(Call& call, int fd) {
  call.fd = fd;
  if (static_cast<size_t>(fd) >= m_by_fd.size()) {
    m_by_fd.resize(static_cast<size_t>(fd) + 1 + m_by_fd.size() / 2, nullptr);
  }
  m_by_fd[static_cast<size_t>(fd)] = &call;
}

void PlainCore::close_fd(Call& call) {
  if (call.fd >= 0) {
    m_by_fd[static_cast<size_t>(call.fd)] = nullptr;
    ::close(call.fd);
    call.fd = -1;
    call.watched = Watched::no;
  }
}

void PlainCore::keep_idle(Endpoint& endpoint, int fd, Watched watched) {
  if (m_idle_count >= m_options.max_idle) {
    ::close(fd);
    return;
  }
  endpoint.idle.push_back({fd, watched, m_loop.now()});
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

void PlainCore::heap_push(std::unique_ptr<Call> call) {
  size_t index = m_deadlines.size();
  call->heap_index = static_cast<uint32_t>(index);
  m_deadlines.push_back(std::move(call));
  heap_fix(index);
}

std::unique_ptr<Call> PlainCore::heap_take(Call& call) {
  size_t index = call.heap_index;
  size_t last = m_deadlines.size() - 1;
  if (index != last) {
    heap_swap(index, last);
  }
  std::unique_ptr<Call> owned = std::move(m_deadlines.back());
  m_deadlines.pop_back();
  owned->heap_index = Call::k_not_in_heap;
  if (index < m_deadlines.size()) {
    heap_fix(index);
  }
  return owned;
}

void PlainCore::heap_fix(size_t index) {
  while (index > 0 && heap_less(index, (index - 1) / 2)) {
    heap_swap(index, (index - 1) / 2);
    index = (index - 1) / 2;
  }
  for (;;) {
    size_t least = index;
    for (size_t child = 2 * index + 1; child <= 2 * index + 2 && child < m_deadlines.size(); ++child) {
      if (heap_less(child, least)) {
        least = child;
      }
    }
    if (least == index) {
      break;
    }
    heap_swap(index, least);
    index = least;
  }
  arm_timer();
}

void PlainCore::heap_swap(size_t a, size_t b) {
  std::swap(m_deadlines[a], m_deadlines[b]);
  m_deadlines[a]->heap_index = static_cast<uint32_t>(a);
  m_deadlines[b]->heap_index = static_cast<uint32_t>(b);
}

void PlainCore::arm_timer() {
  // One loop timer, at the earliest deadline or before it: when it fires early (that call was
  // answered), it finds nothing due and is set again for the new earliest.
  if (m_deadlines.empty() || (m_timer != 0 && m_timer_at <= m_deadlines.front()->deadline)) {
    return;
  }
  if (m_timer != 0) {
    m_loop.cancel(m_timer);
  }
  m_timer_at = m_deadlines.front()->deadline;
  m_timer = m_loop.at(m_timer_at, [this] { on_timer(); });
}

void PlainCore::on_timer() {
  m_timer = 0;
  TimePoint now = m_loop.now();
  std::weak_ptr<bool> alive = m_alive;
  while (!m_deadlines.empty() && m_deadlines.front()->deadline <= now) {
    Call& call = *m_deadlines.front();
    std::string what = call.connecting
                           ? "connection timed out after " + std::to_string(call.connect_timeout_ms) + " ms"
                           : "operation timed out after " +
                                 std::to_string(std::chrono::duration_cast<Millis>(now - call.started).count()) + " ms";
    fail(call, k_timed_out, std::move(what));
    if (alive.expired()) {
      return;
    }
  }
  arm_timer();
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
