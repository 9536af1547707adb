#include "common/progress/outbox.hpp"

#include "common/core/log.hpp"
#include "common/progress/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace m2g::progress {
namespace {

// The Bot API methods an action line may ask for (man/m2g.7): the ones a chat conversation
// needs. Anything else (logOut, close, setWebhook, ...) could harm the bot and is refused.
constexpr std::array<std::string_view, 5> k_methods{"sendMessage", "editMessageText", "answerCallbackQuery",
                                                    "deleteMessage", "editMessageReplyMarkup"};

// The scheduler's key for a chat_id: the number itself, or a hash for "@channelusername".
int64_t chat_key_of(const json& chat) {
  if (chat.is_number_integer()) {
    return chat.get<int64_t>();
  }
  if (chat.is_string()) {
    const std::string& text = chat.get_ref<const std::string&>();
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) {
      return value;
    }
    return static_cast<int64_t>(std::hash<std::string>{}(text) | (uint64_t{1} << 62));
  }
  return 0;
}

std::string chat_text(const json& chat) {
  return chat.is_string() ? chat.get<std::string>() : std::to_string(chat_key_of(chat));
}

bool is_chat(const json& value) {
  return value.is_number_integer() || (value.is_string() && !value.empty());
}

int64_t int_field(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// What a frame shows, as a hash: its packed params, the parts left out of them, and the link
// whose button it may carry.
size_t hash_params(const PackedFrame& frame) {
  size_t hash = std::hash<std::string>{}(frame.params);
  if (frame.view_button) {
    hash = hash * 31 + std::hash<std::string>{}(frame.link());
  }
  hash = hash * 4 + (frame.html ? 2 : 0) + (frame.view_button ? 1 : 0);
  return hash == 0 ? 1 : hash; // 0 means "unknown"
}

} // namespace

Outbox::Outbox(event::Loop& loop, Transport& transport, OutboxOptions options)
    : m_loop(loop), m_transport(transport), m_options(options), m_scheduler(options.rate, loop.now()),
      m_slots(options.max_jobs) {}

Outbox::~Outbox() {
  *m_alive = false;
  if (m_timer != 0) {
    m_loop.cancel(m_timer);
  }
}

bool Outbox::idle() const {
  return m_unauthorized || m_scheduler.size() == 0;
}

Result<void> Outbox::accept(const json& line, jsonl::Kind kind) {
  if (m_unauthorized || !line.is_object()) {
    return {};
  }
  switch (kind) {
  case jsonl::Kind::action:
    return accept_action(line);
  case jsonl::Kind::progress:
    accept_job_line(line, render_progress(line));
    break;
  case jsonl::Kind::result:
    accept_job_line(line, render_result(line));
    break;
  case jsonl::Kind::error:
    accept_job_line(line, render_error(line));
    break;
  case jsonl::Kind::rejection:
    accept_rejection(line);
    break;
  default:
    break;
  }
  return {};
}

Result<void> Outbox::accept_action(const json& line) {
  auto method = line.find("method");
  if (method == line.end() || !method->is_string()) {
    return fail(65, "action without a method");
  }
  std::string name = method->get<std::string>();
  if (std::find(k_methods.begin(), k_methods.end(), name) == k_methods.end()) {
    return fail(65, "unknown action method '" + name + "'");
  }
  auto found = line.find("params");
  if (found == line.end() || !found->is_object()) {
    return fail(65, "action without params");
  }
  json params = *found;
  fit_params(name, params);
  json chat = params.contains("chat_id") ? params["chat_id"] : line.value("chat_id", json());
  auto final = line.find("final");
  bool is_final = final != line.end() && final->is_boolean() && final->get<bool>();
  if (name == "editMessageText" && is_chat(params.value("chat_id", json())) && int_field(params, "message_id") != 0 &&
      !params.contains("inline_message_id")) {
    // An edit of a message is a state of that message: it shares the slot (and the order)
    // with the job states shown in it, so a late "queued" never overwrites a "✅".
    int64_t message_id = int_field(params, "message_id");
    Frame frame;
    frame.final = is_final;
    frame.params = std::move(params);
    frame.params.erase("chat_id");
    frame.params.erase("message_id");
    update_slot("m:" + chat_text(chat) + ":" + std::to_string(message_id), chat, message_id, 0, pack(std::move(frame)),
                false);
    return {};
  }
  Lane lane = name == "answerCallbackQuery" ? Lane::callback : Lane::urgent;
  add_action(Call{name, std::move(params), {}}, lane, chat_key_of(chat));
  return {};
}

