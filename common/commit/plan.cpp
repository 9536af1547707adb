#include "common/commit/plan.hpp"

#include "common/commit/format.hpp"
#include "common/commit/listing.hpp"
#include "common/commit/markers.hpp"
#include "common/commit/paths.hpp"
#include "common/commit/text.hpp"
#include "common/commit/tz.hpp"
#include "common/core/exit_codes.hpp"
#include "common/jsonl/scan.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace m2g::commit {
namespace {

constexpr size_t k_title_bytes = 120;
constexpr size_t k_message_lines = 50;
constexpr size_t k_alt_bytes = 200;

// One text file as the batch sees it. New entries are collected back to back and put in front
// only when the whole content is needed, so a batch of ten thousand entries builds its file
// once, and the base commit's bytes are read where they are (a cache's), not copied.
struct FileState {
  bool existed = false;
  FileBytes base;             // the base commit's bytes, until whole() builds the content
  std::string content;        // the content, once built
  bool built = false;         // content holds the file (else base does)
  std::string added;          // new entries in arrival order; the newest ends up first
  std::vector<uint32_t> ends; // where each entry of `added` ends
  // Entries (or TODOs) present, for duplicates; hashed: a sorted set was a quarter of planning
  // a batch of ten thousand.
  std::unordered_set<EntryKey, EntryKeyHash> keys;
  bool keys_known = false;
  bool changed = false;

  // The file without the entries added since the last whole().
  std::string_view settled() const { return built ? std::string_view(content) : base ? *base : std::string_view(); }

  void add(const std::string& entry) {
    added += entry;
    ends.push_back(static_cast<uint32_t>(added.size()));
  }

  std::string& whole() {
    if (!built || !added.empty()) {
      std::string_view rest = settled();
      std::string out;
      out.reserve(added.size() + rest.size());
      for (size_t i = ends.size(); i-- > 0;) {
        size_t begin = i == 0 ? 0 : ends[i - 1];
        out.append(added, begin, ends[i] - begin);
      }
      out += rest;
      content = std::move(out);
      built = true;
      base.reset();
      std::string().swap(added); // its memory: assigning "" would keep the buffer
      std::vector<uint32_t>().swap(ends);
    }
    return content;
  }
};

JobResult result_of(Outcome outcome, std::string title = "", std::string reason = "") {
  JobResult result;
  result.outcome = outcome;
  if (!title.empty() || !reason.empty()) {
    result.fill().title = std::move(title);
    result.fill().reason = std::move(reason);
  }
  return result;
}

// A result titled `title`, which is stored only when it is not the job's own.
JobResult titled(Outcome outcome, const Job& job, std::string title) {
  if (title == job.title()) {
    JobResult result;
    result.outcome = outcome;
    result.own_title = true;
    return result;
  }
  return result_of(outcome, std::move(title));
}

class Planner {
public:
  Planner(FileSource& source, const PlanOptions& options) : m_source(source), m_options(options) {}

  Result<Plan> run(const std::vector<const Job*>& jobs) {
    Plan plan;
    plan.results.reserve(jobs.size()); // grown by doubling, ten thousand results took twice their size
    for (const Job* job : jobs) {
      auto result = apply(*job);
      if (!result.ok()) {
        return result.failure();
      }
      plan.results.push_back(std::move(result.value()));
    }
    for (auto& [path, state] : m_files) {
      if (state.changed) {
        plan.writes.push_back({path, std::move(state.whole())}); // the planner is done with it
      }
    }
    for (auto& [path, bytes] : m_binaries) {
      plan.writes.push_back({path, std::move(bytes)});
    }
    plan.message = message(jobs, plan.results);
    return plan;
  }

private:
  Result<FileState*> file(std::string_view path) {
    auto it = m_files.find(path);
    if (it != m_files.end()) {
      return &it->second;
    }
    std::string key(path);
    auto bytes = m_source.read(key);
    if (!bytes.ok()) {
      return bytes.failure();
    }
    FileState state;
    state.existed = bytes.value() != nullptr;
    state.base = std::move(bytes.value());
    return &m_files.emplace(std::move(key), std::move(state)).first->second;
  }

  static std::shared_ptr<const TimeZone> zone(const Job& job) {
    auto loaded = TimeZone::load(std::string(job.tz()));
    return loaded.ok() ? loaded.value() : TimeZone::utc();
  }

