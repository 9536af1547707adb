#include "common/git/net_stream.hpp"

#include "common/core/log.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/stream.h>
#include <limits>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <utility>

namespace m2g::git {
namespace {

std::atomic<bool> g_cancelled{false};

const NetPolicy& default_policy() {
  static const NetPolicy policy;
  return policy;
}

struct ThreadNet {
  const NetPolicy* policy = nullptr;
  int64_t deadline_ms = 0; ///< of the operation running, 0 when none
  detail::NetFailure failure = detail::NetFailure::none;
  std::string message; ///< what stopped it: libgit2's TLS layer replaces our error text with its own
};
thread_local ThreadNet t_net;

const NetPolicy& thread_policy() {
  return t_net.policy ? *t_net.policy : default_policy();
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// The layout of libgit2's own git_socket_stream (streams/socket.h) comes first: its SSH
// transport reaches into the stream it gets for the socket (GIT_CONTAINER_OF(io,
// git_socket_stream, parent)->s) to hand it to libssh2.
struct GuardedStream {
  git_stream parent;
  char* host;
  char* port;
  int s;
  // ours from here
  NetLimits* limits;
  net::AddressPolicy* addresses; ///< null: any address
  int64_t deadline_ms;           ///< the operation's end
};

GuardedStream* self(git_stream* stream) {
  return reinterpret_cast<GuardedStream*>(stream);
}

int stop(detail::NetFailure failure, const std::string& message) {
  t_net.failure = failure;
  t_net.message = message;
  git_error_set_str(GIT_ERROR_NET, message.c_str());
  return -1;
}

std::string seconds(int64_t ms) {
  return std::to_string((ms + 999) / 1000) + " s";
}

// Wait until `fd` is ready for `events`, at most `limit_ms` and never past the operation's
// deadline, in short slices so cancel_network() is seen. 0 when ready, else -1 with the error set.
int wait_ready(GuardedStream& st, int fd, short events, int64_t limit_ms, const char* what) {
  int64_t start = now_ms();
  int64_t idle_end = start + limit_ms;
  for (;;) {
    if (g_cancelled.load(std::memory_order_relaxed)) {
      return stop(detail::NetFailure::cancelled,
                  std::string("stopped while waiting to ") + what + " " + st.host + " (the stage is shutting down)");
    }
    int64_t now = now_ms();
    if (now >= st.deadline_ms) {
      return stop(detail::NetFailure::timed_out, std::string("gave up on ") + st.host + " after " +
                                                     seconds(st.limits->total_ms) + " (the operation's deadline)");
    }
    if (now >= idle_end) {
      return stop(detail::NetFailure::timed_out,
                  std::string("timed out after ") + seconds(limit_ms) + " waiting to " + what + " " + st.host);
    }
    int64_t slice = std::min<int64_t>({250, idle_end - now, st.deadline_ms - now});
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, static_cast<int>(slice));
    if (rc > 0) {
      return 0; // ready, or an error/hang-up the next call reports
    }
    if (rc < 0 && errno != EINTR) {
      return stop(detail::NetFailure::none, std::string("poll failed: ") + std::strerror(errno));
    }
  }
}

int connect_one(GuardedStream& st, const addrinfo& ai, std::string& error, bool& timed_out) {
  int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  int rc = ::connect(fd, ai.ai_addr, ai.ai_addrlen);
  if (rc != 0 && errno != EINPROGRESS) {
    error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (rc != 0) {
    if (wait_ready(st, fd, POLLOUT, st.limits->connect_ms, "connect to") != 0) {
      ::close(fd);
      if (g_cancelled.load() || now_ms() >= st.deadline_ms) {
        return -2; // the operation is over: its error is set
      }
      // This address did not answer in time (a black-holed IPv6 route, say): try the next.
      timed_out = true;
      error = "timed out after " + seconds(st.limits->connect_ms);
      t_net.failure = detail::NetFailure::none;
      return -1;
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) {
      error = std::strerror(so_error ? so_error : errno);
      ::close(fd);
      return -1;
    }
  }
  // Blocking again, with kernel timeouts of the idle limit: libssh2 reads this socket itself
  // (SSH remotes), and these bound it too. Our own reads and writes wait with poll() and never
  // block (MSG_DONTWAIT).
  int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  timeval tv{static_cast<time_t>(st.limits->idle_ms / 1000),
             static_cast<suseconds_t>((st.limits->idle_ms % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

int guarded_connect(git_stream* stream) {
  GuardedStream& st = *self(stream);
  if (g_cancelled.load()) {
    return stop(detail::NetFailure::cancelled, std::string("not connecting to ") + st.host + ": shutting down");
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  // getaddrinfo itself cannot be bounded here; the resolver's own timeouts (resolv.conf,
  // 5 s x 2 attempts per server by default) bound it.
  if (int rc = ::getaddrinfo(st.host, st.port, &hints, &list); rc != 0) {
    return stop(detail::NetFailure::none, std::string("cannot resolve '") + st.host + "': " + ::gai_strerror(rc));
  }
  std::string refusal, error;
  bool timed_out = false;
  int fd = -1;
  for (addrinfo* ai = list; ai && fd < 0; ai = ai->ai_next) {
    if (st.addresses) {
      std::string why = st.addresses->address_refusal(st.host, ai->ai_addr);
      if (!why.empty()) {
        log::warn("git: not connecting to " + std::string(st.host) + " at " + net::format_address(ai->ai_addr) + ": " +
                  why);
        refusal = why;
        continue;
      }
    }
    fd = connect_one(st, *ai, error, timed_out);
    if (fd == -2) {
      ::freeaddrinfo(list);
      return -1; // deadline or cancel: the error is set
    }
  }
  ::freeaddrinfo(list);
  if (fd < 0) {
    if (!refusal.empty() && error.empty()) {
      return stop(detail::NetFailure::refused, refusal);
    }
    // Every address timed out: a deadline (retryable), not a refusal.
    return stop(timed_out ? detail::NetFailure::timed_out : detail::NetFailure::none,
                std::string("cannot connect to ") + st.host + ":" + st.port + ": " +
                    (error.empty() ? "no address" : error));
  }
  st.s = fd;
  return 0;
}

ssize_t guarded_read(git_stream* stream, void* data, size_t len) {
  GuardedStream& st = *self(stream);
  for (;;) {
    ssize_t n = ::recv(st.s, data, len, MSG_DONTWAIT);
    if (n >= 0) {
      return n;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return stop(detail::NetFailure::none, std::string("cannot read from ") + st.host + ": " + std::strerror(errno));
    }
    if (wait_ready(st, st.s, POLLIN, st.limits->idle_ms, "hear from") != 0) {
      return -1;
    }
  }
}

ssize_t guarded_write(git_stream* stream, const char* data, size_t len, int /*flags*/) {
  GuardedStream& st = *self(stream);
  size_t sent = 0;
  while (sent < len) {
    ssize_t n = ::send(st.s, data + sent, len - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return stop(detail::NetFailure::none, std::string("cannot send to ") + st.host + ": " + std::strerror(errno));
    }
    if (wait_ready(st, st.s, POLLOUT, st.limits->idle_ms, "send to") != 0) {
      return -1;
    }
  }
  return static_cast<ssize_t>(len);
}

int guarded_close(git_stream* stream) {
  GuardedStream& st = *self(stream);
  if (st.s >= 0) {
    ::close(st.s);
    st.s = -1;
  }
  return 0;
}

void guarded_free(git_stream* stream) {
  GuardedStream* st = self(stream);
  guarded_close(stream);
  delete st->limits;
  delete st->addresses;
  ::free(st->host);
  ::free(st->port);
  delete st;
}

int guarded_init(git_stream** out, const char* host, const char* port) {
  const NetPolicy& policy = thread_policy();
  auto* st = new GuardedStream{};
  st->parent.version = GIT_STREAM_VERSION;
  st->parent.connect = guarded_connect;
  st->parent.read = guarded_read;
  st->parent.write = guarded_write;
  st->parent.close = guarded_close;
  st->parent.free = guarded_free;
  st->host = ::strdup(host);
  st->port = ::strdup(port);
  st->s = -1;
  st->limits = new NetLimits(policy.limits);
  st->addresses = policy.addresses ? new net::AddressPolicy(*policy.addresses) : nullptr;
  st->deadline_ms = t_net.deadline_ms ? t_net.deadline_ms : now_ms() + policy.limits.total_ms;
  *out = &st->parent;
  return 0;
}

} // namespace

ScopedNetPolicy::ScopedNetPolicy(NetPolicy policy) : m_policy(std::move(policy)), m_previous(t_net.policy) {
  t_net.policy = &m_policy;
}

ScopedNetPolicy::~ScopedNetPolicy() {
  t_net.policy = m_previous;
}

void cancel_network() {
  g_cancelled.store(true);
}

namespace detail {

NetFailure take_net_failure(std::string* message) {
  if (message) {
    *message = std::move(t_net.message);
  }
  t_net.message.clear();
  return std::exchange(t_net.failure, NetFailure::none);
}

void install_net_stream() {
  static git_stream_registration registration{GIT_STREAM_VERSION, guarded_init, nullptr};
  if (git_stream_register(GIT_STREAM_STANDARD, &registration) != 0) {
    log::warn("git: cannot install the stream with deadlines; git network operations have none");
  }
}

OperationClock::OperationClock() : m_previous(t_net.deadline_ms) {
  t_net.deadline_ms = now_ms() + thread_policy().limits.total_ms;
  t_net.failure = NetFailure::none;
  t_net.message.clear();
}

OperationClock::~OperationClock() {
  t_net.deadline_ms = m_previous;
}

int check_transfer(uint64_t received_bytes) {
  if (g_cancelled.load(std::memory_order_relaxed)) {
    return stop(NetFailure::cancelled, "stopped: the stage is shutting down");
  }
  const NetLimits& limits = thread_policy().limits;
  if (limits.max_bytes > 0 && received_bytes > static_cast<uint64_t>(limits.max_bytes)) {
    return stop(NetFailure::too_large, "the repository is larger than this server accepts (" +
                                           std::to_string(limits.max_bytes >> 20) + " MB)");
  }
  if (t_net.deadline_ms && now_ms() >= t_net.deadline_ms) {
    return stop(NetFailure::timed_out, "gave up after " + seconds(limits.total_ms) + " (the operation's deadline)");
  }
  return 0;
}

} // namespace detail
} // namespace m2g::git
