#include "common/progress/scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace m2g::progress {
namespace {

// Two 429s from different chats closer than this are taken as the bot's global limit.
constexpr Millis k_global_429_window{1000};

double burst_of(double rate) {
  return std::max(1.0, rate);
}

// Min-heap order for the ready heaps.
constexpr std::greater<std::pair<uint64_t, int64_t>> k_later;

} // namespace

Scheduler::Scheduler(RateOptions options, TimePoint now)
    : m_options(options), m_global(options.global_rate, burst_of(options.global_rate), now) {}

TicketId Scheduler::add(int64_t chat, Lane lane, TimePoint now) {
  TicketId id = m_next_id++;
  Ticket& ticket = m_tickets[id];
  ticket.chat = chat;
  ticket.lane = lane;
  ticket.seq = m_next_seq++;
  enqueue(id, ticket, now);
  return id;
}

void Scheduler::enqueue(TicketId id, Ticket& ticket, TimePoint now) {
  if (ticket.lane == Lane::callback) {
    m_callbacks.emplace(ticket.not_before, ticket.seq, id);
    return;
  }
  auto [it, inserted] = m_chats.try_emplace(ticket.chat);
  if (inserted) {
    double rate = m_options.per_chat_rate;
    it->second.bucket = rate::TokenBucket(rate, burst_of(rate), now);
  }
  Queued entry{ticket.lane == Lane::urgent ? ticket.seq : ticket.seq | k_normal_bit, id};
  auto& queue = it->second.queue;
  queue.insert(std::upper_bound(queue.begin(), queue.end(), entry,
                                [](const Queued& a, const Queued& b) { return a.key < b.key; }),
               entry);
  ++(ticket.lane == Lane::urgent ? m_queued_urgent : m_queued_normal);
  refresh(ticket.chat, now);
}

void Scheduler::erase_queued(Chat& chat, uint64_t key) {
  auto found = std::lower_bound(chat.queue.begin(), chat.queue.end(), key,
                                [](const Queued& a, uint64_t k) { return a.key < k; });
  if (found != chat.queue.end() && found->key == key) {
    chat.queue.erase(found);
  }
  if (chat.queue.empty()) {
    chat.queue.shrink_to_fit();
  }
}

void Scheduler::promote(TicketId id, TimePoint now) {
  auto it = m_tickets.find(id);
  if (it == m_tickets.end() || it->second.lane != Lane::normal) {
    return;
  }
  Ticket& ticket = it->second;
  ticket.lane = Lane::urgent;
  if (ticket.in_flight) {
    return; // a retry will queue it as urgent
  }
  Chat& chat = m_chats.at(ticket.chat);
  erase_queued(chat, ticket.seq | k_normal_bit);
  --m_queued_normal;
  enqueue(id, ticket, now); // same seq, now urgent: it keeps its place in line
}

bool Scheduler::cancel(TicketId id, TimePoint now) {
  auto it = m_tickets.find(id);
  if (it == m_tickets.end() || it->second.in_flight) {
    return false;
  }
  Ticket ticket = it->second;
  m_tickets.erase(it);
  if (ticket.lane == Lane::callback) {
    m_callbacks.erase({ticket.not_before, ticket.seq, id});
    return true;
  }
  Chat& chat = m_chats.at(ticket.chat);
  if (ticket.lane == Lane::urgent) {
    erase_queued(chat, ticket.seq);
    --m_queued_urgent;
  } else {
    erase_queued(chat, ticket.seq | k_normal_bit);
    --m_queued_normal;
  }
  refresh(ticket.chat, now);
  return true;
}

// Point the ready heaps and the sleepers at where the chat now is. An old heap entry is not
// removed: it is no longer valid, and goes when it reaches the top.
void Scheduler::index(int64_t chat_id, Chat& chat, uint64_t urgent, uint64_t normal,
                      std::optional<TimePoint> sleeping) {
  if (chat.ready_urgent != urgent) {
    chat.ready_urgent = urgent;
    if (urgent != 0) {
      m_ready_urgent.emplace_back(urgent, chat_id);
      std::push_heap(m_ready_urgent.begin(), m_ready_urgent.end(), k_later);
    }
  }
  if (chat.ready_normal != normal) {
    chat.ready_normal = normal;
    if (normal != 0) {
      m_ready_normal.emplace_back(normal, chat_id);
      std::push_heap(m_ready_normal.begin(), m_ready_normal.end(), k_later);
    }
  }
  if (chat.sleeping != sleeping) {
    if (chat.sleeping) {
      m_sleeping.erase({*chat.sleeping, chat_id});
    }
    if (sleeping) {
      m_sleeping.emplace(*sleeping, chat_id);
    }
    chat.sleeping = sleeping;
  }
}

