// Filing messages: a message gets the keyboard (or is filed at once by a #tag or the chat's
// default target), a click files it exactly once, an edit before the click changes what is
// filed.
#include "common/core/log.hpp"
#include "common/route/callback_data.hpp"
#include "common/route/context.hpp"
#include "common/route/keyboard.hpp"
#include "common/route/markdown.hpp"
#include "common/route/text.hpp"
#include "common/route/tz.hpp"

#include <cstdio>

namespace m2g::route {
namespace {

std::string megabytes(int64_t bytes) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return out;
}

std::string where(const Destination& dest) {
  return dest.file;
}

std::string update_tag(const Update& u) {
  return "update:" + std::to_string(u.update_id);
}

void send_keyboard(Context& ctx, const Pending& p) {
  std::string prompt = p.photo.is_null() ? "📥 Where should I file this?" : "📷 Where should I file this photo?";
  std::string preview = first_line(p.text, 60);
  if (!preview.empty()) {
    prompt += "\n<i>" + html_escape(preview) + "</i>";
  }
  ctx.out.send(ctx.u.chat_id, prompt, filing_keyboard(p.message_id, !p.photo.is_null(), p.custom_files), p.message_id);
}

bool expired(const Context& ctx, const Pending& p) {
  return ctx.now_ms() - p.created_ms > ctx.s.config.pending_expiry_ms;
}

} // namespace

nlohmann::json chat_job(Context& ctx, const std::string& id, const std::string& op) {
  nlohmann::json job = ctx.out.job(id);
  job["op"] = op;
  job["chat_id"] = ctx.u.chat_id;
  if (ctx.u.user_id != 0) {
    job["user_id"] = ctx.u.user_id;
  }
  job["tz"] = ctx.tz();
  if (!ctx.chat.repo_url.empty()) {
    job["repo"] = {{"url", ctx.chat.repo_url}, {"token", ctx.chat.has_token}};
  }
  return job;
}

Result<void> file_now(Context& ctx, Pending p, const Destination& dest, const std::string& filed_by,
                      int64_t status_message_id, bool count) {
  std::string id = std::to_string(p.chat_id) + ":" + std::to_string(p.message_id);
  nlohmann::json job = chat_job(ctx, id, dest.target == "issue" ? "issue" : "add");
  job["target"] = dest.target;
  job["file"] = dest.file;
  std::string text = to_markdown(p.text, p.entities);
  job["text"] = text;
  if (!p.photo.is_null()) {
    nlohmann::json photo = {{"caption", text}};
    for (const char* key : {"file_id", "file_unique_id", "file_size", "width", "height"}) {
      if (auto it = p.photo.find(key); it != p.photo.end()) {
        photo[key] = *it;
      }
    }
    job["photo"] = std::move(photo);
  }
  job["llm"] = dest.target != "todo" && ctx.llm_on();
  job["date"] = p.date;
  job["message_id"] = p.message_id;
  if (status_message_id != 0) {
    job["status_message_id"] = status_message_id;
  }
  M2G_TRY(ctx.s.pending.mark_filed(p.chat_id, p.message_id, dest.target, dest.file, filed_by));
  if (count) {
    if (auto counted =
            ctx.s.stats.record(p.chat_id, local_day(p.date, ctx.tz()), dest.custom() ? dest.file : dest.target);
        !counted) {
      log::warn(counted.error()); // a lost count is not worth losing the message over
    }
  }
  std::string doing = dest.target == "issue" ? "Opening an issue…" : "Saving to " + where(dest) + "…";
  ctx.out.progress(job, "queued", 5, doing);
  ctx.out.emit(std::move(job));
  return {};
}

void file_directly(Context& ctx, Pending p, const Destination& dest) {
  auto existing = ctx.s.pending.get(p.chat_id, p.message_id);
  if (!existing) {
    return store_failed(ctx, existing.failure());
  }
  if (*existing && (*existing)->state == Pending::State::filed) {
    if ((*existing)->filed_by != update_tag(ctx.u)) {
      ctx.reply("That message was already filed to " + html_escape((*existing)->file) + ".");
      return;
    }
    if (auto filed =
            file_now(ctx, **existing, Destination{(*existing)->target, (*existing)->file}, update_tag(ctx.u), 0, false);
        !filed) {
      store_failed(ctx, filed.failure());
    }
    return;
  }
  if (*existing) {
    p = std::move(**existing); // waiting for a choice: file what was sent (text, photo, edits)
  }
  if (!p.photo.is_null() && dest.target == "todo") {
    ctx.reply("📷 A photo cannot be a TODO; file it somewhere else.");
    return;
  }
  p.state = Pending::State::filed;
  if (auto put = ctx.s.pending.put(p); !put) {
    return store_failed(ctx, put.failure());
  }
  if (auto filed = file_now(ctx, std::move(p), dest, update_tag(ctx.u), 0); !filed) {
    store_failed(ctx, filed.failure());
  }
}

