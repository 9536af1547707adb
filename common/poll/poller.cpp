#include "common/poll/poller.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/jsonl/line.hpp"

#include <algorithm>

namespace m2g::poll {
namespace {

std::string seconds_text(Millis delay) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(delay.count()) / 1000.0);
  return buf;
}

} // namespace

std::string conflict_message(const std::string& description) {
  std::string cause;
  if (description.find("webhook") != std::string::npos) {
    cause = "a webhook is set for this bot; remove it with deleteWebhook, or receive updates with "
            "'m2g-poll --webhook' instead";
  } else if (description.find("other getUpdates") != std::string::npos) {
    cause = "another poller is using this bot token (Telegram allows one getUpdates consumer per token)";
  } else {
    cause = "a webhook is set for this bot, or another poller is using its token";
  }
  return "getUpdates refused with 409 Conflict (\"" + description + "\"): " + cause;
}

Poller::Poller(event::Loop& loop, telegram::Api& api, Sink& sink, jsonl::RejectSink& rejects, PollerOptions options,
               telegram::NormalizeOptions normalize)
    : m_loop(loop), m_api(api), m_sink(sink), m_rejects(rejects), m_options(std::move(options)), m_normalize(normalize),
      m_backoff(m_options.backoff) {}

Poller::~Poller() {
  *m_alive = false;
  if (m_timer) {
    m_loop.cancel(m_timer);
  }
}

void Poller::start(std::function<void(int)> finished) {
  m_finished = std::move(finished);
  auto offset = m_sink.offset();
  if (!offset.ok()) {
    finish(exit_code::k_ioerr, "cannot read the stored offset: " + offset.error());
    return;
  }
  m_offset = *offset;
  if (auto pruned = m_sink.prune(); !pruned.ok()) {
    log::warn("cannot prune old update ids: " + pruned.error());
  }
  log::debug("polling " + m_api.base_url() + " from offset " + std::to_string(m_offset) + " into " + m_sink.describe());
  poll();
}

void Poller::stop(int exit_code) {
  if (m_done) {
    return;
  }
  finish(exit_code);
}

void Poller::schedule(Millis delay) {
  if (m_timer) {
    m_loop.cancel(m_timer);
  }
  m_timer = m_loop.after(delay, [this] {
    m_timer = 0;
    poll();
  });
}

