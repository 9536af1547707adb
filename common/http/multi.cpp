#include "common/http/multi.hpp"

namespace m2g::http::detail {

Multi::Multi(event::Loop& loop, long max_host_connections, Finished finished, void* context)
    : m_loop(loop), m_finished(finished), m_context(context), m_multi(curl().multi_init()) {
  curl().multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, on_socket);
  curl().multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
  curl().multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, on_timer);
  curl().multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
  if (max_host_connections > 0) {
    curl().multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, max_host_connections);
  }
}

Multi::~Multi() {
  curl().multi_cleanup(m_multi);
  // Whatever curl did not report as removed must not call back into freed memory.
  for (curl_socket_t fd : m_watched) {
    m_loop.unwatch(fd);
  }
  m_loop.cancel(m_timer);
}

CURLMcode Multi::add(CURL* easy) {
  CURLMcode rc = curl().multi_add_handle(m_multi, easy);
  if (rc == CURLM_OK) {
    ++m_active;
  }
  return rc;
}

void Multi::remove(CURL* easy) {
  curl().multi_remove_handle(m_multi, easy);
  --m_active;
}

int Multi::on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void*) {
  auto* self = static_cast<Multi*>(self_ptr);
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

int Multi::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<Multi*>(self_ptr);
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
    self->arm_timer(due);
  }
  return 0;
}

void Multi::arm_timer(TimePoint due) {
  m_timer_at = due;
  m_timer = m_loop.at(due, [this] { timer_fired(); });
}

void Multi::timer_fired() {
  m_timer = 0;
  if (!m_curl_due) {
    return;
  }
  if (m_loop.now() < *m_curl_due) {
    arm_timer(*m_curl_due);
    return;
  }
  m_curl_due.reset();
  int running = 0;
  curl().multi_socket_action(m_multi, CURL_SOCKET_TIMEOUT, 0, &running);
  collect_finished(); // last: a finished callback may destroy this object
}

void Multi::socket_ready(curl_socket_t fd, uint32_t events) {
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
  curl().multi_socket_action(m_multi, fd, flags, &running);
  collect_finished(); // last: a finished callback may destroy this object
}

void Multi::collect_finished() {
  int left = 0;
  while (CURLMsg* message = curl().multi_info_read(m_multi, &left)) {
    if (message->msg != CURLMSG_DONE) {
      continue;
    }
    CURL* easy = message->easy_handle;
    CURLcode result = message->data.result;
    remove(easy); // invalidates `message`
    if (!m_finished(m_context, easy, result)) {
      return;
    }
  }
}

} // namespace m2g::http::detail
