#pragma once
// Answers to /todo and /issue: a sendMessage action (man/m2g.7, kind "action") listing the
// open items of the repository's current file, each with a button that files the next job.
// Button data: "done:<message_id>:<mac>" (mark that TODO done) and "close:<number>:<mac>"
// (close that issue), signed for the chat the list goes to (route/callback_data.hpp), well
// within Telegram's 64 bytes. Text uses HTML parse mode and is escaped.

#include "common/commit/job.hpp"
#include "common/route/button_mac.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace m2g::commit {

/// The signer of the done and close buttons, set once at start before any plan is made (plans
/// are made deep inside the backends, on worker threads, which only read it). Without one the
/// lists come without those buttons, since m2g-route refuses unsigned clicks.
void set_button_signer(std::optional<route::ButtonSigner> signer);

/// Sign with the instance key (crypto/instance_key.hpp): `key_file` when given, else
/// $M2G_DATA_DIR/instance.key, the one m2g-route checks with. Neither: no buttons (logged).
void sign_buttons_with_instance_key(const std::string& key_file);

/// The action answering a list_todo job from the contents of todo.md (nullopt: no file).
nlohmann::json todo_list_action(const Job& job, std::string_view todo_md);

/// The action answering a list_issue job from the contents of issue.md.
nlohmann::json issue_list_action(const Job& job, std::string_view issue_md);

} // namespace m2g::commit
