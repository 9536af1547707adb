// Filing messages: a message gets the keyboard (or is filed at once by a #tag or the chat's
// default target), an edit before the click changes what is filed.
#include "common/core/log.hpp"
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

} // namespace

bool may_reach_repository(Context& ctx) {
  if (!ctx.chat.repo_url.empty() || ctx.s.access.may_use_default_repo(ctx.u.chat_id)) {
    return true;
  }
  if (ctx.u.callback) {
    ctx.out.answer(ctx.u.callback->id, "This chat has no repository yet: set yours with /repo first.", true);
    return false;
  }
  ctx.reply("📁 Nothing was filed: this chat has no repository yet. Set yours with "
            "<code>/repo https://github.com/you/notes TOKEN</code>, then send it again.");
  return false;
}

std::string default_repo_phrase(const Context& ctx, bool capital) {
  std::string out = ctx.s.access.may_use_default_repo(ctx.u.chat_id)
                        ? "this chat files into the server's default repository"
                        : "this chat has no repository yet, so nothing is filed";
  if (capital) {
    out[0] = 'T';
  }
  return out;
}

nlohmann::json chat_job(Context& ctx, const std::string& id, const std::string& op) {
  nlohmann::json job = ctx.out.job(id);
  job["op"] = op;
  job["chat_id"] = ctx.u.chat_id;
  if (ctx.u.user_id != 0) {
    job["user_id"] = ctx.u.user_id;
  }
  job["tz"] = ctx.tz();
  job["date"] = ctx.now_ms() / 1000; // filed messages replace it with their own date
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
  if (!may_reach_repository(ctx)) {
    return;
  }
  if (!u.photo.is_null()) {
    auto size_field = u.photo.find("file_size");
    int64_t size = size_field != u.photo.end() && size_field->is_number_integer() ? size_field->get<int64_t>() : 0;
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
    on_content(ctx); // nothing pending (never seen, or long purged): treat it as new
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

} // namespace m2g::route
