// The command table and the commands that only read or change per-chat settings.
#include "common/core/log.hpp"
#include "common/route/callback_data.hpp"
#include "common/route/context.hpp"
#include "common/route/text.hpp"
#include "common/route/tz.hpp"

#include <algorithm>
#include <array>

namespace m2g::route {
namespace {

using Handler = void (*)(Context&, const Command&);

struct Entry {
  std::string_view name;
  Handler handler;
  std::string_view help; ///< one line for /help; empty for aliases
};

void cmd_start(Context& ctx, const Command&);
void cmd_help(Context& ctx, const Command&);
void cmd_llm(Context& ctx, const Command& c);
void cmd_default(Context& ctx, const Command& c);
void cmd_tz(Context& ctx, const Command& c);
void cmd_cancel(Context& ctx, const Command&);
void cmd_photolimit(Context& ctx, const Command& c);
void cmd_sync(Context& ctx, const Command&);
void cmd_insight(Context& ctx, const Command&);
void cmd_stats(Context& ctx, const Command&);

template <size_t I> void file_to(Context& ctx, const Command& c) {
  cmd_file_to(ctx, c, k_targets[I]);
}
void cmd_todo(Context& ctx, const Command& c) {
  cmd_list(ctx, c, k_targets[1]);
}
void cmd_issue(Context& ctx, const Command& c) {
  cmd_list(ctx, c, k_targets[2]);
}
void cmd_llm_on(Context& ctx, const Command& c) {
  Command on = c;
  on.words = {"on"};
  cmd_llm(ctx, on);
}
void cmd_llm_off(Context& ctx, const Command& c) {
  Command off = c;
  off.words = {"off"};
  cmd_llm(ctx, off);
}

const std::array<Entry, 22> k_commands{{
    {"start", cmd_start, "/start – how this bot works (registers the chat in multi-user mode)"},
    {"help", cmd_help, "/help – this list"},
    {"todo", cmd_todo, "/todo [N] – the latest N open TODOs with ✔ buttons; /todo TEXT files TEXT as a TODO"},
    {"issue", cmd_issue, "/issue [N] – the latest N open issues; /issue TEXT opens an issue"},
    {"note", file_to<0>, "/note TEXT – file TEXT to note.md (also /idea, /inbox, /tool)"},
    {"idea", file_to<3>, ""},
    {"inbox", file_to<4>, ""},
    {"tool", file_to<5>, ""},
    {"sync", cmd_sync, "/sync – refresh the states of issues in issue.md"},
    {"customfile", cmd_customfile, "/customfile add|remove|list NAME – your own files on the keyboard"},
    {"customfiles", cmd_customfile, ""},
    {"default", cmd_default, "/default TARGET|off – file new messages to TARGET without asking"},
    {"repo", cmd_repo, "/repo URL [TOKEN] – this chat's repository (/repo shows it, /repo off forgets it)"},
    {"setrepo", cmd_repo, ""},
    {"llm", cmd_llm, "/llm on|off – titles and tags written by the LLM"},
    {"llmon", cmd_llm_on, ""},
    {"llmoff", cmd_llm_off, ""},
    {"tz", cmd_tz, "/tz Area/City – the time zone of entry dates, e.g. /tz Europe/Berlin"},
    {"photolimit", cmd_photolimit, "/photolimit MB – the largest photo to accept (at most 20)"},
    {"insight", cmd_insight, "/insight – what this chat filed: per target, per day, 30-day activity"},
    {"stats", cmd_stats, "/stats – the same figures for all chats (admin chats; others see their own)"},
    {"cancel", cmd_cancel, "/cancel – forget messages waiting for a choice (as a reply: that message)"},
}};

const Entry* find_command(std::string_view name) {
  for (const auto& entry : k_commands) {
    if (entry.name == name) {
      return &entry;
    }
  }
  return nullptr;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string help_text() {
  std::string out = "🤖 <b>Commands</b>\n";
  for (const auto& entry : k_commands) {
    if (!entry.help.empty()) {
      out += html_escape(entry.help) + "\n";
    }
  }
  out += "\n<b>Shortcuts</b>\nStart a message with #todo, #note, #idea, #inbox, #tool or #issue to file it "
         "without the question. Reply /todo (or /note, /idea, ...) to a message to file that message.";
  return out;
}

void cmd_start(Context& ctx, const Command&) {
  if (ctx.s.access.multi_user() && !ctx.chat.registered) {
    if (auto registered = ctx.s.store.set_registered(ctx.u.chat_id); !registered) {
      return store_failed(ctx, registered.failure());
    }
  }
  ctx.reply("👋 <b>Welcome!</b> I file your messages into a git notebook.\n\n"
            "Send me text or a photo and choose where it goes: 📝 note, ✅ todo, ❓ issue, 💡 idea, 📥 inbox, "
            "🔧 tool, or one of your own files (/customfile).\n"
            "Start a message with #todo (or #note, #idea, ...) to skip the question, or set /default.\n"
            "Set this chat's repository with /repo. Send /help for every command.");
}

void cmd_help(Context& ctx, const Command&) {
  ctx.reply(help_text());
}

void cmd_llm(Context& ctx, const Command& c) {
  std::string arg = c.words.empty() ? "" : lower(c.words[0]);
  std::optional<bool> set;
  if (arg == "on") {
    set = true;
  } else if (arg == "off") {
    set = false;
  } else if (!arg.empty() && arg != "status") {
    ctx.reply("Use <code>/llm on</code> or <code>/llm off</code>.");
    return;
  }
  if (set) {
    if (auto saved = ctx.s.store.set_llm(ctx.u.chat_id, *set); !saved) {
      return store_failed(ctx, saved.failure());
    }
    ctx.chat.llm = *set;
  }
  std::string text = std::string("🧠 Titles and tags by the LLM: <b>") + (ctx.llm_on() ? "on" : "off") + "</b>";
  if (ctx.llm_on() && !ctx.s.config.llm_configured) {
    text += "\n(No LLM is configured on this server, so titles are taken from the first words.)";
  }
  ctx.reply(text);
}

void cmd_default(Context& ctx, const Command& c) {
  if (c.words.empty()) {
    ctx.reply(ctx.chat.default_target.empty()
                  ? std::string("📍 No default: I ask where to file each message. Set one with "
                                "<code>/default inbox</code>.")
                  : "📍 New messages go to <b>" + html_escape(ctx.chat.default_target) +
                        "</b> without asking. <code>/default off</code> asks again.");
    return;
  }
  std::string arg = lower(c.words[0]);
  if (arg == "off" || arg == "none" || arg == "ask") {
    if (auto saved = ctx.s.store.set_default_target(ctx.u.chat_id, ""); !saved) {
      return store_failed(ctx, saved.failure());
    }
    ctx.reply("📍 Default cleared: I will ask where to file each message.");
    return;
  }
  auto dest = resolve_destination(c.words[0], ctx.chat.custom_files);
  if (!dest) {
    ctx.reply("❓ <b>" + html_escape(shorten(c.words[0], 64)) +
              "</b> is not a target. Use note, todo, issue, idea, inbox, tool, one of your /customfile names, "
              "or off.");
    return;
  }
  std::string value = dest->custom() ? dest->file : dest->target;
  if (auto saved = ctx.s.store.set_default_target(ctx.u.chat_id, value); !saved) {
    return store_failed(ctx, saved.failure());
  }
  ctx.reply("📍 New messages now go to <b>" + html_escape(dest->file) +
            "</b> without asking (a #tag still wins). <code>/default off</code> asks again.");
}

void cmd_tz(Context& ctx, const Command& c) {
  if (c.words.empty()) {
    ctx.reply("🕐 Entry dates use <b>" + html_escape(ctx.tz()) +
              "</b>. Change it with e.g. "
              "<code>/tz Europe/Berlin</code>.");
    return;
  }
  const std::string& name = c.words[0];
  if (!valid_tz(name)) {
    ctx.reply("❓ Unknown time zone <b>" + html_escape(shorten(name, 64)) +
              "</b>. Use an Area/City name as in the tz database, e.g. <code>Europe/Berlin</code>, "
              "<code>America/New_York</code>, <code>Asia/Tokyo</code> or <code>UTC</code>.");
    return;
  }
  if (auto saved = ctx.s.store.set_tz(ctx.u.chat_id, name == "UTC" ? "" : name); !saved) {
    return store_failed(ctx, saved.failure());
  }
  ctx.reply("🕐 Entry dates now use <b>" + html_escape(name) + "</b>.");
}

void cmd_cancel(Context& ctx, const Command&) {
  if (ctx.u.reply_to) {
    auto existing = ctx.s.pending.get(ctx.u.chat_id, ctx.u.reply_to->message_id);
    if (!existing) {
      return store_failed(ctx, existing.failure());
    }
    if (!*existing || (*existing)->state != Pending::State::pending) {
      ctx.reply("Nothing of that message is waiting for a choice.");
      return;
    }
    if (auto done = ctx.s.pending.mark_cancelled(ctx.u.chat_id, ctx.u.reply_to->message_id); !done) {
      return store_failed(ctx, done.failure());
    }
    ctx.reply("❌ Cancelled: that message will not be filed.");
    return;
  }
  auto count = ctx.s.pending.cancel_all(ctx.u.chat_id);
  if (!count) {
    return store_failed(ctx, count.failure());
  }
  ctx.reply(*count == 0 ? std::string("Nothing is waiting for a choice.")
                        : "❌ Cancelled " + std::to_string(*count) + (*count == 1 ? " message" : " messages") +
                              " waiting for a choice.");
}

void cmd_photolimit(Context& ctx, const Command& c) {
  constexpr int64_t k_mb = 1 << 20;
  if (!c.words.empty()) {
    std::string arg = lower(c.words[0]);
    if (arg == "default") {
      if (auto saved = ctx.s.store.set_photo_limit(ctx.u.chat_id, std::nullopt); !saved) {
        return store_failed(ctx, saved.failure());
      }
      ctx.chat.photo_limit.reset();
    } else {
      auto mb = parse_int(arg);
      if (!mb || *mb < 1 || *mb > 20) {
        ctx.reply("Use <code>/photolimit N</code> with N from 1 to 20 (megabytes; Telegram lets bots fetch 20 MB "
                  "at most).");
        return;
      }
      if (auto saved = ctx.s.store.set_photo_limit(ctx.u.chat_id, *mb * k_mb); !saved) {
        return store_failed(ctx, saved.failure());
      }
      ctx.chat.photo_limit = *mb * k_mb;
    }
  }
  ctx.reply("📷 Photos up to <b>" + std::to_string(ctx.photo_limit() / k_mb) + " MB</b> are accepted.");
}

void cmd_sync(Context& ctx, const Command&) {
  if (!may_reach_repository(ctx)) {
    return;
  }
  auto job = chat_job(ctx, std::to_string(ctx.u.chat_id) + ":sync:" + std::to_string(ctx.u.update_id), "sync");
  job["target"] = "issue";
  job["file"] = "issue.md";
  job["message_id"] = ctx.u.message_id;
  ctx.out.progress(job, "queued", 5, "Syncing issue states…");
  ctx.out.emit(std::move(job));
}

void summary(Context& ctx, bool global) {
  int64_t today = local_day(ctx.now_ms() / 1000, ctx.tz());
  auto figures = global ? ctx.s.stats.global(today - 29) : ctx.s.stats.chat(ctx.u.chat_id, today - 29);
  if (!figures) {
    return store_failed(ctx, figures.failure());
  }
  ctx.reply(render_summary(*figures, today, global));
}

void cmd_insight(Context& ctx, const Command&) {
  summary(ctx, false);
}
void cmd_stats(Context& ctx, const Command&) {
  // Every chat's figures name other chats' custom files: the operator's chats see them, any
  // other chat its own figures, as /insight.
  summary(ctx, ctx.s.config.admin_chats.count(ctx.u.chat_id) > 0);
}

} // namespace

void on_command(Context& ctx, const Command& command) {
  if (const Entry* entry = find_command(command.name)) {
    log::debug("chat " + std::to_string(ctx.u.chat_id) + ": /" + command.name);
    entry->handler(ctx, command);
    return;
  }
  std::string guess;
  size_t best = 3;
  for (const auto& entry : k_commands) {
    size_t d = edit_distance(command.name, entry.name);
    if (d < best) {
      best = d;
      guess = entry.name;
    }
  }
  std::string text = "🤷 I don't know /" + html_escape(command.name) + ".";
  if (!guess.empty()) {
    text += " Did you mean /" + guess + "?";
  }
  ctx.reply(text + " Send /help for the list of commands.");
}

} // namespace m2g::route