void Outbox::accept(JobLine&& line) {
  if (m_unauthorized) {
    return;
  }
  show_job_state(json(line.chat), line.status_message_id, line.message_id, line.id, std::move(line.frame));
}

void Outbox::accept_job_line(const json& line, Frame frame) {
  json chat = line.value("chat_id", json());
  if (!is_chat(chat)) {
    log::debug("line without chat_id: nothing to show");
    return;
  }
  auto id = line.find("id");
  std::string job = id != line.end() && id->is_string() ? id->get<std::string>() : "";
  show_job_state(chat, int_field(line, "status_message_id"), int_field(line, "message_id"), job,
                 pack(std::move(frame)));
}

void Outbox::show_job_state(const json& chat, int64_t status_id, int64_t reply_to, const std::string& job,
                            PackedFrame frame) {
  std::string key;
  if (status_id > 0) {
    key = "m:" + chat_text(chat) + ":" + std::to_string(status_id);
  } else if (!job.empty()) {
    key = "j:" + job;
  } else {
    // Without an id, later states cannot find this message: only an end state is worth it.
    if (frame.final) {
      json params = unpack(frame).params;
      params["chat_id"] = chat;
      add_action(Call{"sendMessage", std::move(params), {}}, Lane::urgent, chat_key_of(chat));
    }
    return;
  }
  update_slot(key, chat, status_id, reply_to, std::move(frame), true);
}

void Outbox::accept_rejection(const json& line) {
  const json* refused = nullptr;
  auto inner = line.find("line");
  if (inner != line.end() && inner->is_object()) {
    refused = &*inner;
  }
  // A refused button press: the answer ends its spinner, no message needed.
  if (refused && refused->contains("type") && (*refused)["type"] == "callback_query") {
    auto callback = refused->find("callback");
    if (callback != refused->end() && callback->is_object() && callback->contains("id") &&
        (*callback)["id"].is_string()) {
      json params = {{"callback_query_id", (*callback)["id"]},
                     {"text", html_to_plain(render_rejection(line).params["text"].get<std::string>())}};
      add_action(Call{"answerCallbackQuery", std::move(params), {}}, Lane::callback,
                 chat_key_of(line.value("chat_id", json())));
      return;
    }
  }
  json merged = line;
  if (refused) {
    // The shared fields come from the refused line when the rejection lacks them.
    for (const char* field : {"id", "chat_id", "message_id", "status_message_id"}) {
      if (!merged.contains(field) && refused->contains(field)) {
        merged[field] = (*refused)[field];
      }
    }
  }
  accept_job_line(merged, render_rejection(merged));
}

void Outbox::add_action(Call call, Lane lane, int64_t chat_key) {
  TicketId ticket = m_scheduler.add(chat_key, lane, m_loop.now());
  m_actions.emplace(ticket, Action{std::move(call), 0, false});
  request_pump();
}

void Outbox::update_slot(const std::string& key, const json& chat, int64_t message_id, int64_t reply_to,
                         PackedFrame frame, bool job_line) {
  // Drop a stale intermediate state before touching the slot, so it costs nothing.
  if (!frame.final) {
    const SlotMemory* known = m_slots.recall(key);
    bool stale = known && (known->lost || (known->finished && !known->revivable) ||
                           (frame.from_progress && known->frames >= m_options.max_frames));
    if (stale) {
      ++m_stats.skipped;
      return;
    }
  }
  bool created = false;
  Slot& slot = m_slots.activate(key, &created);
  if (created) {
    slot.chat = chat;
    slot.chat_key = chat_key_of(chat);
    slot.message_id = message_id;
  }
  if (reply_to != 0) {
    slot.reply_to = reply_to;
  }
  bool final_pending = (slot.desired && slot.desired->final) || (slot.sending && slot.sending->final);
  if (!frame.final && final_pending) {
    ++m_stats.skipped;
    park_if_idle(slot);
    return;
  }
  if (job_line && slot.finished) {
    // A new end state (a redelivered job), or a job running again after a retryable error.
    slot.finished = false;
    slot.revivable = false;
    slot.frames = 0;
  }
  if (slot.desired) {
    ++m_stats.coalesced;
  }
  if (slot.desired) {
    *slot.desired = std::move(frame);
  } else {
    slot.desired = std::make_unique<PackedFrame>(std::move(frame));
  }
  schedule(slot);
}

