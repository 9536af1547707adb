#pragma once
// The status messages m2g-progress keeps: one slot per message, keyed "m:CHAT:MESSAGE_ID" when
// the message is known (a job's status_message_id, an editMessageText action) or "j:JOB_ID"
// for a job whose status message m2g-progress sends itself. A slot with work (a state waiting
// or in flight) is active; an idle slot keeps only what later lines need (its message id, the
// hash of what it shows, whether its job finished) in an LRU of bounded size, so memory stays
// flat however many jobs pass.

#include "common/progress/render.hpp"
#include "common/progress/scheduler.hpp"

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace m2g::progress {

/// A Frame as a slot keeps it while it waits: the parameters serialized, a fraction of the
/// memory of their DOM (10,000 end states may wait for the 30/s budget at once), and without
/// the parts every status frame repeats (parse_mode HTML, no link preview, the View button of
/// `link`): those were half of each ~370-byte end state, are flags here, and come back on unpack.
struct PackedFrame {
  std::string params; ///< the Frame's params as one JSON object, less what the flags say
  /// The Frame's link, shared by the frames that carry the same one (a burst of results
  /// mostly links to a few files); null for none. Read it with link().
  std::shared_ptr<const std::string> shared_link;
  bool html = false;        ///< params had parse_mode HTML and link previews off
  bool view_button = false; ///< params had reply_markup = view_button(link)
  int degraded = 0;
  bool final = false;
  bool from_progress = false;
  bool ends_job = false;
  bool revivable = false;

  const std::string& link() const;
  void set_link(std::string_view link);
};

/// Serialize a frame for waiting, and back for sending or degrading.
PackedFrame pack(Frame&& frame);
Frame unpack(const PackedFrame& frame);
/// The JSON body of the sendMessage (`new_message`, answering message `target` unless 0) or
/// editMessageText (of message `target`) that shows `frame` in `chat`: what unpack() and the
/// added fields would serialize to, written directly. Empty when the frame's params already
/// hold one of the added fields (then merge them in a DOM).
std::string status_call_body(const PackedFrame& frame, const json& chat, bool new_message, int64_t target);
/// What pack() makes of a status frame (HTML `text`, no link preview, a "🔗 View" button when
/// `url` is a web link), made without the Frame: the fast path of job lines.
PackedFrame pack_status(std::string_view text, std::string_view url);

/// What is remembered about a status message between calls.
struct SlotMemory {
  json chat;              ///< chat_id as the lines give it (an integer, or "@channel")
  int64_t chat_key = 0;   ///< the scheduler's key for the chat
  int64_t message_id = 0; ///< the message shown; 0 = not sent yet
  int64_t reply_to = 0;   ///< the person's message a new status message answers
  size_t shown = 0;       ///< hash of the parameters the message shows now (0 = unknown)
  int frames = 0;         ///< intermediate states sent
  bool finished = false;  ///< its job's end state was shown: later intermediates are stale
  bool revivable = false; ///< ... but the job may run again (a retryable error, a rejection)
  bool lost = false;      ///< the message vanished: only an end state is sent, as a new message
};

/// A status message with work in progress.
struct Slot : SlotMemory {
  std::string key;
  // On the heap, not inline: a slot waits with one state at most, and 10,000 slots wait at once.
  std::unique_ptr<PackedFrame> desired; ///< the newest state not yet sent (coalesced: newest wins)
  std::unique_ptr<PackedFrame> sending; ///< the state in flight
  bool sending_new = false;             ///< the call in flight is a sendMessage (not an edit)
  TicketId ticket = 0;                  ///< its scheduler ticket, queued or in flight; 0 = none
  int failures = 0;                     ///< transient failures of the current call, for the backoff
};

class SlotTable {
public:
  /// `max_idle`: idle slots remembered; the least recently used are forgotten beyond it.
  explicit SlotTable(size_t max_idle) : m_max_idle(max_idle) {}

  /// The active slot `key`, made active from memory or created empty if needed.
  Slot& activate(const std::string& key, bool* created = nullptr);
  /// The active slot `key`, or nullptr.
  Slot* find(const std::string& key);
  /// What is remembered of `key` (active or idle), or nullptr.
  const SlotMemory* recall(const std::string& key) const;
  /// Move an active slot without work into memory (most recently used).
  void park(const std::string& key);
  /// Forget `key` entirely.
  void forget(const std::string& key);

  size_t active() const { return m_active.size(); }
  size_t idle() const { return m_idle.size(); }
  /// Every active slot, for a drain.
  std::unordered_map<std::string, Slot>& active_slots() { return m_active; }

private:
  using Lru = std::list<std::string>;
  size_t m_max_idle;
  std::unordered_map<std::string, Slot> m_active;
  Lru m_lru; // idle keys, most recent first
  std::unordered_map<std::string, std::pair<SlotMemory, Lru::iterator>> m_idle;
};

} // namespace m2g::progress
