#pragma once
// Decides which Telegram call goes out next, and when. Telegram allows a bot about one message
// per second in a chat and about 30 per second overall (API-FACTS §1.5); the reference bot
// configured 5,000/s and 30/s and so never limited anything, and ignored 429 (weakness 15).
//
// Each call is a ticket in one of three lanes:
//   callback  answerCallbackQuery: ends a button's spinner; jumps every queue, is not held to
//             the per-chat limit (it posts nothing in the chat), but takes a global token and
//             waits out a 429.
//   urgent    final states and one-shot actions: go before any intermediate state when the
//             global budget is short (10,000 confirmations at 30/s take 333 s: spend them on
//             what the person must see).
//   normal    intermediate states, which the caller coalesces while they wait.
// A chat has at most one call in flight, so its calls reach Telegram in the order sent. Within
// a chat and lane, and across chats, tickets go oldest first. Time is passed in, never read,
// so tests drive it with a ManualClock.

#include "common/core/clock.hpp"
#include "common/rate/token_bucket.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

namespace m2g::progress {

enum class Lane { callback, urgent, normal };

/// Limits on outgoing calls. Bursts are max(1, rate): a quiet chat gets its first call at once.
struct RateOptions {
  double per_chat_rate = 1; ///< calls per second into one chat
  double global_rate = 30;  ///< calls per second overall (1000 with paid broadcasts)
};

using TicketId = uint64_t;

class Scheduler {
public:
  /// Whom a 429 applies to. Telegram does not say; `unknown` lets the scheduler guess: 429s
  /// from two different chats within a second mean the global limit.
  enum class Scope { chat, global, unknown };

  Scheduler(RateOptions options, TimePoint now);

  /// Queue a call into `chat` in `lane`.
  TicketId add(int64_t chat, Lane lane, TimePoint now);
  /// Move a queued (or in-flight, for its retry) normal ticket to the urgent lane, keeping its
  /// place in line.
  void promote(TicketId id, TimePoint now);
  /// Forget a queued ticket; false (and nothing changes) if it is in flight or unknown.
  bool cancel(TicketId id, TimePoint now);

  /// The next ticket that may be sent now, if any; it is then in flight until complete() or
  /// a retry. Call repeatedly until it returns nothing.
  std::optional<TicketId> pop(TimePoint now);
  /// An in-flight ticket is done for good (sent, or given up).
  void complete(TicketId id, TimePoint now);
  /// An in-flight ticket got 429: it goes back to its place in line, and its chat (or every
  /// chat, for a global 429) waits `delay`.
  void retry_after(TicketId id, TimePoint now, Millis delay, Scope scope = Scope::unknown);
  /// An in-flight ticket failed transiently (5xx, network): back in line, its chat waits `delay`.
  void retry_later(TicketId id, TimePoint now, Millis delay);

  /// When pop() may next return something (now if it already can); nothing if no ticket waits.
  std::optional<TimePoint> next_wakeup(TimePoint now) const;

  /// Tickets waiting (not in flight) in `lane`.
  size_t queued(Lane lane) const;
  size_t in_flight() const { return m_in_flight; }
  /// Tickets waiting or in flight.
  size_t size() const { return m_tickets.size(); }
  int64_t chat_of(TicketId id) const;
  /// Chats the scheduler keeps state for (bounded: idle chats are forgotten once refilled).
  size_t chats() const { return m_chats.size(); }

private:
  struct Ticket {
    int64_t chat = 0;
    Lane lane = Lane::normal;
    uint64_t seq = 0;
    bool in_flight = false;
    TimePoint not_before{}; // callbacks only: a transient retry's delay
  };
  // A queued ticket of a chat. Its order key is the seq, with the top bit set in the normal
  // lane, so the urgent tickets come first, each lane oldest first.
  struct Queued {
    uint64_t key = 0;
    TicketId id = 0;
  };
  static constexpr uint64_t k_normal_bit = uint64_t{1} << 63;
  // 10,000 chats wait at once for a big batch's end states, mostly one ticket each: a sorted
  // vector, not two maps, and heaps, not sets, for the ready chats (a third of the memory).
  struct Chat {
    rate::TokenBucket bucket;
    TimePoint cooldown_until{};
    std::vector<Queued> queue;                   // by key
    uint64_t ready_urgent = 0, ready_normal = 0; // seq of its valid entry in the ready heaps, 0 = none
    std::optional<TimePoint> sleeping;           // its entry in m_sleeping
    bool busy = false;
  };
  // (head seq, chat), smallest first. An entry is valid while the chat's ready_* still holds
  // its seq; others are dropped when they reach the top, which is always valid.
  using ReadyHeap = std::vector<std::pair<uint64_t, int64_t>>;

  void enqueue(TicketId id, Ticket& ticket, TimePoint now);
  void refresh(int64_t chat_id, TimePoint now);
  void index(int64_t chat_id, Chat& chat, uint64_t urgent, uint64_t normal, std::optional<TimePoint> sleeping);
  void clean_ready();
  static void erase_queued(Chat& chat, uint64_t key);
  void wake_sleepers(TimePoint now);
  void forget_idle(TimePoint now);
  void requeue(TicketId id, TimePoint now, Millis delay, bool global);

  RateOptions m_options;
  rate::TokenBucket m_global;
  TimePoint m_global_pause_until{};
  uint64_t m_next_seq = 1;
  TicketId m_next_id = 1;
  size_t m_in_flight = 0;
  std::unordered_map<TicketId, Ticket> m_tickets;
  std::unordered_map<int64_t, Chat> m_chats;
  ReadyHeap m_ready_urgent, m_ready_normal;
  std::set<std::pair<TimePoint, int64_t>> m_sleeping;              // (wake, chat)
  std::set<std::tuple<TimePoint, uint64_t, TicketId>> m_callbacks; // (not_before, seq, id)
  std::deque<std::pair<TimePoint, int64_t>> m_idle;                // (bucket full at, chat)
  size_t m_queued_urgent = 0, m_queued_normal = 0;
  // The last 429, for guessing its scope.
  int64_t m_last_429_chat = 0;
  std::optional<TimePoint> m_last_429_at;
};

} // namespace m2g::progress