void Outbox::schedule(Slot& slot) {
  if (!slot.desired) {
    park_if_idle(slot);
    return;
  }
  if (slot.ticket != 0) {
    if (slot.desired->final) {
      m_scheduler.promote(slot.ticket, m_loop.now());
    }
    return; // the queued ticket sends the newest state when its turn comes
  }
  if (slot.message_id != 0 && hash_params(*slot.desired) == slot.shown) {
    // Telegram would answer "message is not modified": save the call.
    ++m_stats.skipped;
    settle(slot, *slot.desired);
    slot.desired.reset();
    park_if_idle(slot);
    return;
  }
  slot.ticket = m_scheduler.add(slot.chat_key, slot.desired->final ? Lane::urgent : Lane::normal, m_loop.now());
  m_ticket_slots.emplace(slot.ticket, &slot);
  request_pump();
}

// The message now shows `frame`.
void Outbox::settle(Slot& slot, const PackedFrame& frame) {
  slot.shown = hash_params(frame);
  slot.lost = false;
  if (!frame.final) {
    ++slot.frames;
  }
  if (frame.ends_job) {
    slot.finished = true;
    slot.revivable = frame.revivable;
  }
}

void Outbox::finish_ticket(Slot& slot, TicketId ticket) {
  m_scheduler.complete(ticket, m_loop.now());
  m_ticket_slots.erase(ticket);
  slot.ticket = 0;
  schedule(slot); // sends what arrived meanwhile, or parks the slot
}

void Outbox::park_if_idle(Slot& slot) {
  if (!slot.desired && !slot.sending && slot.ticket == 0) {
    m_slots.park(slot.key);
  }
}

void Outbox::drain() {
  m_draining = true;
  std::vector<std::string> idle;
  for (auto& [key, slot] : m_slots.active_slots()) {
    if (slot.desired && !slot.desired->final && slot.desired->from_progress) {
      slot.desired.reset();
      ++m_stats.skipped;
      if (slot.ticket != 0 && !slot.sending && m_scheduler.cancel(slot.ticket, m_loop.now())) {
        m_ticket_slots.erase(slot.ticket);
        slot.ticket = 0;
      }
    }
    if (!slot.desired && !slot.sending && slot.ticket == 0) {
      idle.push_back(key);
    }
  }
  for (const auto& key : idle) {
    m_slots.park(key);
  }
  request_pump();
  notify();
}

void Outbox::request_pump() {
  if (m_pump_pending) {
    return;
  }
  m_pump_pending = true;
  // A timer, not a deferred callback: it runs after the loop's round of I/O, so passing lines
  // on (Io's deferred flush) always goes before starting Telegram calls.
  m_loop.after(Millis(0), [this, alive = m_alive] {
    if (*alive) {
      pump();
    }
  });
}

void Outbox::pump() {
  m_pump_pending = false;
  if (m_unauthorized) {
    return;
  }
  TimePoint now = m_loop.now();
  size_t cap = std::max<size_t>(1, m_options.max_inflight);
  while (m_scheduler.in_flight() < cap) {
    auto ticket = m_scheduler.pop(now);
    if (!ticket) {
      break;
    }
    dispatch(*ticket);
    if (m_unauthorized) {
      return;
    }
  }
  // At the cap, the next reply pumps again (every reply ends in request_pump); a timer for a
  // token that is already there would only spin.
  auto wake = m_scheduler.in_flight() < cap ? m_scheduler.next_wakeup(now) : std::nullopt;
  if (wake && *wake <= now) {
    wake = now + Millis(1); // never spin on a deadline that pop() did not honour
  }
  if (m_timer != 0 && (!wake || *wake != m_timer_at)) {
    m_loop.cancel(m_timer);
    m_timer = 0;
  }
  if (wake && m_timer == 0) {
    m_timer_at = *wake;
    m_timer = m_loop.at(*wake, [this, alive = m_alive] {
      if (*alive) {
        m_timer = 0;
        pump();
      }
    });
  }
  notify();
}