  std::string title_of(const Job& job) const {
    std::string title = one_line(neutralize(job.title()));
    if (title.empty()) {
      title = job.text().empty() ? std::string("Photo") : fallback_title(job.text());
    }
    return std::string(jsonl::utf8_truncate(title, k_title_bytes));
  }

  // What `path` is in the base commit, asked of the source once per batch.
  Result<PathKind> kind_of(const std::string& path) {
    if (auto it = m_kinds.find(path); it != m_kinds.end()) {
      return it->second;
    }
    auto kind = m_source.kind(path);
    if (kind.ok()) {
      m_kinds.emplace(path, kind.value());
    }
    return kind;
  }

  // Why a new file at `path` cannot go into the tree, "" when it can. libgit2 (and GitHub's
  // tree API) refuse a file inside a file, or in place of a folder, and with it the whole
  // commit: checked here, the job that asks for one fails alone and the batch goes on.
  Result<std::string> blocked(const std::string& path) {
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      std::string folder = path.substr(0, slash);
      if (m_claimed.count(folder)) {
        return "cannot write '" + path + "': '" + folder + "' is a new file of the same commit, not a folder";
      }
      auto kind = kind_of(folder);
      M2G_TRY(kind);
      if (kind.value() == PathKind::file) {
        return "cannot write '" + path + "': '" + folder + "' is a file in the repository, not a folder";
      }
    }
    auto kind = kind_of(path);
    M2G_TRY(kind);
    if (kind.value() == PathKind::folder) {
      return "cannot write '" + path + "': it is a folder in the repository";
    }
    std::string inside = path + "/";
    if (auto next = m_claimed.lower_bound(inside); next != m_claimed.end() && next->rfind(inside, 0) == 0) {
      return "cannot write '" + path + "': the same commit makes it a folder ('" + *next + "')";
    }
    return std::string();
  }

  // A job is about to change `state`, the file at `path`: a file the base commit lacks is
  // checked against the tree first. "" when it may; else why not.
  Result<std::string> may_write(const FileState& state, std::string_view path) {
    if (state.existed || state.changed) {
      return std::string(); // a file already: every folder above it is one
    }
    std::string key(path);
    auto why = blocked(key);
    if (why.ok() && why.value().empty()) {
      m_claimed.insert(std::move(key));
    }
    return why;
  }

  // The photo's bytes go into the commit (once); returns the path to link to.
  Result<std::string> add_photo(const Job& job) {
    auto path = photo_repo_path(job);
    if (!path.ok()) {
      return path.failure();
    }
    if (!m_binaries.count(path.value())) {
      auto kind = kind_of(path.value());
      if (!kind.ok()) {
        return kind.failure();
      }
      if (kind.value() != PathKind::file) {
        auto why = blocked(path.value());
        if (!why.ok()) {
          return why.failure();
        }
        if (!why.value().empty()) {
          return fail(exit_code::k_dataerr, why.value());
        }
        m_claimed.insert(path.value());
        m_binaries.emplace(path.value(), job.photo->bytes);
      }
    }
    return path.value();
  }

  Result<JobResult> apply(const Job& job) {
    switch (job.op) {
    case Op::add:
      return job.target() == "todo" ? add_todo(job) : add_entry(job);
    case Op::done:
      return done(job);
    case Op::issue:
      return record_issue(job);
    case Op::close:
      return close(job);
    case Op::sync:
      return sync(job);
    case Op::list_todo:
    case Op::list_issue: {
      auto state = file(job.file());
      M2G_TRY(state);
      JobResult result = result_of(Outcome::answered);
      const std::string& content = state.value()->whole();
      result.fill().actions.push_back(job.op == Op::list_todo ? todo_list_action(job, content)
                                                              : issue_list_action(job, content));
      return result;
    }
    }
    return result_of(Outcome::failed, "", "unknown op");
  }

