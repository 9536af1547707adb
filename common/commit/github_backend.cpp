#include "common/commit/github_backend.hpp"

#include "common/commit/issues.hpp"
#include "common/commit/paths.hpp"
#include "common/core/exit_codes.hpp"
#include "common/github/base64.hpp"
#include "common/jsonl/scan.hpp"

namespace m2g::commit {
namespace {

using json = nlohmann::json;

// Text files this small go into the tree request itself (one request fewer per file).
constexpr size_t k_inline_bytes = 512 * 1024;

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The plan reads from the cache, which the attempt filled beforehand.
class CacheSource final : public FileSource {
public:
  explicit CacheSource(const GithubBackend::Cache& cache) : m_cache(cache) {}
  Result<std::optional<std::string>> read(const std::string& path) override {
    auto it = m_cache.files.find(path);
    if (it == m_cache.files.end()) {
      return fail(exit_code::k_software, "'" + path + "' was not fetched before planning");
    }
    return it->second;
  }
  Result<bool> exists(const std::string& path) override {
    auto it = m_cache.dirs.find(dir_of(path));
    return it != m_cache.dirs.end() && it->second.count(base_of(path)) > 0;
  }

private:
  const GithubBackend::Cache& m_cache;
};

// `body` serialized into a string sized for it up front: grown by doubling, the request that
// carries a megabyte notebook would hold up to twice that.
std::string dump_reserved(const json& body, const std::vector<Write>& writes) {
  size_t estimate = 4096;
  for (const Write& write : writes) {
    estimate += write.path.size() + 128; // a blob's bytes are not in the body, only its sha
  }
  for (const auto& entry : body["tree"]) {
    if (auto it = entry.find("content"); it != entry.end()) {
      const auto& content = it->get_ref<const std::string&>();
      estimate += content.size() + content.size() / 16; // escapes (newlines, quotes) take a little more
    }
  }
  std::string out;
  out.reserve(estimate);
  nlohmann::detail::serializer<json> serializer(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
                                                json::error_handler_t::strict);
  serializer.dump(body, false, false, 0);
  return out;
}

} // namespace

// One attempt of one batch: a chain of requests, kept alive by the callbacks that continue it.
class GithubBackend::Attempt : public std::enable_shared_from_this<Attempt> {
public:
  Attempt(GithubBackend& backend, RepoContext repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done)
      : m_backend(backend), m_repo(std::move(repo)), m_jobs(std::move(jobs)), m_done(std::move(done)),
        m_name(m_repo.remote.github_repo), m_cache(backend.m_cache[m_name]) {}

  void start() {
    if (m_name.empty()) {
      fail_with(fail(exit_code::k_config, "the github backend needs a https://github.com/OWNER/REPO remote"));
      return;
    }
    m_report.branch = m_repo.branch;
    if (!m_report.branch.empty()) {
      read_ref();
      return;
    }
    call("GET", "/repos/" + m_name, "", [self = shared_from_this()](github::Reply reply) {
      if (!reply.ok() || !reply.body.contains("default_branch")) {
        self->fail_with(github_failure("cannot read the repository " + self->m_name, reply));
        return;
      }
      self->m_report.branch = reply.body["default_branch"].get<std::string>();
      self->read_ref();
    });
  }

private:
  void call(const std::string& method, const std::string& path, std::string body,
            std::function<void(github::Reply)> then, std::string accept = "application/vnd.github+json") {
    m_backend.m_client.request(method, path, std::move(body), m_repo.token, std::move(then), std::move(accept));
  }

  void fail_with(const Failure& failure) {
    m_report.status = BatchReport::Status::failed;
    m_report.error = failure.message;
    m_report.retryable = failure.exit_code == exit_code::k_tempfail || failure.exit_code == exit_code::k_software;
    m_done(std::move(m_report));
  }

