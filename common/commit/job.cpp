#include "common/commit/job.hpp"

#include "common/commit/line_text.hpp"
#include "common/commit/paths.hpp"
#include "common/commit/text.hpp"
#include "common/core/exit_codes.hpp"

#include <algorithm>

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
  // A number int64 cannot hold is no better than a missing one: converting it was undefined
  // behaviour (a date of 1.7e22 became INT64_MIN).
  if (it->is_number_unsigned()) {
    auto value = it->get<uint64_t>();
    return value <= static_cast<uint64_t>(INT64_MAX) ? static_cast<int64_t>(value) : fallback;
  }
  if (it->is_number_integer()) {
    return it->get<int64_t>();
  }
  if (it->is_number_float()) {
    double value = it->get<double>();
    constexpr double k_limit = 9223372036854775808.0; // 2^63
    return value >= -k_limit && value < k_limit ? static_cast<int64_t>(value) : fallback;
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

std::string_view Job::tz() const {
  std::string_view zone = field(k_tz);
  return zone.empty() ? std::string_view("UTC") : zone;
}

const std::string& Job::repo_url() const {
  static const std::string none;
  return details ? details->repo_url : none;
}

JobDetails& Job::details_to_fill() {
  if (!details) {
    details = JobDetails{};
  }
  return *details;
}

void Job::set_fields(const std::array<std::string_view, k_fields>& fields) {
  size_t size = 0;
  for (auto f : fields) {
    size += f.size();
  }
  m_text.clear();
  m_text.reserve(size); // one allocation of the exact size: a batch holds ten thousand of these
  for (size_t i = 0; i < fields.size(); ++i) {
    m_text += fields[i];
    m_ends[i] = static_cast<uint32_t>(m_text.size());
  }
}

json Job::derive(jsonl::Kind kind) const {
  json out = jsonl::make(kind);
  if (std::string_view rest = field(k_rest); !rest.empty()) {
    json shared = json::parse(rest);
    for (auto it = shared.begin(); it != shared.end(); ++it) {
      out[it.key()] = std::move(it.value());
    }
  }
  if (m_derived & k_derived_id) {
    out["id"] = id();
  }
  if (m_derived & k_derived_chat) {
    out["chat_id"] = chat_id;
  }
  if (m_derived & k_derived_message) {
    out["message_id"] = message_id;
  }
  if (m_derived & k_derived_target) {
    out["target"] = target();
  }
  return out;
}

void Job::shared_members(ObjectText& line) const {
  if (m_derived & k_derived_id) {
    line.string("id", id());
  }
  if (m_derived & k_derived_chat) {
    line.integer("chat_id", chat_id);
  }
  if (m_derived & k_derived_message) {
    line.integer("message_id", message_id);
  }
  if (m_derived & k_derived_target) {
    line.string("target", target());
  }
  line.members_of(field(k_rest));
}

Result<Job> parse_job(const json& line, int64_t now_s) {
  Job job;
  std::string id = string_field(line, "id");
  if (id.empty()) {
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
  std::string target = string_field(line, "target");
  std::string text = string_field(line, "text");
  job.chat_id = int_field(line, "chat_id");
  job.message_id = int_field(line, "message_id");
  job.date = int_field(line, "date", now_s);
  std::string tz = string_field(line, "tz");
  if (tz == "UTC") {
    tz.clear(); // the default: not worth its bytes in every job
  }
  std::string title = string_field(line, "title");
  std::vector<std::string> hashtags;
  if (auto tags = line.find("hashtags"); tags != line.end()) {
    if (tags->is_array()) {
      for (const auto& tag : *tags) {
        if (tag.is_string()) {
          hashtags.push_back(tag.get<std::string>());
        }
      }
    } else if (tags->is_string()) {
      std::string all = tags->get<std::string>();
      size_t start = 0;
      while (start < all.size()) {
        size_t end = all.find_first_of(" ,", start);
        end = end == std::string::npos ? all.size() : end;
        if (end > start) {
          hashtags.push_back(all.substr(start, end - start));
        }
        start = end + 1;
      }
    }
  }
  std::string tag_line;
  for (const auto& tag : clean_hashtags(hashtags)) {
    tag_line += (tag_line.empty() ? "" : " ") + tag;
  }
  if (auto repo = line.find("repo"); repo != line.end() && repo->is_object()) {
    std::string url = string_field(*repo, "url");
    auto token = repo->find("token");
    bool with_token = token != repo->end() && token->is_boolean() && token->get<bool>();
    if (!url.empty() || with_token) {
      job.details_to_fill().repo_url = std::move(url);
      job.details_to_fill().repo_token = with_token;
    }
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
    if (text.empty()) {
      text = p.caption;
    }
    job.photo = std::move(p);
  }
  if (auto todo = line.find("todo"); todo != line.end() && todo->is_object()) {
    job.details_to_fill().todo_message_id = int_field(*todo, "message_id");
    job.details_to_fill().todo_chat_id = int_field(*todo, "chat_id", job.chat_id);
  }
  if (auto issue = line.find("issue"); issue != line.end() && issue->is_object()) {
    if (int64_t number = int_field(*issue, "number"); number != 0) {
      job.details_to_fill().issue_number = number;
    }
  }
  if (int64_t limit = std::clamp<int64_t>(int_field(line, "limit", 10), 1, 50); limit != 10) {
    job.details_to_fill().limit = limit;
  }

  // What each op needs.
  if (job.op == Op::add && target == "issue") {
    job.op = Op::issue; // filing a message under ISSUE opens one
  }
  std::string file;
  switch (job.op) {
  case Op::add: {
    if (target == "custom") {
      auto custom = validate_custom_file(string_field(line, "file"));
      if (!custom.ok()) {
        return custom.failure();
      }
      file = custom.value();
    } else {
      file = target_file(target);
      if (file.empty()) {
        return bad("unknown target '" + target + "'");
      }
      std::string given = string_field(line, "file");
      if (!given.empty() && given != file) {
        return bad("target '" + target + "' writes " + file + ", not '" + given + "'");
      }
    }
    if (job.message_id <= 0 || job.chat_id == 0) {
      return bad("the job has no message_id or chat_id for its entry marker");
    }
    if (text.empty() && !job.photo) {
      return bad("the job has neither text nor a photo");
    }
    break;
  }
  case Op::issue:
    file = "issue.md";
    if (job.message_id <= 0 || job.chat_id == 0) {
      return bad("the job has no message_id or chat_id");
    }
    if (text.empty() && title.empty() && !job.photo) {
      return bad("the issue has no text");
    }
    break;
  case Op::done:
    file = "todo.md";
    if (job.todo_message_id() <= 0) {
      return bad("the done job has no todo.message_id");
    }
    break;
  case Op::close:
    file = "issue.md";
    if (job.issue_number() <= 0) {
      return bad("the close job has no issue.number");
    }
    break;
  case Op::sync:
  case Op::list_issue:
    file = "issue.md";
    break;
  case Op::list_todo:
    file = "todo.md";
    break;
  }
  if (is_read_only(job.op) && job.chat_id == 0) {
    return bad("the listing job has no chat_id to answer to");
  }

  // The shared fields (jsonl::derive) that the job cannot write again from its own fields are
  // kept as JSON text; a field is written again only when that gives back exactly its bytes.
  json rest = jsonl::derive(line, jsonl::Kind::other);
  for (const char* made : {"v", "kind", "ts"}) {
    rest.erase(made); // set anew by each derived line
  }
  auto take = [&rest, &job](const char* key, uint8_t flag, bool same) {
    if (auto it = rest.find(key); it != rest.end() && same) {
      rest.erase(it);
      job.m_derived |= flag;
    }
  };
  auto dumped = [&rest](const char* key) {
    auto it = rest.find(key);
    return it == rest.end() ? std::string() : it->dump();
  };
  take("id", Job::k_derived_id, rest.contains("id") && rest["id"].is_string());
  take("chat_id", Job::k_derived_chat, dumped("chat_id") == std::to_string(job.chat_id));
  take("message_id", Job::k_derived_message, dumped("message_id") == std::to_string(job.message_id));
  take("target", Job::k_derived_target, rest.contains("target") && rest["target"].is_string());
  std::string rest_text = rest.empty() ? std::string() : jsonl::dump(rest);
  job.set_fields({id, target, file, text, tz, title, tag_line, rest_text});
  return job;
}

} // namespace m2g::commit
