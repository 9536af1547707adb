#include "common/commit/job.hpp"

#include "common/commit/paths.hpp"
#include "common/core/exit_codes.hpp"

namespace m2g::commit {
namespace {

constexpr std::pair<Op, const char*> k_ops[] = {
    {Op::add, "add"},   {Op::done, "done"},           {Op::issue, "issue"},           {Op::close, "close"},
    {Op::sync, "sync"}, {Op::list_todo, "list_todo"}, {Op::list_issue, "list_issue"},
};

using json = nlohmann::json;

std::string string_field(const json& line, const char* key) {
  auto it = line.find(key);
  return it != line.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t int_field(const json& object, const char* key, int64_t fallback = 0) {
  auto it = object.find(key);
  if (it == object.end()) {
    return fallback;
  }
  if (it->is_number_integer()) {
    return it->get<int64_t>();
  }
  if (it->is_number_float()) {
    return static_cast<int64_t>(it->get<double>());
  }
  return fallback;
}

Failure bad(const std::string& why) {
  return fail(exit_code::k_dataerr, why);
}

} // namespace

const char* op_name(Op op) {
  for (const auto& [known, name] : k_ops) {
    if (known == op) {
      return name;
    }
  }
  return "?";
}

json Job::derive(jsonl::Kind kind) const {
  // derive() copies the shared fields only, so those of the stored line are all it needs.
  return jsonl::derive(json::parse(shared), kind);
}

Result<Job> parse_job(const json& line, int64_t now_s) {
  Job job;
  json shared = jsonl::derive(line, jsonl::Kind::other);
  for (const char* made : {"v", "kind", "ts"}) {
    shared.erase(made); // set anew by each derive()
  }
  job.shared = jsonl::dump(shared);
  job.id = string_field(line, "id");
  if (job.id.empty()) {
    return bad("the job has no id");
  }
  std::string op = string_field(line, "op");
  if (op.empty()) {
    op = "add";
  }
  bool known = false;
  for (const auto& [value, name] : k_ops) {
    if (op == name) {
      job.op = value;
      known = true;
    }
  }
  if (!known) {
    return bad("unknown op '" + op + "'");
  }
  job.target = string_field(line, "target");
  job.text = string_field(line, "text");
  job.chat_id = int_field(line, "chat_id");
  job.message_id = int_field(line, "message_id");
  job.date = int_field(line, "date", now_s);
  job.tz = string_field(line, "tz");
  if (job.tz.empty()) {
    job.tz = "UTC";
  }
  job.title = string_field(line, "title");
  if (auto tags = line.find("hashtags"); tags != line.end()) {
    if (tags->is_array()) {
      for (const auto& tag : *tags) {
        if (tag.is_string()) {
          job.hashtags.push_back(tag.get<std::string>());
        }
      }
    } else if (tags->is_string()) {
      std::string all = tags->get<std::string>();
      size_t start = 0;
      while (start < all.size()) {
        size_t end = all.find_first_of(" ,", start);
        end = end == std::string::npos ? all.size() : end;
        if (end > start) {
          job.hashtags.push_back(all.substr(start, end - start));
        }
        start = end + 1;
      }
    }
  }
  if (auto repo = line.find("repo"); repo != line.end() && repo->is_object()) {
    job.repo_url = string_field(*repo, "url");
    auto token = repo->find("token");
    job.repo_token = token != repo->end() && token->is_boolean() && token->get<bool>();
  }
  if (auto photo = line.find("photo"); photo != line.end() && photo->is_object()) {
    Photo p;
    p.file_id = string_field(*photo, "file_id");
    p.file_unique_id = string_field(*photo, "file_unique_id");
    p.file_size = int_field(*photo, "file_size");
    p.caption = string_field(*photo, "caption");
    if (p.file_id.empty() || p.file_unique_id.empty()) {
      return bad("the photo has no file_id or file_unique_id");
    }
    if (job.text.empty()) {
      job.text = p.caption;
    }
    job.photo = std::move(p);
  }
  if (auto todo = line.find("todo"); todo != line.end() && todo->is_object()) {
    job.todo_message_id = int_field(*todo, "message_id");
    job.todo_chat_id = int_field(*todo, "chat_id", job.chat_id);
  }
  if (auto issue = line.find("issue"); issue != line.end() && issue->is_object()) {
    job.issue_number = int_field(*issue, "number");
  }
  job.limit = std::clamp<int64_t>(int_field(line, "limit", 10), 1, 50);

  // What each op needs.
  if (job.op == Op::add && job.target == "issue") {
    job.op = Op::issue; // filing a message under ISSUE opens one
  }
  switch (job.op) {
  case Op::add: {
    if (job.target == "custom") {
      auto file = validate_custom_file(string_field(line, "file"));
      if (!file.ok()) {
        return file.failure();
      }
      job.file = file.value();
    } else {
      job.file = target_file(job.target);
      if (job.file.empty()) {
        return bad("unknown target '" + job.target + "'");
      }
      std::string given = string_field(line, "file");
      if (!given.empty() && given != job.file) {
        return bad("target '" + job.target + "' writes " + job.file + ", not '" + given + "'");
      }
    }
    if (job.message_id <= 0 || job.chat_id == 0) {
      return bad("the job has no message_id or chat_id for its entry marker");
    }
    if (job.text.empty() && !job.photo) {
      return bad("the job has neither text nor a photo");
    }
    break;
  }
  case Op::issue:
    job.file = "issue.md";
    if (job.message_id <= 0 || job.chat_id == 0) {
      return bad("the job has no message_id or chat_id");
    }
    if (job.text.empty() && job.title.empty() && !job.photo) {
      return bad("the issue has no text");
    }
    break;
  case Op::done:
    job.file = "todo.md";
    if (job.todo_message_id <= 0) {
      return bad("the done job has no todo.message_id");
    }
    break;
  case Op::close:
    job.file = "issue.md";
    if (job.issue_number <= 0) {
      return bad("the close job has no issue.number");
    }
    break;
  case Op::sync:
  case Op::list_issue:
    job.file = "issue.md";
    break;
  case Op::list_todo:
    job.file = "todo.md";
    break;
  }
  if (is_read_only(job.op) && job.chat_id == 0) {
    return bad("the listing job has no chat_id to answer to");
  }
  return job;
}

} // namespace m2g::commit
