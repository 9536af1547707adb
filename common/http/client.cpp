#include "common/http/client.hpp"

#include "common/http/socket.hpp"
#include "common/http/transfer.hpp"

#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace m2g::http {
namespace detail {

/// The multi handle and its glue to the Loop: curl says which sockets to watch and when to wake
/// it up; the loop calls curl_multi_socket_action when that happens.
class ClientCore {
public:
  ClientCore(event::Loop& loop, ClientOptions options);
  ~ClientCore();
  ClientCore(const ClientCore&) = delete;
  ClientCore& operator=(const ClientCore&) = delete;

  void send(ClientRequest request, std::function<void(ClientResponse&&)> done);
  size_t in_flight() const { return m_active.size(); }
  size_t queued() const { return m_queue.size(); }

private:
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  void socket_ready(curl_socket_t fd, uint32_t events);
  void timer_fired();
  void collect_finished();
  void start(std::unique_ptr<Transfer> transfer);
  void start_queued();
  void fail_later(std::unique_ptr<Transfer> transfer, int curl_code, std::string_view message);
  CURL* take_easy();
  void return_easy(CURL* easy);

  event::Loop& m_loop;
  ClientOptions m_options;
  CURLM* m_multi = nullptr;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> m_active;
  std::deque<std::unique_ptr<Transfer>> m_queue;
  std::vector<CURL*> m_free_easy; // reset handles, kept to save their allocations
  std::unordered_set<curl_socket_t> m_watched;
  event::TimerId m_timer = 0;                                   // the loop timer now armed, if any
  TimePoint m_timer_at{};                                       // ... and when it fires
  std::optional<TimePoint> m_curl_due;                          // when curl last asked to be woken
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // tells callbacks we are gone
};

ClientCore::ClientCore(event::Loop& loop, ClientOptions options) : m_loop(loop), m_options(options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  raise_fd_limit();
  m_multi = curl_multi_init();
  curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, on_socket);
  curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, on_timer);
  curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
  if (m_options.max_host_connections > 0) {
    curl_multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, m_options.max_host_connections);
  }
  if (m_options.max_inflight == 0) {
    m_options.max_inflight = 1;
  }
}

ClientCore::~ClientCore() {
  m_alive.reset();
  for (auto& [easy, transfer] : m_active) {
    curl_multi_remove_handle(m_multi, easy);
    curl_easy_cleanup(easy);
  }
  m_active.clear();
  m_queue.clear();
  for (CURL* easy : m_free_easy) {
    curl_easy_cleanup(easy);
  }
  curl_multi_cleanup(m_multi);
  // Whatever curl did not report as removed must not call back into freed memory.
  for (curl_socket_t fd : m_watched) {
    m_loop.unwatch(fd);
  }
  m_loop.cancel(m_timer);
}

void ClientCore::send(ClientRequest request, std::function<void(ClientResponse&&)> done) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->done = std::move(done);
  if (m_active.size() < m_options.max_inflight) {
    start(std::move(transfer));
  } else {
    m_queue.push_back(std::move(transfer));
  }
}

void ClientCore::start(std::unique_ptr<Transfer> transfer) {
  transfer->easy = take_easy();
  if (transfer->easy == nullptr) {
    fail_later(std::move(transfer), CURLE_FAILED_INIT, "cannot create a curl handle");
    return;
  }
  if (CURLcode rc = prepare(*transfer); rc != CURLE_OK) {
    fail_later(std::move(transfer), rc, curl_easy_strerror(rc));
    return;
  }
  // Adding only schedules a timeout of 0: the transfer starts on the next loop round, so
  // `done` can never run inside send().
  if (CURLMcode rc = curl_multi_add_handle(m_multi, transfer->easy); rc != CURLM_OK) {
    fail_later(std::move(transfer), CURLE_FAILED_INIT, curl_multi_strerror(rc));
    return;
  }
  CURL* easy = transfer->easy;
  m_active.emplace(easy, std::move(transfer));
}

void ClientCore::start_queued() {
  while (!m_queue.empty() && m_active.size() < m_options.max_inflight) {
    std::unique_ptr<Transfer> next = std::move(m_queue.front());
    m_queue.pop_front();
    start(std::move(next));
  }
}

void ClientCore::fail_later(std::unique_ptr<Transfer> transfer, int curl_code, std::string_view message) {
  if (transfer->easy != nullptr) {
    return_easy(transfer->easy);
    transfer->easy = nullptr;
  }
  fail_response(transfer->response, curl_code, message);
  std::shared_ptr<Transfer> shared = std::move(transfer);
  m_loop.defer([alive = std::weak_ptr<bool>(m_alive), shared] {
    if (!alive.expired()) {
      shared->done(std::move(shared->response));
    }
  });
}