  void read_ref() {
    call("GET", "/repos/" + m_name + "/git/ref/heads/" + url_path(m_report.branch), "",
         [self = shared_from_this()](github::Reply reply) {
           if (reply.status == 409) {
             self->fail_with(fail(exit_code::k_unavailable, "the repository " + self->m_name +
                                                                " is empty: make a first commit (GitHub's Git Data API "
                                                                "needs one)"));
             return;
           }
           if (!reply.ok() || !reply.body.contains("object")) {
             self->fail_with(github_failure("cannot read branch " + self->m_report.branch, reply));
             return;
           }
           self->m_tip = reply.body["object"]["sha"].get<std::string>();
           if (self->m_cache.commit == self->m_tip && !self->m_cache.tree.empty()) {
             self->fetch_files();
             return;
           }
           self->call("GET", "/repos/" + self->m_name + "/git/commits/" + self->m_tip, "",
                      [self](github::Reply commit) {
                        if (!commit.ok() || !commit.body.contains("tree")) {
                          self->fail_with(github_failure("cannot read commit " + self->m_tip, commit));
                          return;
                        }
                        self->m_cache = Cache{};
                        self->m_cache.commit = self->m_tip;
                        self->m_cache.tree = commit.body["tree"]["sha"].get<std::string>();
                        self->fetch_files();
                      });
         });
  }

  // Read every file and photo directory the batch needs that the cache does not hold.
  void fetch_files() {
    std::set<std::string> files, dirs;
    for (const Job* job : *m_jobs) {
      files.insert(job->file);
      if (job->photo) {
        auto path = photo_repo_path(*job);
        if (path.ok()) {
          dirs.insert(dir_of(path.value()));
        }
      }
    }
    for (const auto& file : files) {
      if (!m_cache.files.count(file)) {
        ++m_pending;
        call(
            "GET", "/repos/" + m_name + "/contents/" + url_path(file) + "?ref=" + m_tip, "",
            [self = shared_from_this(), file](github::Reply reply) {
              if (reply.status == 404) {
                self->m_cache.files[file] = std::nullopt;
              } else if (reply.ok()) {
                self->m_cache.files[file] = std::move(reply.raw);
              } else {
                self->m_error = github_failure("cannot read " + file, reply);
              }
              self->fetched();
            },
            "application/vnd.github.raw+json");
      }
    }
    for (const auto& dir : dirs) {
      if (!m_cache.dirs.count(dir)) {
        ++m_pending;
        call("GET", "/repos/" + m_name + "/contents/" + url_path(dir) + "?ref=" + m_tip, "",
             [self = shared_from_this(), dir](github::Reply reply) {
               auto& names = self->m_cache.dirs[dir];
               if (reply.ok() && reply.body.is_array()) {
                 for (const auto& entry : reply.body) {
                   names.insert(entry.value("name", ""));
                 }
               } else if (reply.status != 404) {
                 self->m_error = github_failure("cannot list " + dir, reply);
               }
               self->fetched();
             });
      }
    }
    if (m_pending == 0) {
      plan();
    }
  }

  void fetched() {
    if (--m_pending > 0) {
      return;
    }
    if (m_error) {
      m_cache = Cache{}; // whatever was half read is not trusted next time
      fail_with(*m_error);
      return;
    }
    plan();
  }

  void plan() {
    CacheSource source(m_cache);
    PlanOptions options;
    options.repo_name = m_repo.issues_repo;
    auto plan = make_plan(*m_jobs, source, options);
    if (!plan.ok()) {
      fail_with(plan.failure());
      return;
    }
    m_report.plan = std::move(plan.value());
    m_report.commit = m_tip;
    if (m_report.plan.writes.empty()) {
      m_report.status = BatchReport::Status::pushed;
      m_done(std::move(m_report));
      return;
    }
    m_entries = json::array();
    for (size_t i = 0; i < m_report.plan.writes.size(); ++i) {
      const Write& write = m_report.plan.writes[i];
      bool text = write.content.size() <= k_inline_bytes &&
                  jsonl::valid_utf8_prefix(write.content) == write.content.size() &&
                  write.content.find('\0') == std::string::npos;
      json entry = {{"path", write.path}, {"mode", "100644"}, {"type", "blob"}};
      if (text) {
        // Moved, not copied: a shared inbox grows to megabytes, and every copy of it counts
        // at the batch's peak. move_branch() takes it back for the cache.
        entry["content"] = std::move(write.content);
        m_entries.push_back(std::move(entry));
        continue;
      }
      m_entries.push_back(std::move(entry));
      ++m_pending;
      // Written out by hand: base64 needs no escaping, and a json value would be one more copy
      // of the photo.
      std::string blob = "{\"content\":\"";
      blob += github::base64_encode(write.content);
      blob += "\",\"encoding\":\"base64\"}";
      call("POST", "/repos/" + m_name + "/git/blobs", std::move(blob),
           [self = shared_from_this(), i](github::Reply reply) {
             if (reply.status == 201 && reply.body.contains("sha")) {
               self->m_entries[i]["sha"] = reply.body["sha"];
             } else {
               self->m_error = github_failure("cannot upload " + self->m_report.plan.writes[i].path, reply);
             }
             if (--self->m_pending == 0) {
               self->m_error ? self->fail_with(*self->m_error) : self->make_tree();
             }
           });
    }
    if (m_pending == 0) {
      make_tree();
    }
  }