void Outbox::dispatch(TicketId ticket) {
  auto found = m_ticket_slots.find(ticket);
  if (found == m_ticket_slots.end()) {
    const Call& call = m_actions.at(ticket).call;
    send(call, [this, ticket](Reply reply) { on_action_reply(ticket, std::move(reply)); });
    return;
  }
  Slot* slot = found->second;
  std::string key = slot->key;
  if (!slot->desired) {
    m_scheduler.complete(ticket, m_loop.now());
    m_ticket_slots.erase(found);
    slot->ticket = 0;
    park_if_idle(*slot);
    return;
  }
  slot->sending = std::move(slot->desired);
  slot->desired.reset();
  slot->sending_new = slot->message_id == 0;
  Call call;
  call.method = slot->sending_new ? "sendMessage" : "editMessageText";
  int64_t target = slot->sending_new ? slot->reply_to : slot->message_id;
  call.body = status_call_body(*slot->sending, slot->chat, slot->sending_new, target);
  if (call.body.empty()) {
    // The frame's own params name what the call adds: let the DOM merge them as before.
    call.params = unpack(*slot->sending).params;
    call.params["chat_id"] = slot->chat;
    if (!slot->sending_new) {
      call.params["message_id"] = slot->message_id;
    } else if (slot->reply_to != 0) {
      call.params["reply_parameters"] = {{"message_id", slot->reply_to}, {"allow_sending_without_reply", true}};
    }
  }
  send(call, [this, key, ticket](Reply reply) { on_slot_reply(key, ticket, std::move(reply)); });
}

void Outbox::send(const Call& call, std::function<void(Reply)> done) {
  ++m_stats.calls;
  m_transport.call(call, [alive = m_alive, done = std::move(done)](Reply reply) {
    if (*alive) {
      done(std::move(reply));
    }
  });
}

void Outbox::on_slot_reply(const std::string& key, TicketId ticket, Reply reply) {
  if (m_unauthorized) {
    return;
  }
  Slot* slot = m_slots.find(key);
  if (!slot || !slot->sending) {
    return; // cannot happen: a slot with a call in flight stays active
  }
  std::unique_ptr<PackedFrame> sent_frame = std::move(slot->sending);
  const PackedFrame& sent = *sent_frame; // stays alive when it becomes `desired` again
  TimePoint now = m_loop.now();
  const char* method = slot->sending_new ? "sendMessage" : "editMessageText";
  // A transient failure of an intermediate state while draining is not worth a retry.
  bool retry_worth = !(m_draining && !sent.final && sent.from_progress);
  switch (reply.outcome) {
  case Outcome::ok:
  case Outcome::not_modified:
    if (slot->sending_new) {
      slot->message_id = reply.message_id;
      if (slot->message_id == 0) {
        log::warn("sendMessage answered without a message_id: later states go out as new messages");
      }
      ++m_stats.new_messages;
    } else {
      ++m_stats.edits;
    }
    slot->failures = 0;
    settle(*slot, sent);
    finish_ticket(*slot, ticket);
    break;
  case Outcome::gone:
    // The message was deleted or can no longer be edited: an end state goes out as a new one.
    slot->message_id = 0;
    slot->shown = 0;
    slot->lost = true;
    if (sent.final && !(slot->desired && slot->desired->final)) {
      slot->desired = std::move(sent_frame);
    } else if (slot->desired && !slot->desired->final) {
      slot->desired.reset();
    }
    finish_ticket(*slot, ticket);
    break;
  case Outcome::rate_limited:
  case Outcome::transient: {
    bool limited = reply.outcome == Outcome::rate_limited;
    if (limited) {
      ++m_stats.rate_limited;
    }
    if (!retry_worth) {
      // Input is over and this state would be replaced anyway: not a failure worth a warning.
      log::debug(std::string(method) + " of an intermediate state not repeated at end of input: " + reply.description);
      ++m_stats.skipped;
      finish_ticket(*slot, ticket);
      break;
    }
    if (!limited && !backoff_allows(m_options.backoff, slot->failures)) {
      log::warn(std::string(method) + " failed, giving up: " + reply.description);
      ++m_stats.failed;
      finish_ticket(*slot, ticket);
      break;
    }
    if (!slot->desired) {
      slot->desired = std::move(sent_frame); // unless a newer state arrived meanwhile
    }
    if (limited) {
      m_scheduler.retry_after(ticket, now, reply.retry_after);
    } else {
      ++m_stats.retried;
      m_scheduler.retry_later(ticket, now, backoff_delay(m_options.backoff, slot->failures++, m_rng));
    }
    if (slot->desired->final) {
      m_scheduler.promote(ticket, now);
    }
    break;
  }
  case Outcome::bad_request:
    if (slot->sending_new && slot->reply_to != 0 && reply.description.find("replied not found") != std::string::npos) {
      // The person's message is gone and the server ignored allow_sending_without_reply.
      slot->reply_to = 0;
      if (!slot->desired) {
        slot->desired = std::move(sent_frame);
      }
      finish_ticket(*slot, ticket);
      break;
    }
    log::warn(std::string(method) + " refused: " + reply.description);
    if (Frame simpler = unpack(sent); !slot->desired && degrade(simpler)) {
      slot->desired = std::make_unique<PackedFrame>(
          pack(std::move(simpler))); // try again without the keyboard, then without formatting
    } else {
      ++m_stats.failed;
      if (sent.ends_job) {
        settle(*slot, sent); // nothing better can be shown; later intermediates are stale
        slot->shown = 0;
      }
    }
    finish_ticket(*slot, ticket);
    break;
  case Outcome::forbidden:
    log::warn(std::string(method) + " refused: " + reply.description);
    ++m_stats.failed;
    slot->desired.reset();
    m_scheduler.complete(ticket, now);
    m_ticket_slots.erase(ticket);
    m_slots.forget(key);
    break;
  case Outcome::unauthorized:
    unauthorized(reply);
    return;
  }
  request_pump();
}

