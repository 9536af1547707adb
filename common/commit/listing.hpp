#pragma once
// Answers to /todo and /issue: a sendMessage action (man/m2g.7, kind "action") listing the
// open items of the repository's current file, each with a button that files the next job.
// Button data: "done:<message_id>" (mark that TODO done) and "close:<number>" (close that
// issue), well within Telegram's 64 bytes. Text uses HTML parse mode and is escaped.

#include "common/commit/job.hpp"

#include <nlohmann/json.hpp>
#include <string_view>

namespace m2g::commit {

/// The action answering a list_todo job from the contents of todo.md (nullopt: no file).
nlohmann::json todo_list_action(const Job& job, std::string_view todo_md);

/// The action answering a list_issue job from the contents of issue.md.
nlohmann::json issue_list_action(const Job& job, std::string_view issue_md);

} // namespace m2g::commit
