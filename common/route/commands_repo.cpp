// /repo: the chat's own repository and its token. A token sent in the chat is sealed under the
// key file before it is stored (refused when there is no key), the message holding it is
// deleted, and it is never echoed, logged or written on a line.
#include "common/core/log.hpp"
#include "common/core/secret.hpp"
#include "common/net/repo_url.hpp"
#include "common/route/context.hpp"
#include "common/route/text.hpp"

namespace m2g::route {
namespace {

// The secret part of "scheme://user:password@host/...": the password, else the user (a token
// sent as the user name); empty when there is none.
std::string_view url_password(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  std::string_view userinfo = rest.substr(0, std::min(rest.find('@'), rest.find('/')));
  if (userinfo.size() == rest.size() || rest[userinfo.size()] != '@') {
    return {};
  }
  auto colon = userinfo.find(':');
  return colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1);
}

bool plausible_token(std::string_view token) {
  if (token.size() < 8 || token.size() > 256) {
    return false;
  }
  for (char c : token) {
    if (c <= 0x20 || c >= 0x7f) {
      return false;
    }
  }
  return true;
}

void show(Context& ctx) {
  if (ctx.chat.repo_url.empty()) {
    ctx.reply("📁 " + default_repo_phrase(ctx, true) +
              ".\nSet your own with <code>/repo https://github.com/you/notes TOKEN</code>.");
    return;
  }
  std::string text = "📁 Repository: <code>" + html_escape(ctx.chat.repo_url) +
                     "</code>\n🔑 Token: " + (ctx.chat.has_token ? "stored, encrypted" : "none");
  ctx.reply(text + "\n<code>/repo off</code> forgets both.");
}

} // namespace

void cmd_repo(Context& ctx, const Command& c) {
  const Update& u = ctx.u;
  if (c.words.empty()) {
    return show(ctx);
  }
  std::string first = lower(c.words[0]);
  if (c.words.size() == 1 && (first == "off" || first == "reset" || first == "clear")) {
    if (auto refusal = admin_refusal(ctx, "repo off")) {
      return ctx.reply(*refusal);
    }
    if (auto cleared = ctx.s.store.clear_repo(u.chat_id); !cleared) {
      return store_failed(ctx, cleared.failure());
    }
    ctx.reply("📁 Repository and token forgotten: " + default_repo_phrase(ctx) + ".");
    return;
  }
  // The same judge as m2g-commit's (common/net/repo_url.hpp): a URL saved here is one the
  // commit stage accepts, so a refusal comes now, not as a failure of every later message.
  net::RepoUrlCheck url = net::check_chat_repo_url(c.words[0], net::AddressPolicy::from_env());
  bool secret = c.words.size() >= 2 || url.has_credentials;
  // From here on the person's message may hold a secret: scrub it from every log line, delete
  // the message first, and no longer reply to it (it is gone).
  int64_t reply_to = u.message_id;
  if (secret) {
    // Only words that look like tokens, into a capped set: the words are a stranger's.
    for (size_t i = 1; i < c.words.size(); ++i) {
      add_chat_secret(c.words[i]);
    }
    if (url.has_credentials) {
      add_chat_secret(url_password(c.words[0]));
    }
    ctx.out.remove(u.chat_id, u.message_id);
    reply_to = 0;
  }
  auto say = [&](std::string text) {
    if (secret) {
      text += "\n🗑 I deleted your message because it held a secret.";
      if (u.chat_type != "private" && !u.chat_type.empty()) {
        text += " Tip: send tokens in a private chat with me.";
      }
    }
    ctx.out.send(u.chat_id, text, nullptr, reply_to);
  };
  // Checked after the secret is scrubbed and its message deleted: a token sent by a member
  // who may not set it is no less exposed in the group.
  if (auto refusal = admin_refusal(ctx, "repo")) {
    return say(*refusal);
  }
  if (c.words.size() > 2) {
    return say("❌ Nothing saved: use <code>/repo URL</code> or <code>/repo URL TOKEN</code>.");
  }
  if (!url.ok) {
    return say("❌ Nothing saved: " + html_escape(url.why) + ".");
  }
  const std::string& repo_url = c.words[0];
  if (c.words.size() == 1) {
    if (auto saved = ctx.s.store.set_repo(u.chat_id, repo_url); !saved) {
      return store_failed(ctx, saved.failure());
    }
    return say("📁 Repository set to <code>" + html_escape(repo_url) +
               "</code> (no token: the server's credentials are used). Add one with /repo URL TOKEN.");
  }
  const std::string& token = c.words[1];
  if (!ctx.s.config.key) {
    log::warn("chat " + std::to_string(u.chat_id) + " sent a repository token, refused: no key file configured");
    return say("🔒 Nothing saved: this server has no encryption key (--key-file or M2G_KEY_FILE), so it refuses "
               "to store tokens. Ask its operator to configure one.");
  }
  if (!plausible_token(token)) {
    return say("❌ Nothing saved: that does not look like a token (8 to 256 visible characters, no spaces).");
  }
  if (auto saved = ctx.s.store.set_repo_with_token(u.chat_id, repo_url, token, *ctx.s.config.key); !saved) {
    return store_failed(ctx, saved.failure());
  }
  say("📁 Repository set to <code>" + html_escape(repo_url) + "</code>.\n🔑 Token stored, encrypted.");
}

} // namespace m2g::route