  Result<JobResult> add_entry(const Job& job) {
    auto state_or = file(job.file());
    M2G_TRY(state_or);
    FileState& state = *state_or.value();
    if (!state.keys_known) {
      for (const EntryKey& key : entry_keys(state.settled())) {
        state.keys.insert(key);
      }
      state.keys_known = true;
    }
    std::string title = title_of(job);
    EntryKey key{job.message_id, job.chat_id};
    if (state.keys.count(key)) {
      return titled(Outcome::duplicate, job, std::move(title));
    }
    auto why = may_write(state, job.file());
    M2G_TRY(why);
    if (!why.value().empty()) {
      return result_of(Outcome::failed, std::move(title), std::move(why.value()));
    }
    auto tz = zone(job);
    std::string body = neutralize(job.text());
    std::string photo;
    if (job.photo) {
      auto path = add_photo(job);
      if (!path.ok()) {
        return result_of(Outcome::failed, std::move(title), path.error());
      }
      std::string link = relative_path(job.file(), path.value());
      std::string caption = neutralize(job.photo->caption.empty() ? job.text() : job.photo->caption);
      if (caption.empty()) {
        body = "![Photo](" + link + ")";
      } else if (caption.find('\n') == std::string::npos && caption.size() <= k_alt_bytes) {
        body = "![" + link_text(caption) + "](" + link + ")";
      } else {
        body = "![Photo](" + link + ")\n\n" + caption;
      }
      photo = std::move(path.value());
    }
    state.add(format_entry(job.message_id, job.chat_id, *tz, job.date, title, job.tags(), body));
    state.keys.insert(key);
    state.changed = true;
    JobResult result = titled(Outcome::written, job, std::move(title));
    if (!photo.empty()) {
      result.fill().extra["photo"] = std::move(photo);
    }
    return result;
  }

  Result<JobResult> add_todo(const Job& job) {
    auto state_or = file(job.file());
    M2G_TRY(state_or);
    FileState& state = *state_or.value();
    if (!state.keys_known) {
      for (const TodoLine& todo : todo_lines(state.settled())) {
        state.keys.insert(EntryKey{todo.message_id, todo.chat_id.value_or(job.chat_id)});
      }
      state.keys_known = true;
    }
    std::string text = one_line(neutralize(job.text()));
    std::string title = text.empty() ? "Photo" : fallback_title(text);
    EntryKey key{job.message_id, job.chat_id};
    if (state.keys.count(key)) {
      return titled(Outcome::duplicate, job, std::move(title));
    }
    auto why = may_write(state, job.file());
    M2G_TRY(why);
    if (!why.value().empty()) {
      return result_of(Outcome::failed, std::move(title), std::move(why.value()));
    }
    auto tz = zone(job);
    std::string photo;
    if (job.photo) {
      auto path = add_photo(job);
      if (!path.ok()) {
        return result_of(Outcome::failed, std::move(title), path.error());
      }
      text = "![Photo](" + relative_path(job.file(), path.value()) + ")" + (text.empty() ? "" : " " + text);
      photo = std::move(path.value());
    }
    state.add(format_todo(job.message_id, job.chat_id, text, format_day(*tz, job.date)));
    state.keys.insert(key);
    state.changed = true;
    JobResult result = titled(Outcome::written, job, std::move(title));
    if (!photo.empty()) {
      result.fill().extra["photo"] = std::move(photo);
    }
    return result;
  }

  Result<JobResult> done(const Job& job) {
    auto state_or = file(job.file());
    M2G_TRY(state_or);
    FileState& state = *state_or.value();
    std::string& content = state.whole();
    int64_t chat = job.todo_chat_id() ? job.todo_chat_id() : job.chat_id;
    for (const TodoLine& todo : todo_lines(content)) {
      if (todo.message_id != job.todo_message_id() || (todo.chat_id && *todo.chat_id != chat)) {
        continue;
      }
      std::string title = fallback_title(todo.text);
      if (todo.done) {
        return titled(Outcome::duplicate, job, std::move(title));
      }
      content[todo.box] = 'x'; // one byte: every other byte of the file stays as it was
      state.changed = true;
      return titled(Outcome::written, job, std::move(title));
    }
    return result_of(Outcome::failed, "",
                     "no TODO for message " + std::to_string(job.todo_message_id()) + " in todo.md");
  }

  Result<JobResult> record_issue(const Job& job) {
    if (!job.issue) {
      return result_of(Outcome::failed, "", "the issue was not created");
    }
    auto state_or = file(job.file());
    M2G_TRY(state_or);
    FileState& state = *state_or.value();
    const IssueFacts& facts = *job.issue;
    std::string title = title_of(job);
    JobResult result = result_of(Outcome::written, title);
    result.fill().extra["issue"] = {{"number", facts.number}, {"url", facts.url}};
    for (const IssueLine& line : issue_lines(state.whole())) {
      if (line.number == facts.number && (line.repo == facts.repo || line.repo.empty())) {
        result.outcome = Outcome::duplicate;
        return result;
      }
    }
    auto why = may_write(state, job.file());
    M2G_TRY(why);
    if (!why.value().empty()) {
      // The issue exists on GitHub; only its line in the file cannot be written.
      result.outcome = Outcome::failed;
      result.fill().reason = std::move(why.value());
      return result;
    }
    if (job.photo && !job.photo->bytes.empty()) {
      auto path = add_photo(job);
      if (path.ok()) {
        result.fill().extra["photo"] = path.value();
      }
    }
    state.add(format_issue(facts.repo, facts.number, title, facts.url));
    state.changed = true;
    return result;
  }