CURL* ClientCore::take_easy() {
  if (m_free_easy.empty()) {
    return curl_easy_init();
  }
  CURL* easy = m_free_easy.back();
  m_free_easy.pop_back();
  return easy;
}

void ClientCore::return_easy(CURL* easy) {
  // Reset drops pointers into the finished request; the multi handle keeps the connections.
  if (m_free_easy.size() < m_options.max_inflight) {
    curl_easy_reset(easy);
    m_free_easy.push_back(easy);
  } else {
    curl_easy_cleanup(easy);
  }
}

int ClientCore::on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void*) {
  auto* self = static_cast<ClientCore*>(self_ptr);
  if (what == CURL_POLL_REMOVE) {
    if (self->m_watched.erase(fd) > 0) {
      self->m_loop.unwatch(fd);
    }
    return 0;
  }
  uint32_t events = 0;
  if (what & CURL_POLL_IN) {
    events |= event::k_readable;
  }
  if (what & CURL_POLL_OUT) {
    events |= event::k_writable;
  }
  if (self->m_watched.insert(fd).second) {
    self->m_loop.watch(fd, events, [self, fd](uint32_t ready) { self->socket_ready(fd, ready); });
  } else {
    self->m_loop.modify(fd, events);
  }
  return 0;
}

int ClientCore::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<ClientCore*>(self_ptr);
  if (timeout_ms < 0) {
    self->m_curl_due.reset(); // an armed loop timer will find nothing due and stay quiet
    return 0;
  }
  TimePoint due = self->m_loop.now() + Millis(timeout_ms);
  self->m_curl_due = due;
  // Curl moves its deadline on nearly every call. Only an earlier deadline re-arms the loop
  // timer; a later one is picked up when the armed timer fires, so the loop's timer heap does
  // not fill with cancelled entries.
  if (self->m_timer == 0 || due < self->m_timer_at) {
    self->m_loop.cancel(self->m_timer);
    self->m_timer_at = due;
    self->m_timer = self->m_loop.at(due, [self] { self->timer_fired(); });
  }
  return 0;
}

void ClientCore::timer_fired() {
  m_timer = 0;
  if (!m_curl_due) {
    return;
  }
  if (m_loop.now() < *m_curl_due) {
    m_timer_at = *m_curl_due;
    m_timer = m_loop.at(m_timer_at, [this] { timer_fired(); });
    return;
  }
  m_curl_due.reset();
  int running = 0;
  curl_multi_socket_action(m_multi, CURL_SOCKET_TIMEOUT, 0, &running);
  collect_finished(); // last: a `done` callback may destroy this client
}

void ClientCore::socket_ready(curl_socket_t fd, uint32_t events) {
  int flags = 0;
  if (events & event::k_readable) {
    flags |= CURL_CSELECT_IN;
  }
  if (events & event::k_writable) {
    flags |= CURL_CSELECT_OUT;
  }
  if (events & (event::k_error | event::k_hangup)) {
    flags |= CURL_CSELECT_ERR;
  }
  int running = 0;
  curl_multi_socket_action(m_multi, fd, flags, &running);
  collect_finished(); // last: a `done` callback may destroy this client
}

void ClientCore::collect_finished() {
  std::weak_ptr<bool> alive = m_alive;
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(m_multi, &left)) {
    if (message->msg != CURLMSG_DONE) {
      continue;
    }
    CURL* easy = message->easy_handle;
    CURLcode result = message->data.result;
    auto it = m_active.find(easy);
    if (it == m_active.end()) {
      continue;
    }
    std::unique_ptr<Transfer> transfer = std::move(it->second);
    m_active.erase(it);
    curl_multi_remove_handle(m_multi, easy);
    finish(*transfer, result);
    return_easy(easy);
    transfer->easy = nullptr;
    // Refill the freed slot first, so requests leave the queue in the order they entered it.
    start_queued();
    transfer->done(std::move(transfer->response));
    if (alive.expired()) {
      return;
    }
  }
}

} // namespace detail

Client::Client(event::Loop& loop, ClientOptions options)
    : m_core(std::make_unique<detail::ClientCore>(loop, options)) {}

Client::~Client() = default;

void Client::send(ClientRequest request, std::function<void(ClientResponse&&)> done) {
  m_core->send(std::move(request), std::move(done));
}

size_t Client::in_flight() const {
  return m_core->in_flight();
}

size_t Client::queued() const {
  return m_core->queued();
}

} // namespace m2g::http