void Poller::poll() {
  if (m_done) {
    return;
  }
  telegram::json params = telegram::json::object();
  if (m_offset != 0) {
    params["offset"] = m_offset;
  }
  params["limit"] = m_options.limit;
  params["timeout"] = m_options.timeout_s;
  if (m_options.allowed_updates) {
    params["allowed_updates"] = *m_options.allowed_updates;
  }
  ++m_stats.polls;
  TimePoint started = m_loop.now();
  std::weak_ptr<bool> alive = m_alive;
  // The HTTP timeout must outlast the long poll, or every quiet poll would end as an error.
  Millis http_timeout(static_cast<int64_t>(m_options.timeout_s) * 1000 + 15'000);
  m_api.call(
      "getUpdates", params,
      [this, alive, started](telegram::Reply&& reply) {
        if (auto lock = alive.lock(); lock && *lock && !m_done) {
          on_reply(std::move(reply), started);
        }
      },
      http_timeout);
}

void Poller::on_reply(telegram::Reply&& reply, TimePoint started) {
  using telegram::Outcome;
  switch (reply.outcome) {
  case Outcome::ok:
    if (!reply.result.is_array()) {
      reply.outcome = Outcome::transient;
      reply.description = "getUpdates answered without an array of updates";
      retry(reply);
      return;
    }
    handle_updates(reply.result, started);
    return;
  case Outcome::rate_limited:
  case Outcome::transient:
    retry(reply);
    return;
  case Outcome::unauthorized:
    finish(exit_code::k_noperm,
           "Telegram refused the bot token (" + reply.summary() + "): check M2G_TELEGRAM_TOKEN or --token-file");
    return;
  case Outcome::conflict:
    finish(exit_code::k_unavailable, conflict_message(reply.description));
    return;
  case Outcome::not_found:
    finish(exit_code::k_config,
           "getUpdates: " + reply.summary() + ": check --api-url and the form of the token (\"123456:ABC...\")");
    return;
  default:
    finish(exit_code::k_unavailable, "getUpdates refused: " + reply.summary());
    return;
  }
}

void Poller::retry(const telegram::Reply& reply) {
  ++m_stats.failures;
  ++m_failures_in_row;
  if (m_options.once && m_failures_in_row >= m_options.once_attempts) {
    finish(exit_code::k_tempfail,
           "getUpdates failed " + std::to_string(m_failures_in_row) + " times in a row, giving up: " + reply.summary());
    return;
  }
  Millis delay = reply.outcome == telegram::Outcome::rate_limited && reply.retry_after.count() > 0
                     ? reply.retry_after
                     : m_backoff.next_delay();
  log::warn("getUpdates: " + reply.summary() + "; retrying in " + seconds_text(delay));
  schedule(delay);
}

void Poller::handle_updates(const telegram::json& result, TimePoint started) {
  int64_t now_ms = m_loop.clock().unix_ms();
  std::vector<Item> items;
  items.reserve(result.size());
  std::optional<int64_t> highest;
  size_t index = 0;
  for (const auto& update : result) {
    ++index;
    auto normalized = telegram::normalize_update(update, now_ms, m_normalize);
    if (!normalized.ok()) {
      m_rejects.reject("getUpdates result " + std::to_string(index), normalized.error(),
                       update.dump(-1, ' ', false, telegram::json::error_handler_t::replace));
      continue;
    }
    int64_t id = *telegram::update_id_of(update);
    highest = std::max(highest.value_or(id), id);
    // A person quoting the bot token (or the webhook secret) must not carry it into the notebook.
    items.push_back(Item{id, log::redact(jsonl::dump(*normalized))});
  }
  m_stats.updates += items.size();
  if (!highest) {
    // Nothing to confirm. An empty answer that came back early must not turn into a spin.
    m_backoff.reset();
    m_failures_in_row = 0;
    if (m_options.once) {
      finish(exit_code::k_ok);
      return;
    }
    auto elapsed = std::chrono::duration_cast<Millis>(m_loop.now() - started);
    if (elapsed < m_options.min_empty_interval) {
      schedule(m_options.min_empty_interval - elapsed);
    } else {
      poll();
    }
    return;
  }
  auto written = m_sink.handoff(items, *highest + 1);
  if (!written.ok()) {
    if (written.failure().exit_code == exit_code::k_ioerr) {
      finish(exit_code::k_ioerr, written.error());
      return;
    }
    // A locked or failing database: nothing was committed, Telegram still holds the batch.
    telegram::Reply failed;
    failed.outcome = telegram::Outcome::transient;
    failed.status = 0;
    failed.description = "handoff to " + m_sink.describe() + " failed: " + written.error();
    retry(failed);
    return;
  }
  m_offset = *highest + 1;
  m_stats.written += *written;
  m_stats.duplicates += items.size() - *written;
  m_backoff.reset();
  m_failures_in_row = 0;
  // Forget old update ids now and then (a cheap indexed delete).
  if (++m_handoffs % 1000 == 0) {
    if (auto pruned = m_sink.prune(); !pruned.ok()) {
      log::warn("cannot prune old update ids: " + pruned.error());
    }
  }
  if (m_options.once) {
    finish(exit_code::k_ok);
    return;
  }
  poll();
}

void Poller::finish(int exit_code, const std::string& message) {
  if (m_done) {
    return;
  }
  m_done = true;
  if (m_timer) {
    m_loop.cancel(m_timer);
    m_timer = 0;
  }
  if (!message.empty()) {
    log::error(message);
  }
  if (m_finished) {
    auto finished = std::move(m_finished);
    finished(exit_code);
  }
}

} // namespace m2g::poll