  bool same_repo(const IssueLine& line) const {
    return line.repo.empty() || m_options.repo_name.empty() || line.repo == m_options.repo_name;
  }

  Result<JobResult> close(const Job& job) {
    auto state_or = file(job.file());
    M2G_TRY(state_or);
    FileState& state = *state_or.value();
    std::string& content = state.whole();
    JobResult result = result_of(Outcome::written);
    result.fill().extra["issue"] = {{"number", job.issue_number()}};
    bool seen = false;
    bool flipped = false;
    for (const IssueLine& line : issue_lines(content)) {
      if (line.number != job.issue_number() || !same_repo(line)) {
        continue;
      }
      seen = true;
      if (line.open) {
        content.replace(line.emoji, k_closed_emoji.size(), k_closed_emoji);
        flipped = true;
        if (result.details->title.empty()) {
          result.details->title = std::string(line.title);
        }
      }
    }
    if (flipped) {
      state.changed = true;
    } else if (seen) {
      result.outcome = Outcome::duplicate;
    }
    return result;
  }

  Result<JobResult> sync(const Job& job) {
    auto state_or = file(job.file());
    M2G_TRY(state_or);
    FileState& state = *state_or.value();
    std::string& content = state.whole();
    int64_t open = 0, closed = 0, unknown = 0;
    static const std::map<int64_t, bool> k_none;
    const auto& states = job.details ? job.details->issue_states : k_none;
    for (const IssueLine& line : issue_lines(content)) {
      auto it = same_repo(line) ? states.find(line.number) : states.end();
      if (it == states.end()) {
        ++unknown; // kept exactly as it is
        continue;
      }
      (it->second ? open : closed) += 1;
      if (it->second != line.open) {
        content.replace(line.emoji, 4, it->second ? k_open_emoji : k_closed_emoji);
        state.changed = true;
      }
    }
    JobResult result = result_of(state.changed ? Outcome::written : Outcome::duplicate, "issue states");
    result.fill().extra["synced"] = {{"open", open}, {"closed", closed}, {"unknown", unknown}};
    return result;
  }

  std::string message(const std::vector<const Job*>& jobs, const std::vector<JobResult>& results) const {
    size_t written = 0;
    std::set<std::string_view> files;
    std::string body;
    size_t listed = 0;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (results[i].outcome != Outcome::written) {
        continue;
      }
      ++written;
      files.insert(jobs[i]->file());
      if (listed++ < k_message_lines) {
        body += "- " + std::string(jobs[i]->file()) + ": " + std::string(op_name(jobs[i]->op)) + " " +
                one_line(results[i].title(*jobs[i])) + "\n";
      }
    }
    if (listed > k_message_lines) {
      body += "- … and " + std::to_string(listed - k_message_lines) + " more\n";
    }
    std::string subject = "m2g: " + std::to_string(written) + (written == 1 ? " note (" : " notes (");
    bool first = true;
    for (const auto& f : files) {
      subject += (first ? "" : ", ") + std::string(f);
      first = false;
    }
    return subject + ")\n\n" + body;
  }

  FileSource& m_source;
  const PlanOptions& m_options;
  std::map<std::string, FileState, std::less<>> m_files;
  std::map<std::string, std::string> m_binaries;
  std::map<std::string, PathKind> m_kinds;      // paths of the base commit asked about
  std::set<std::string, std::less<>> m_claimed; // new files of this batch
};

} // namespace

const std::string& JobResult::reason() const {
  static const std::string none;
  return details ? details->reason : none;
}

ResultDetails& JobResult::fill() {
  if (!details) {
    details = ResultDetails{};
  }
  return *details;
}

Result<std::string> photo_repo_path(const Job& job) {
  auto loaded = TimeZone::load(std::string(job.tz()));
  LocalTime t = (loaded.ok() ? *loaded.value() : *TimeZone::utc()).local(job.date);
  return photo_path(job.photo ? job.photo->file_unique_id : "", job.photo ? job.photo->ext : "", t.year, t.month);
}

Result<Plan> make_plan(const std::vector<const Job*>& jobs, FileSource& source, const PlanOptions& options) {
  return Planner(source, options).run(jobs);
}

} // namespace m2g::commit
