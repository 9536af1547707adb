#pragma once
// Client internals: one curl multi handle driven by the event Loop. Curl says which sockets to
// watch and when to wake it; the Loop calls curl_multi_socket_action when that happens, and
// finished transfers are handed back one by one.

#include "common/event/loop.hpp"
#include "common/http/curl_library.hpp"

#include <optional>
#include <unordered_set>

namespace m2g::http::detail {

/// A multi handle, its watched sockets and its timer.
class Multi {
public:
  /// Told of each finished transfer (already removed from the handle). Returns false when the
  /// client was destroyed meanwhile: the Multi then touches nothing more. A plain function
  /// pointer, so that nothing it is called through can be freed while it runs.
  using Finished = bool (*)(void* context, CURL* easy, CURLcode result);

  Multi(event::Loop& loop, long max_host_connections, Finished finished, void* context);
  ~Multi();
  Multi(const Multi&) = delete;
  Multi& operator=(const Multi&) = delete;

  /// Start `easy` on the next loop round (curl only schedules a timeout of 0 here).
  CURLMcode add(CURL* easy);
  /// Abort `easy` without reporting it.
  void remove(CURL* easy);
  /// Transfers added and not yet finished.
  size_t active() const { return m_active; }

private:
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  void socket_ready(curl_socket_t fd, uint32_t events);
  void arm_timer(TimePoint due);
  void timer_fired();
  void collect_finished();

  event::Loop& m_loop;
  Finished m_finished;
  void* m_context;
  CURLM* m_multi = nullptr;
  size_t m_active = 0;
  std::unordered_set<curl_socket_t> m_watched;
  event::TimerId m_timer = 0;          // the loop timer now armed, if any
  TimePoint m_timer_at{};              // ... and when it fires
  std::optional<TimePoint> m_curl_due; // when curl last asked to be woken
};

} // namespace m2g::http::detail