void on_message(Context& ctx) {
  const Update& u = ctx.u;
  if (!u.photo.is_null()) {
    int64_t size = u.photo.value("file_size", int64_t{0});
    if (size > ctx.photo_limit()) {
      ctx.reply("📷 This photo is " + megabytes(size) + "; this chat accepts photos up to " +
                megabytes(ctx.photo_limit()) + ". Nothing was filed.");
      return;
    }
  }
  auto existing = ctx.s.pending.get(u.chat_id, u.message_id);
  if (!existing) {
    return store_failed(ctx, existing.failure());
  }
  if (*existing && (*existing)->state == Pending::State::filed) {
    // The same message again: a redelivered update re-files the same job (m2g-commit knows it
    // by its id); anything else was filed already.
    if ((*existing)->filed_by == update_tag(u)) {
      Destination dest{(*existing)->target, (*existing)->file};
      if (auto filed = file_now(ctx, **existing, dest, update_tag(u), 0, false); !filed) {
        store_failed(ctx, filed.failure());
      }
    }
    return;
  }

  Pending p;
  p.chat_id = u.chat_id;
  p.message_id = u.message_id;
  p.user_id = u.user_id;
  p.date = u.date;
  p.text = u.text;
  p.entities = u.entities;
  p.photo = u.photo;
  p.custom_files = ctx.chat.custom_files;

  std::optional<Destination> dest;
  if (auto shortcut = leading_shortcut(p.text);
      shortcut && !(p.photo.is_object() && shortcut->target->name == "todo")) {
    drop_prefix(p.text, p.entities, shortcut->length);
    trim_text(p.text, p.entities);
    if (trim(p.text).empty() && p.photo.is_null()) {
      ctx.reply("✏️ Nothing to file after #" + std::string(shortcut->target->name) +
                ": write the text after the tag, e.g. <code>#" + std::string(shortcut->target->name) +
                " buy milk</code>.");
      return;
    }
    dest = Destination{std::string(shortcut->target->name), std::string(shortcut->target->file)};
  } else if (!ctx.chat.default_target.empty()) {
    dest = resolve_destination(ctx.chat.default_target, ctx.chat.custom_files);
    if (dest && p.photo.is_object() && dest->target == "todo") {
      dest.reset(); // a photo is not a TODO line: ask instead
    }
  }

  if (dest) {
    p.state = Pending::State::filed;
    if (auto put = ctx.s.pending.put(p); !put) {
      return store_failed(ctx, put.failure());
    }
    if (auto filed = file_now(ctx, p, *dest, update_tag(u), 0); !filed) {
      store_failed(ctx, filed.failure());
    }
    return;
  }
  if (auto put = ctx.s.pending.put(p); !put) {
    return store_failed(ctx, put.failure());
  }
  send_keyboard(ctx, p);
}

void on_edit(Context& ctx) {
  const Update& u = ctx.u;
  if (auto command = parse_command(u.text); command && u.photo.is_null()) {
    if (command->name == "repo" && command->words.size() >= 2) {
      ctx.out.remove(u.chat_id, u.message_id); // it may hold a token
      ctx.out.send(u.chat_id, "🗑 I deleted your edited /repo message because it may hold a token. "
                              "Edits of commands are not run: send the command again.");
      return;
    }
    ctx.reply("✏️ Edits of commands are not run: send the command again.");
    return;
  }
  auto existing = ctx.s.pending.get(u.chat_id, u.message_id);
  if (!existing) {
    return store_failed(ctx, existing.failure());
  }
  if (!*existing) {
    on_message(ctx); // nothing pending (never seen, or long purged): treat it as new
    return;
  }
  const Pending& p = **existing;
  if (p.state == Pending::State::pending) {
    // The keyboard stays; whatever is chosen files the latest text.
    if (auto updated = ctx.s.pending.update_text(u.chat_id, u.message_id, u.text, u.entities); !updated) {
      store_failed(ctx, updated.failure());
    }
  } else if (p.state == Pending::State::filed) {
    ctx.reply("✏️ This message was already filed to " + html_escape(p.file) +
              "; the edit was not saved. Send the new text as a new message to file it.");
  }
}