// Drop invalid entries from the top of the ready heaps, so that a top is always a ready chat.
void Scheduler::clean_ready() {
  auto clean = [this](ReadyHeap& heap, uint64_t Chat::*ready) {
    while (!heap.empty()) {
      auto [seq, chat_id] = heap.front();
      auto it = m_chats.find(chat_id);
      if (it != m_chats.end() && it->second.*ready == seq) {
        return;
      }
      std::pop_heap(heap.begin(), heap.end(), k_later);
      heap.pop_back();
    }
    heap.shrink_to_fit(); // the burst is over: give its memory back
  };
  clean(m_ready_urgent, &Chat::ready_urgent);
  clean(m_ready_normal, &Chat::ready_normal);
}

// Put a chat where it belongs: ready (with its oldest ticket of each lane), asleep until its
// token or cooldown, or nowhere (busy or empty; an empty chat is forgotten once refilled).
void Scheduler::refresh(int64_t chat_id, TimePoint now) {
  auto it = m_chats.find(chat_id);
  if (it == m_chats.end()) {
    return;
  }
  Chat& chat = it->second;
  if (chat.busy) {
    index(chat_id, chat, 0, 0, std::nullopt);
  } else if (chat.queue.empty()) {
    index(chat_id, chat, 0, 0, std::nullopt);
    if (chat.bucket.full(now) && chat.cooldown_until <= now) {
      m_chats.erase(it);
    } else {
      auto refill =
          Millis(static_cast<int64_t>(std::ceil(burst_of(m_options.per_chat_rate) * 1000 / m_options.per_chat_rate)));
      m_idle.emplace_back(std::max(now + refill, chat.cooldown_until), chat_id);
    }
  } else if (TimePoint wake = std::max(chat.cooldown_until, now + chat.bucket.time_to_token(now)); wake > now) {
    index(chat_id, chat, 0, 0, wake);
  } else {
    uint64_t urgent = (chat.queue.front().key & k_normal_bit) == 0 ? chat.queue.front().key : 0;
    auto first_normal = std::lower_bound(chat.queue.begin(), chat.queue.end(), k_normal_bit,
                                         [](const Queued& a, uint64_t k) { return a.key < k; });
    uint64_t normal = first_normal != chat.queue.end() ? first_normal->key & ~k_normal_bit : 0;
    index(chat_id, chat, urgent, normal, std::nullopt);
  }
  clean_ready();
}

void Scheduler::wake_sleepers(TimePoint now) {
  while (!m_sleeping.empty() && m_sleeping.begin()->first <= now) {
    refresh(m_sleeping.begin()->second, now); // removes the entry, re-adds it if still not due
  }
}

void Scheduler::forget_idle(TimePoint now) {
  while (!m_idle.empty() && m_idle.front().first <= now) {
    int64_t chat_id = m_idle.front().second;
    m_idle.pop_front();
    auto it = m_chats.find(chat_id);
    if (it != m_chats.end() && !it->second.busy && it->second.queue.empty()) {
      refresh(chat_id, now); // erases it when refilled, else queues another look
    }
  }
}