  void make_tree() {
    // The entries are lent to the body for the dump (a copy of them would be one more copy of
    // every inlined file) and taken back for move_branch().
    json body = {{"base_tree", m_cache.tree}, {"tree", json()}};
    body["tree"] = std::move(m_entries);
    std::string text = dump_reserved(body, m_report.plan.writes);
    m_entries = std::move(body["tree"]);
    body = nullptr;
    call("POST", "/repos/" + m_name + "/git/trees", std::move(text), [self = shared_from_this()](github::Reply reply) {
      if (reply.status != 201 || !reply.body.contains("sha")) {
        self->fail_with(github_failure("cannot create the tree", reply));
        return;
      }
      self->m_tree = reply.body["sha"].get<std::string>();
      json commit = {
          {"message", self->m_report.plan.message},
          {"tree", self->m_tree},
          {"parents", {self->m_tip}},
          {"author", {{"name", self->m_backend.m_signature.name}, {"email", self->m_backend.m_signature.email}}}};
      self->call("POST", "/repos/" + self->m_name + "/git/commits", commit.dump(), [self](github::Reply made) {
        if (made.status != 201 || !made.body.contains("sha")) {
          self->fail_with(github_failure("cannot create the commit", made));
          return;
        }
        self->move_branch(made.body["sha"].get<std::string>());
      });
    });
  }

  void move_branch(const std::string& commit) {
    json body = {{"sha", commit}, {"force", false}};
    call("PATCH", "/repos/" + m_name + "/git/refs/heads/" + url_path(m_report.branch), body.dump(),
         [self = shared_from_this(), commit](github::Reply reply) {
           if (reply.status == 422) {
             // "Update is not a fast forward": someone else moved the branch. Plan again.
             self->m_report.status = BatchReport::Status::rejected;
             self->m_report.error = "the branch moved (" + reply.message() + ")";
             self->m_done(std::move(self->m_report));
             return;
           }
           if (!reply.ok()) {
             self->fail_with(github_failure("cannot move branch " + self->m_report.branch, reply));
             return;
           }
           // The new tip is what was just written: keep it for the next batch.
           Cache& cache = self->m_cache;
           cache.commit = commit;
           cache.tree = self->m_tree;
           for (const auto& entry : self->m_entries) {
             std::string path = entry["path"].get<std::string>();
             cache.dirs[dir_of(path)].insert(base_of(path));
           }
           auto& writes = self->m_report.plan.writes;
           for (size_t i = 0; i < writes.size(); ++i) {
             json& entry = self->m_entries[i];
             auto& content = entry.contains("content") ? entry["content"].get_ref<std::string&>() : writes[i].content;
             cache.files[writes[i].path] = std::move(content);
           }
           self->m_entries = nullptr;
           self->m_report.plan.writes.clear();
           self->m_report.status = BatchReport::Status::pushed;
           self->m_report.commit = commit;
           self->m_report.changed = true;
           self->m_done(std::move(self->m_report));
         });
  }

  GithubBackend& m_backend;
  RepoContext m_repo;
  std::shared_ptr<const std::vector<const Job*>> m_jobs;
  Done m_done;
  std::string m_name;
  Cache& m_cache;
  BatchReport m_report;
  std::string m_tip;
  std::string m_tree;
  json m_entries;
  size_t m_pending = 0;
  std::optional<Failure> m_error;
};

void GithubBackend::run(const RepoContext& repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done) {
  std::make_shared<Attempt>(*this, repo, std::move(jobs), std::move(done))->start();
}

} // namespace m2g::commit
