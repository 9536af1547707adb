#include "common/http/client.hpp"

#include "common/http/curl_library.hpp"
#include "common/http/multi.hpp"
#include "common/http/socket.hpp"
#include "common/http/transfer.hpp"

#include <deque>
#include <unordered_map>

namespace m2g::http {
namespace detail {
namespace {

// Curl looks for a reusable connection by walking every connection its multi handle holds to
// the host, so 10,000 transfers on one handle cost O(n^2): 12 s just to start them all. Spread
// over handles of at most this many transfers, each walk stays short.
constexpr size_t k_transfers_per_multi = 256;

} // namespace

/// The queue, the running transfers and the multi handles that run them.
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
  bool finished(CURL* easy, CURLcode result);
  Multi& pick_multi();
  void start(std::unique_ptr<Transfer> transfer);
  void start_queued();
  void fail_later(std::unique_ptr<Transfer> transfer, int curl_code, std::string_view message);
  CURL* take_easy();
  void return_easy(CURL* easy);

  event::Loop& m_loop;
  ClientOptions m_options;
  std::vector<std::unique_ptr<Multi>> m_multis;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> m_active;
  std::deque<std::unique_ptr<Transfer>> m_queue;
  std::vector<CURL*> m_free_easy;                               // reset handles, kept to save allocations
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // tells callbacks we are gone
};

ClientCore::ClientCore(event::Loop& loop, ClientOptions options) : m_loop(loop), m_options(options) {
  curl(); // the first Client loads and starts libcurl (curl_library.hpp); throws if it cannot
  raise_fd_limit();
  if (m_options.max_inflight == 0) {
    m_options.max_inflight = 1;
  }
}

ClientCore::~ClientCore() {
  m_alive.reset();
  for (auto& [easy, transfer] : m_active) {
    transfer->multi->remove(easy);
    curl().easy_cleanup(easy);
  }
  m_active.clear();
  m_queue.clear();
  for (CURL* easy : m_free_easy) {
    curl().easy_cleanup(easy);
  }
  m_multis.clear();
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

Multi& ClientCore::pick_multi() {
  // First fit: a lone request always lands on the first handle, and reuses its connections.
  // A per-host connection cap is per handle in curl, so with one the client uses one handle.
  for (const auto& multi : m_multis) {
    if (multi->active() < k_transfers_per_multi || m_options.max_host_connections > 0) {
      return *multi;
    }
  }
  auto on_finished = [](void* self, CURL* easy, CURLcode result) {
    return static_cast<ClientCore*>(self)->finished(easy, result);
  };
  m_multis.push_back(std::make_unique<Multi>(m_loop, m_options.max_host_connections, on_finished, this));
  return *m_multis.back();
}

void ClientCore::start(std::unique_ptr<Transfer> transfer) {
  transfer->easy = take_easy();
  if (transfer->easy == nullptr) {
    fail_later(std::move(transfer), CURLE_FAILED_INIT, "cannot create a curl handle");
    return;
  }
  if (CURLcode rc = prepare(*transfer, m_options.buffer_size); rc != CURLE_OK) {
    fail_later(std::move(transfer), rc, curl().easy_strerror(rc));
    return;
  }
  // Adding only schedules a timeout of 0: the transfer starts on the next loop round, so
  // `done` can never run inside send().
  Multi& multi = pick_multi();
  if (CURLMcode rc = multi.add(transfer->easy); rc != CURLM_OK) {
    fail_later(std::move(transfer), CURLE_FAILED_INIT, curl().multi_strerror(rc));
    return;
  }
  transfer->multi = &multi;
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

bool ClientCore::finished(CURL* easy, CURLcode result) {
  auto it = m_active.find(easy);
  if (it == m_active.end()) {
    return true;
  }
  std::unique_ptr<Transfer> transfer = std::move(it->second);
  m_active.erase(it);
  finish(*transfer, result);
  return_easy(easy);
  transfer->easy = nullptr;
  // Refill the freed slot first, so requests leave the queue in the order they entered it.
  start_queued();
  std::weak_ptr<bool> alive = m_alive;
  transfer->done(std::move(transfer->response));
  return !alive.expired();
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
    return curl().easy_init();
  }
  CURL* easy = m_free_easy.back();
  m_free_easy.pop_back();
  return easy;
}

void ClientCore::return_easy(CURL* easy) {
  // Reset drops pointers into the finished request; the multi handle keeps the connections.
  if (m_free_easy.size() < m_options.max_inflight) {
    reset_handle(easy);
    m_free_easy.push_back(easy);
  } else {
    curl().easy_cleanup(easy);
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