void Outbox::on_action_reply(TicketId ticket, Reply reply) {
  if (m_unauthorized) {
    return;
  }
  Action& action = m_actions.at(ticket);
  TimePoint now = m_loop.now();
  bool done = true;
  switch (reply.outcome) {
  case Outcome::ok:
  case Outcome::not_modified:
  case Outcome::gone: // deleting or editing what is already gone: nothing left to do
    ++m_stats.actions;
    break;
  case Outcome::rate_limited:
    ++m_stats.rate_limited;
    m_scheduler.retry_after(ticket, now, reply.retry_after);
    done = false;
    break;
  case Outcome::transient:
    if (backoff_allows(m_options.backoff, action.failures)) {
      ++m_stats.retried;
      m_scheduler.retry_later(ticket, now, backoff_delay(m_options.backoff, action.failures++, m_rng));
      done = false;
    } else {
      log::warn(action.call.method + " failed, giving up: " + reply.description);
      ++m_stats.failed;
    }
    break;
  case Outcome::bad_request: {
    json& params = action.call.params;
    bool entities = reply.description.find("can't parse entities") != std::string::npos;
    if (entities && !action.degraded && params.contains("parse_mode") && params["text"].is_string()) {
      // Formatting Telegram cannot parse: the words still matter, send them plain.
      log::warn(action.call.method + " refused (" + reply.description + "), sending it as plain text");
      if (params["parse_mode"] == "HTML") {
        params["text"] = html_to_plain(params["text"].get<std::string>());
      }
      params.erase("parse_mode");
      action.degraded = true;
      m_scheduler.retry_later(ticket, now, Millis(0));
      done = false;
      break;
    }
    log::warn(action.call.method + " refused: " + reply.description);
    ++m_stats.failed;
    break;
  }
  case Outcome::forbidden:
    log::warn(action.call.method + " refused: " + reply.description);
    ++m_stats.failed;
    break;
  case Outcome::unauthorized:
    unauthorized(reply);
    return;
  }
  if (done) {
    m_scheduler.complete(ticket, now);
    m_actions.erase(ticket);
  }
  request_pump();
}

void Outbox::unauthorized(const Reply& reply) {
  m_unauthorized = true;
  if (m_timer != 0) {
    m_loop.cancel(m_timer);
    m_timer = 0;
  }
  if (on_unauthorized) {
    on_unauthorized(reply.description.empty() ? "Unauthorized" : reply.description);
  }
  notify();
}

void Outbox::notify() {
  if (on_progress) {
    on_progress();
  }
}

} // namespace m2g::progress