std::optional<TicketId> Scheduler::pop(TimePoint now) {
  wake_sleepers(now);
  forget_idle(now);
  if (now < m_global_pause_until) {
    return std::nullopt;
  }
  if (!m_callbacks.empty() && std::get<0>(*m_callbacks.begin()) <= now) {
    if (!m_global.try_take(now)) {
      return std::nullopt;
    }
    TicketId id = std::get<2>(*m_callbacks.begin());
    m_callbacks.erase(m_callbacks.begin());
    m_tickets.at(id).in_flight = true;
    ++m_in_flight;
    return id;
  }
  const auto& ready = !m_ready_urgent.empty() ? m_ready_urgent : m_ready_normal;
  if (ready.empty() || !m_global.try_take(now)) {
    return std::nullopt;
  }
  int64_t chat_id = ready.front().second;
  Chat& chat = m_chats.at(chat_id);
  chat.bucket.try_take(now);        // it was ready, so a token is there
  Queued head = chat.queue.front(); // urgent before normal
  chat.queue.erase(chat.queue.begin());
  if (chat.queue.empty()) {
    chat.queue.shrink_to_fit();
  }
  TicketId id = head.id;
  --((head.key & k_normal_bit) == 0 ? m_queued_urgent : m_queued_normal);
  chat.busy = true;
  refresh(chat_id, now);
  m_tickets.at(id).in_flight = true;
  ++m_in_flight;
  return id;
}

void Scheduler::complete(TicketId id, TimePoint now) {
  auto it = m_tickets.find(id);
  if (it == m_tickets.end() || !it->second.in_flight) {
    return;
  }
  Ticket ticket = it->second;
  m_tickets.erase(it);
  --m_in_flight;
  if (ticket.lane == Lane::callback) {
    return;
  }
  m_chats.at(ticket.chat).busy = false;
  refresh(ticket.chat, now);
}

void Scheduler::retry_after(TicketId id, TimePoint now, Millis delay, Scope scope) {
  auto it = m_tickets.find(id);
  if (it == m_tickets.end() || !it->second.in_flight) {
    return;
  }
  int64_t chat = it->second.chat;
  if (scope == Scope::unknown) {
    bool other_chat_recently = m_last_429_at && m_last_429_chat != chat && now - *m_last_429_at < k_global_429_window;
    // A callback answer posts in no chat: its 429 can only be the bot's.
    scope = it->second.lane == Lane::callback || other_chat_recently ? Scope::global : Scope::chat;
  }
  m_last_429_chat = chat;
  m_last_429_at = now;
  requeue(id, now, delay, scope == Scope::global);
}

void Scheduler::retry_later(TicketId id, TimePoint now, Millis delay) {
  requeue(id, now, delay, false);
}

void Scheduler::requeue(TicketId id, TimePoint now, Millis delay, bool global) {
  auto it = m_tickets.find(id);
  if (it == m_tickets.end() || !it->second.in_flight) {
    return;
  }
  Ticket& ticket = it->second;
  ticket.in_flight = false;
  --m_in_flight;
  if (global) {
    m_global_pause_until = std::max(m_global_pause_until, now + delay);
  }
  if (ticket.lane == Lane::callback) {
    ticket.not_before = now + delay;
    enqueue(id, ticket, now);
    return;
  }
  Chat& chat = m_chats.at(ticket.chat);
  chat.busy = false;
  chat.cooldown_until = std::max(chat.cooldown_until, now + delay);
  enqueue(id, ticket, now); // same seq: it keeps its place in line
}

std::optional<TimePoint> Scheduler::next_wakeup(TimePoint now) const {
  if (m_tickets.size() == m_in_flight) {
    return std::nullopt;
  }
  std::optional<TimePoint> wake;
  auto consider = [&](TimePoint t) { wake = wake ? std::min(*wake, t) : t; };
  TimePoint token_at = now + m_global.time_to_token(now);
  if (!m_ready_urgent.empty() || !m_ready_normal.empty()) {
    consider(token_at);
  }
  if (!m_callbacks.empty()) {
    consider(std::max(std::get<0>(*m_callbacks.begin()), token_at));
  }
  if (!m_sleeping.empty()) {
    consider(m_sleeping.begin()->first);
  }
  if (wake && *wake < m_global_pause_until) {
    wake = m_global_pause_until;
  }
  return wake;
}

size_t Scheduler::queued(Lane lane) const {
  switch (lane) {
  case Lane::callback:
    return m_callbacks.size();
  case Lane::urgent:
    return m_queued_urgent;
  case Lane::normal:
    return m_queued_normal;
  }
  return 0;
}

int64_t Scheduler::chat_of(TicketId id) const {
  auto it = m_tickets.find(id);
  return it == m_tickets.end() ? 0 : it->second.chat;
}

} // namespace m2g::progress
