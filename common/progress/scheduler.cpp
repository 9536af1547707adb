#include "common/progress/scheduler.hpp"

#include <algorithm>
#include <cmath>

namespace m2g::progress {
namespace {

// Two 429s from different chats closer than this are taken as the bot's global limit.
constexpr Millis k_global_429_window{1000};

double burst_of(double rate) {
  return std::max(1.0, rate);
}

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
  if (ticket.lane == Lane::urgent) {
    it->second.urgent.emplace(ticket.seq, id);
    ++m_queued_urgent;
  } else {
    it->second.normal.emplace(ticket.seq, id);
    ++m_queued_normal;
  }
  refresh(ticket.chat, now);
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
  chat.normal.erase(ticket.seq);
  chat.urgent.emplace(ticket.seq, id);
  --m_queued_normal;
  ++m_queued_urgent;
  refresh(ticket.chat, now);
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
    chat.urgent.erase(ticket.seq);
    --m_queued_urgent;
  } else {
    chat.normal.erase(ticket.seq);
    --m_queued_normal;
  }
  refresh(ticket.chat, now);
  return true;
}

void Scheduler::unindex(int64_t chat_id, Chat& chat) {
  if (chat.ready_urgent != 0) {
    m_ready_urgent.erase({chat.ready_urgent, chat_id});
    chat.ready_urgent = 0;
  }
  if (chat.ready_normal != 0) {
    m_ready_normal.erase({chat.ready_normal, chat_id});
    chat.ready_normal = 0;
  }
  if (chat.sleeping) {
    m_sleeping.erase({*chat.sleeping, chat_id});
    chat.sleeping.reset();
  }
}

// Put a chat where it belongs: ready (with its oldest ticket of each lane), asleep until its
// token or cooldown, or nowhere (busy or empty; an empty chat is forgotten once refilled).
void Scheduler::refresh(int64_t chat_id, TimePoint now) {
  auto it = m_chats.find(chat_id);
  if (it == m_chats.end()) {
    return;
  }
  Chat& chat = it->second;
  unindex(chat_id, chat);
  if (chat.busy) {
    return;
  }
  if (chat.urgent.empty() && chat.normal.empty()) {
    if (chat.bucket.full(now) && chat.cooldown_until <= now) {
      m_chats.erase(it);
    } else {
      auto refill =
          Millis(static_cast<int64_t>(std::ceil(burst_of(m_options.per_chat_rate) * 1000 / m_options.per_chat_rate)));
      m_idle.emplace_back(std::max(now + refill, chat.cooldown_until), chat_id);
    }
    return;
  }
  TimePoint wake = std::max(chat.cooldown_until, now + chat.bucket.time_to_token(now));
  if (wake > now) {
    chat.sleeping = wake;
    m_sleeping.emplace(wake, chat_id);
    return;
  }
  if (!chat.urgent.empty()) {
    chat.ready_urgent = chat.urgent.begin()->first;
    m_ready_urgent.emplace(chat.ready_urgent, chat_id);
  }
  if (!chat.normal.empty()) {
    chat.ready_normal = chat.normal.begin()->first;
    m_ready_normal.emplace(chat.ready_normal, chat_id);
  }
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
    if (it != m_chats.end() && !it->second.busy && it->second.urgent.empty() && it->second.normal.empty()) {
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
  int64_t chat_id = ready.begin()->second;
  Chat& chat = m_chats.at(chat_id);
  chat.bucket.try_take(now); // it was ready, so a token is there
  auto& lane = !chat.urgent.empty() ? chat.urgent : chat.normal;
  TicketId id = lane.begin()->second;
  lane.erase(lane.begin());
  --(&lane == &chat.urgent ? m_queued_urgent : m_queued_normal);
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