void on_callback(Context& ctx) {
  const Update& u = ctx.u;
  const CallbackQuery& cb = *u.callback;
  auto data = decode_callback(cb.data);
  if (!data) {
    ctx.out.answer(cb.id, "This button is no longer valid.");
    return;
  }
  if (data->op == CallbackData::Op::done) {
    int64_t todo_chat = data->chat_id != 0 ? data->chat_id : u.chat_id;
    auto job = chat_job(ctx, std::to_string(u.chat_id) + ":" + std::to_string(data->message_id) + ":done", "done");
    job["target"] = "todo";
    job["file"] = "todo.md";
    job["todo"] = {{"message_id", data->message_id}, {"chat_id", todo_chat}};
    job["message_id"] = cb.message_id;
    ctx.out.answer(cb.id, "Marking the TODO done…");
    ctx.out.progress(job, "queued", 5, "Marking the TODO done…");
    ctx.out.emit(std::move(job));
    return;
  }
  if (data->op == CallbackData::Op::close) {
    auto job = chat_job(ctx, std::to_string(u.chat_id) + ":close:" + std::to_string(u.update_id), "close");
    job["target"] = "issue";
    job["file"] = "issue.md";
    job["issue"] = {{"number", data->number}};
    job["message_id"] = cb.message_id;
    std::string doing = "Closing issue #" + std::to_string(data->number) + "…";
    ctx.out.answer(cb.id, doing);
    ctx.out.progress(job, "queued", 5, doing);
    ctx.out.emit(std::move(job));
    return;
  }

  auto existing = ctx.s.pending.get(u.chat_id, data->message_id);
  if (!existing) {
    return store_failed(ctx, existing.failure());
  }
  if (!*existing || ((*existing)->state == Pending::State::pending && expired(ctx, **existing))) {
    ctx.out.answer(cb.id, "This choice expired, send the message again.", true);
    ctx.out.edit(u.chat_id, cb.message_id, "⌛ This choice expired. Send the message again to file it.");
    if (*existing) {
      (void)ctx.s.pending.mark_cancelled(u.chat_id, data->message_id);
    }
    return;
  }
  Pending p = std::move(**existing);
  if (p.state == Pending::State::filed) {
    if (p.filed_by == cb.id) {
      // The same click delivered again (a restart before its output was handed on): file the
      // same job again; m2g-commit recognises it by its id.
      if (auto filed = file_now(ctx, p, Destination{p.target, p.file}, cb.id, cb.message_id, false); !filed) {
        return store_failed(ctx, filed.failure());
      }
      ctx.out.answer(cb.id, "Saving to " + p.file + "…");
      return;
    }
    ctx.out.answer(cb.id, "Already filed to " + p.file + ".");
    return;
  }
  if (p.state == Pending::State::cancelled) {
    ctx.out.answer(cb.id, "This message was cancelled; send it again to file it.");
    return;
  }
  if (data->op == CallbackData::Op::cancel) {
    if (auto cancelled = ctx.s.pending.mark_cancelled(u.chat_id, p.message_id); !cancelled) {
      return store_failed(ctx, cancelled.failure());
    }
    ctx.out.answer(cb.id, "Cancelled.");
    ctx.out.edit(u.chat_id, cb.message_id, "❌ Cancelled: nothing was filed.");
    return;
  }
  Destination dest;
  if (data->op == CallbackData::Op::file_custom) {
    if (data->custom_index >= p.custom_files.size()) {
      ctx.out.answer(cb.id, "This button is no longer valid.");
      return;
    }
    dest = Destination{"custom", p.custom_files[data->custom_index]};
  } else {
    const Target* target = find_target(data->target);
    if (!p.photo.is_null() && target->name == "todo") {
      ctx.out.answer(cb.id, "A photo cannot be a TODO; choose another place.");
      return;
    }
    dest = Destination{std::string(target->name), std::string(target->file)};
  }
  ctx.out.answer(cb.id, dest.target == "issue" ? "Opening an issue…" : "Saving to " + dest.file + "…");
  if (auto filed = file_now(ctx, std::move(p), dest, cb.id, cb.message_id); !filed) {
    // The answer above already went out; replace it with the failure.
    ctx.out.lines().pop_back();
    store_failed(ctx, filed.failure());
  }
}

} // namespace m2g::route
