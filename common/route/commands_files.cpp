// Commands that file or list: /note TEXT, a reply /todo, /todo [N], /issue [N], /customfile.
#include "common/route/callback_data.hpp"
#include "common/route/context.hpp"
#include "common/route/custom_file.hpp"
#include "common/route/keyboard.hpp"
#include "common/route/markdown.hpp"
#include "common/route/text.hpp"

namespace m2g::route {
namespace {

constexpr int64_t k_default_list = 10;
constexpr int64_t k_max_list = 50;

Destination destination(const Target& target) {
  return {std::string(target.name), std::string(target.file)};
}

// File the message `ctx.u` replies to.
void file_replied(Context& ctx, const Target& target) {
  const ReplyTo& reply = *ctx.u.reply_to;
  Pending p;
  p.chat_id = ctx.u.chat_id;
  p.message_id = reply.message_id;
  p.user_id = ctx.u.user_id;
  p.date = ctx.u.date; // the replied message's own date is not on the update
  p.text = reply.text;
  auto existing = ctx.s.pending.get(p.chat_id, p.message_id);
  if (!existing) {
    return store_failed(ctx, existing.failure());
  }
  if (!*existing) {
    if (reply.from_bot) {
      ctx.reply("↩️ Reply to one of your own messages to file it.");
      return;
    }
    if (trim(reply.text).empty()) {
      ctx.reply("↩️ I cannot see any text in that message. Send it again (photos: with a caption, then choose).");
      return;
    }
  }
  file_directly(ctx, std::move(p), destination(target));
}

} // namespace

void cmd_file_to(Context& ctx, const Command& c, const Target& target) {
  if (!may_reach_repository(ctx)) {
    return;
  }
  if (ctx.u.reply_to && c.args.empty()) {
    return file_replied(ctx, target);
  }
  if (c.args.empty()) {
    ctx.reply("✏️ Send <code>/" + std::string(target.name) + " your text</code>, or reply /" +
              std::string(target.name) + " to a message to file it.");
    return;
  }
  Pending p;
  p.chat_id = ctx.u.chat_id;
  p.message_id = ctx.u.message_id;
  p.user_id = ctx.u.user_id;
  p.date = ctx.u.date;
  p.text = ctx.u.text;
  p.entities = ctx.u.entities;
  if (c.args_offset <= p.text.size() && std::string_view(p.text).substr(c.args_offset, c.args.size()) == c.args) {
    drop_prefix(p.text, p.entities, c.args_offset);
    trim_text(p.text, p.entities);
  } else {
    p.text = c.args; // built from m2g-poll's command/args: no entities to keep
    p.entities = nlohmann::json::array();
  }
  file_directly(ctx, std::move(p), destination(target));
}

void cmd_list(Context& ctx, const Command& c, const Target& target) {
  if (!may_reach_repository(ctx)) {
    return;
  }
  if (ctx.u.reply_to && c.args.empty()) {
    return file_replied(ctx, target);
  }
  int64_t limit = k_default_list;
  if (!c.words.empty()) {
    auto n = c.words.size() == 1 ? parse_int(c.words[0]) : std::nullopt;
    if (!n) {
      return cmd_file_to(ctx, c, target); // "/todo buy milk"
    }
    if (*n < 1 || *n > k_max_list) {
      ctx.reply("Use <code>/" + std::string(target.name) + " N</code> with N from 1 to " + std::to_string(k_max_list) +
                ".");
      return;
    }
    limit = *n;
  }
  std::string op = "list_" + std::string(target.name);
  auto job = chat_job(ctx, std::to_string(ctx.u.chat_id) + ":" + op + ":" + std::to_string(ctx.u.update_id), op);
  job["target"] = target.name;
  job["file"] = target.file;
  job["limit"] = limit;
  job["message_id"] = ctx.u.message_id;
  ctx.out.emit(std::move(job));
}

void cmd_customfile(Context& ctx, const Command& c) {
  std::string verb = c.words.empty() ? "list" : lower(c.words[0]);
  const size_t max = ctx.s.config.max_custom_files;
  auto& files = ctx.chat.custom_files;
  if (verb == "list" || verb == "ls") {
    std::string text = "📂 <b>Custom files</b> (" + std::to_string(files.size()) + "/" + std::to_string(max) + ")\n";
    for (size_t i = 0; i < files.size(); ++i) {
      text += std::to_string(i + 1) + ". <code>" + html_escape(files[i]) + "</code>\n";
    }
    if (files.empty()) {
      text += "None yet.\n";
    }
    text += "Add one with <code>/customfile add books/reading</code>; it appears on the keyboard.";
    ctx.reply(text);
    return;
  }
  bool add = verb == "add";
  bool remove = verb == "remove" || verb == "rm" || verb == "del" || verb == "delete";
  if ((!add && !remove) || c.words.size() != 2) {
    ctx.reply("Use <code>/customfile add NAME</code>, <code>/customfile remove NAME</code> or "
              "<code>/customfile list</code>. NAME is a path in the repository such as <code>books/reading</code> "
              "(.md is added).");
    return;
  }
  auto name = normalize_custom_file(c.words[1]);
  if (!name) {
    ctx.reply("❌ Not a usable file name: " + html_escape(name.error()) + ".");
    return;
  }
  if (add) {
    if (files.size() >= max) {
      ctx.reply("❌ You have " + std::to_string(files.size()) + " custom files, the most allowed. Remove one first.");
      return;
    }
    auto added = ctx.s.store.add_custom_file(ctx.u.chat_id, *name);
    if (!added) {
      return store_failed(ctx, added.failure());
    }
    ctx.reply(*added ? "📂 Added <code>" + html_escape(*name) + "</code>: it is on the keyboard now."
                     : "📂 <code>" + html_escape(*name) + "</code> is already one of your files.");
    return;
  }
  if (auto refusal = admin_refusal(ctx, "customfile remove")) {
    return ctx.reply(*refusal);
  }
  auto removed = ctx.s.store.remove_custom_file(ctx.u.chat_id, *name);
  if (!removed) {
    return store_failed(ctx, removed.failure());
  }
  if (*removed && ctx.chat.default_target == *name) {
    (void)ctx.s.store.set_default_target(ctx.u.chat_id, "");
  }
  ctx.reply(*removed ? "📂 Removed <code>" + html_escape(*name) +
                           "</code> from the keyboard (the file stays in the repository)."
                     : "📂 <code>" + html_escape(*name) + "</code> is not one of your files.");
}

} // namespace m2g::route
