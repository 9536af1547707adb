#pragma once
// Internal to common/route: what every handler works with while answering one update.

#include "common/route/chat_admins.hpp"
#include "common/route/command.hpp"
#include "common/route/output.hpp"
#include "common/route/router.hpp"
#include "common/route/targets.hpp"
#include "common/route/update.hpp"

namespace m2g::route {

struct Router::Services {
  Config config;
  const Clock* clock;
  settings::Store store;
  PendingStore pending;
  StatsStore stats;
  Access access;
  ChatAdmins admins;
  int64_t last_purge_ms = 0;
};

struct Context {
  const Update& u;
  Output& out;
  settings::ChatSettings& chat;
  Router::Services& s;

  /// Reply in the chat to the update's message (HTML).
  void reply(const std::string& html, nlohmann::json markup = nullptr) {
    out.send(u.chat_id, html, std::move(markup), u.message_id);
  }
  /// Whether jobs of this chat ask for a generated title.
  bool llm_on() const { return chat.llm.value_or(s.config.llm_configured); }
  std::string tz() const { return chat.tz.empty() ? "UTC" : chat.tz; }
  int64_t photo_limit() const { return chat.photo_limit.value_or(s.config.photo_limit_bytes); }
  int64_t now_ms() const { return s.clock->unix_ms(); }
};

// router.cpp: a new message's text, photo or other media (documents, voice, ...).
void on_content(Context& ctx);

// filing.cpp
void on_message(Context& ctx);
void on_edit(Context& ctx);
void on_callback(Context& ctx);
/// File `p` to `dest` now: the job, its "queued" progress event, the pending row marked
/// filed, the usage count. `status_message_id` 0: m2g-progress makes a status message.
Result<void> file_now(Context& ctx, Pending p, const Destination& dest, const std::string& filed_by,
                      int64_t status_message_id, bool count = true);
/// Store `p` as filed by this update and file it to `dest` (a message filed without a click).
/// A message already filed is not filed again: a redelivered update repeats the same job, any
/// other answers "already filed".
void file_directly(Context& ctx, Pending p, const Destination& dest);
/// Whether this chat's jobs may reach a repository: its own /repo, or the default one when
/// Access::may_use_default_repo. When not, the person is told to set /repo (a click hears it
/// in the click's answer) and nothing else is done.
bool may_reach_repository(Context& ctx);
/// How /repo describes a chat without a repository of its own ("this chat files into ...";
/// `capital`: "This chat ...").
std::string default_repo_phrase(const Context& ctx, bool capital = false);
/// A job derived from the update with the chat's shared fields (chat_id, repo).
nlohmann::json chat_job(Context& ctx, const std::string& id, const std::string& op);

// commands.cpp, commands_repo.cpp, commands_files.cpp
void on_command(Context& ctx, const Command& command);
void cmd_repo(Context& ctx, const Command& command);
void cmd_customfile(Context& ctx, const Command& command);
void cmd_file_to(Context& ctx, const Command& command, const Target& target);
void cmd_list(Context& ctx, const Command& command, const Target& target);

// admin_only.cpp
/// Whether `u` comes from a group or supergroup (or a chat with a negative id that is not a
/// channel), where what the whole group shares changes only at an administrator's word.
bool in_group(const Update& u);
/// nullopt when the sender may run `what` (a command, for the log, e.g. "repo off"): not a
/// group, or a group administrator (ChatAdmins). Else the polite refusal to send; the reason
/// of a failed check is logged.
std::optional<std::string> admin_refusal(Context& ctx, std::string_view what);

/// A store failure: logged, and the person told to try again.
void store_failed(Context& ctx, const Failure& failure);

} // namespace m2g::route
