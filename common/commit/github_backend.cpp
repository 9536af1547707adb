#include "common/commit/github_backend.hpp"

#include "common/commit/issues.hpp"
#include "common/commit/line_text.hpp"
#include "common/commit/paths.hpp"
#include "common/core/exit_codes.hpp"
#include "common/github/base64.hpp"
#include "common/jsonl/scan.hpp"

namespace m2g::commit {
namespace {

using json = nlohmann::json;

// Text files up to this size go into the tree request itself (one request fewer per file);
// GitHub's contents API treats files up to 1 MB as ordinary. Larger text goes in a blob
// request of its own, as UTF-8 (base64 would make it a third larger).
constexpr size_t k_inline_bytes = 1 << 20;
// A batch's new files are kept for the next batch (which then reads nothing) up to this size.
constexpr size_t k_kept_bytes = 256 << 10;

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_text(const std::string& content) {
  return jsonl::valid_utf8_prefix(content) == content.size() && content.find('\0') == std::string::npos;
}

// The plan reads from the cache, which the attempt filled beforehand.
class CacheSource final : public FileSource {
public:
  explicit CacheSource(const GithubBackend::Cache& cache) : m_cache(cache) {}
  Result<FileBytes> read(const std::string& path) override {
    auto what = kind(path);
    if (!what.ok()) {
      return what.failure();
    }
    if (what.value() != PathKind::file) {
      return FileBytes(); // a folder read as raw content is its listing, not a file
    }
    auto it = m_cache.files.find(path);
    if (it == m_cache.files.end()) {
      return fail(exit_code::k_software, "'" + path + "' was not fetched before planning");
    }
    return it->second;
  }
  Result<PathKind> kind(const std::string& path) override {
    auto dir = m_cache.dirs.find(dir_of(path));
    if (dir == m_cache.dirs.end()) {
      return fail(exit_code::k_software, "the folder of '" + path + "' was not listed before planning");
    }
    auto it = dir->second.find(base_of(path));
    return it == dir->second.end() ? PathKind::absent : it->second;
  }

private:
  const GithubBackend::Cache& m_cache;
};

// A blob request's body, written in one buffer of its exact size: the JSON text of a
// megabyte file is never copied by growing, nor built as a DOM first.
std::string blob_body(const std::string& content, bool text) {
  std::string body;
  if (text) {
    body.reserve(json_string_size(content) + 32);
    body += "{\"content\":";
    append_json_string(body, content);
    body += ",\"encoding\":\"utf-8\"}";
  } else {
    body.reserve(github::base64_size(content.size()) + 40);
    body += "{\"content\":\"";
    github::base64_append(body, content);
    body += "\",\"encoding\":\"base64\"}";
  }
  return body;
}

} // namespace

// One attempt of one batch: a chain of requests, kept alive by the callbacks that continue it.
class GithubBackend::Attempt : public std::enable_shared_from_this<Attempt> {
public:
  Attempt(GithubBackend& backend, RepoContext repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done)
      : m_backend(backend), m_repo(std::move(repo)), m_jobs(std::move(jobs)), m_done(std::move(done)),
        m_name(m_repo.remote.github_repo), m_cache(backend.m_cache[m_name + '\n' + m_repo.owner]) {}

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
  /// One file of the new tree: inline in the tree request, or a blob made before it.
  struct Entry {
    bool inline_text = false;
    std::string sha; ///< of the blob, once made
  };

  void call(const std::string& method, const std::string& path, std::string body,
            std::function<void(github::Reply)> then, std::string accept = "application/vnd.github+json",
            github::Client::BodySource again = {}) {
    m_backend.m_client.request(method, path, std::move(body), m_repo.token, std::move(then), std::move(accept),
                               std::move(again));
  }

  void fail_with(const Failure& failure, bool isolate = false) {
    m_report.status = BatchReport::Status::failed;
    m_report.error = failure.message;
    m_report.retryable = failure.exit_code == exit_code::k_tempfail || failure.exit_code == exit_code::k_software;
    m_report.isolate = isolate;
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
           self->read_tip();
         });
  }

  // Read what the batch needs of the tip that the cache does not hold. The tip's tree and its
  // files depend on the tip alone, so they are asked for together, not one after the other.
  void read_tip() {
    m_pending = 1; // held until every request below is sent
    if (m_cache.commit != m_tip || m_cache.tree.empty()) {
      m_cache = Cache{};
      m_cache.commit = m_tip;
      ++m_pending;
      call("GET", "/repos/" + m_name + "/git/commits/" + m_tip, "", [self = shared_from_this()](github::Reply commit) {
        if (!commit.ok() || !commit.body.contains("tree")) {
          self->m_error = github_failure("cannot read commit " + self->m_tip, commit);
        } else {
          self->m_cache.tree = commit.body["tree"]["sha"].get<std::string>();
        }
        self->fetched();
      });
    }
    fetch_files();
    fetched();
  }

  // Read every file the batch needs, and list every folder above the files and photos it
  // may write, that the cache does not hold.
  void fetch_files() {
    std::set<std::string, std::less<>> files, dirs;
    auto folders_above = [&dirs](const std::string& path) {
      dirs.insert("");
      for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
        dirs.insert(path.substr(0, slash));
      }
    };
    for (const Job* job : *m_jobs) {
      if (files.emplace(job->file()).second) {
        folders_above(std::string(job->file()));
      }
      if (job->photo) {
        auto path = photo_repo_path(*job);
        if (path.ok()) {
          folders_above(path.value());
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
                self->m_cache.files[file] = nullptr;
              } else if (reply.ok()) {
                self->m_cache.files[file] = std::make_shared<const std::string>(std::move(reply.raw));
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
        std::string where = dir.empty() ? "/contents" : "/contents/" + url_path(dir);
        call("GET", "/repos/" + m_name + where + "?ref=" + m_tip, "",
             [self = shared_from_this(), dir](github::Reply reply) {
               auto& names = self->m_cache.dirs[dir];
               if (reply.ok() && reply.body.is_array()) {
                 for (const auto& entry : reply.body) {
                   // "file" and "symlink" are files; "dir" and "submodule" cannot become one.
                   std::string type = entry.value("type", "file");
                   names[entry.value("name", "")] =
                       type == "dir" || type == "submodule" ? PathKind::folder : PathKind::file;
                 }
               } else if (!reply.ok() && reply.status != 404) {
                 self->m_error = github_failure("cannot list " + dir, reply);
               }
               self->fetched();
             });
      }
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

  Result<Plan> make_the_plan() const {
    CacheSource source(m_cache);
    PlanOptions options;
    options.repo_name = m_repo.issues_repo;
    return make_plan(*m_jobs, source, options);
  }

  void plan() {
    auto plan = make_the_plan();
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
    m_entries.assign(m_report.plan.writes.size(), Entry{});
    for (size_t i = 0; i < m_report.plan.writes.size(); ++i) {
      const std::string& content = m_report.plan.writes[i].content;
      bool text = is_text(content);
      if (text && content.size() <= k_inline_bytes) {
        m_entries[i].inline_text = true;
        continue;
      }
      ++m_pending;
      auto again = [self = shared_from_this(), i, text] {
        self->restore_contents();
        return blob_body(self->m_report.plan.writes[i].content, text);
      };
      call(
          "POST", "/repos/" + m_name + "/git/blobs", blob_body(content, text),
          [self = shared_from_this(), i](github::Reply reply) {
            if (reply.status == 201 && reply.body.contains("sha")) {
              self->m_entries[i].sha = reply.body["sha"].get<std::string>();
            } else {
              self->m_error = github_failure("cannot upload " + self->m_report.plan.writes[i].path, reply);
            }
            if (--self->m_pending == 0) {
              self->m_error ? self->fail_with(*self->m_error) : self->make_tree();
            }
          },
          "application/vnd.github+json", again);
    }
    if (m_pending == 0) {
      make_tree();
    }
  }

  // Big new contents are not held while the tree request is out (it carries every inlined
  // file, and the HTTP client holds a copy of it), nor kept for the next batch, which reads
  // them again (one request) instead of this stage holding a megabyte notebook between
  // batches. A resend of the request plans them again from the jobs and the cached files.
  void drop_contents() {
    size_t total = 0;
    for (const Write& write : m_report.plan.writes) {
      total += write.content.size();
    }
    if (total <= k_kept_bytes) {
      return;
    }
    for (Write& write : m_report.plan.writes) {
      std::string().swap(write.content); // its memory: assigning "" would keep the buffer
    }
    m_contents_dropped = true;
  }

  // Bring the dropped contents back. Planning is deterministic: the same jobs on the same
  // cached files give the same files, in the same order.
  bool restore_contents() {
    if (!m_contents_dropped) {
      return true;
    }
    auto again = make_the_plan();
    auto& writes = m_report.plan.writes;
    if (!again.ok() || again->writes.size() != writes.size()) {
      return false;
    }
    for (size_t i = 0; i < writes.size(); ++i) {
      if (again->writes[i].path != writes[i].path) {
        return false;
      }
      writes[i].content = std::move(again->writes[i].content);
    }
    m_contents_dropped = false;
    return true;
  }

  // The tree request's body, written by hand in one buffer of its exact size: it carries every
  // inlined file, and a DOM or a buffer grown by doubling would hold each of them twice.
  std::string tree_body() const {
    const auto& writes = m_report.plan.writes;
    size_t size = 64 + m_cache.tree.size();
    for (size_t i = 0; i < writes.size(); ++i) {
      size += 96 + json_string_size(writes[i].path) +
              (m_entries[i].inline_text ? json_string_size(writes[i].content) : m_entries[i].sha.size());
    }
    std::string body;
    body.reserve(size);
    body += "{\"base_tree\":";
    append_json_string(body, m_cache.tree);
    body += ",\"tree\":[";
    for (size_t i = 0; i < writes.size(); ++i) {
      body += i ? ",{\"path\":" : "{\"path\":";
      append_json_string(body, writes[i].path);
      body += ",\"mode\":\"100644\",\"type\":\"blob\",";
      if (m_entries[i].inline_text) {
        body += "\"content\":";
        append_json_string(body, writes[i].content);
      } else {
        body += "\"sha\":";
        append_json_string(body, m_entries[i].sha);
      }
      body += '}';
    }
    body += "]}";
    return body;
  }

  void make_tree() {
    auto again = [self = shared_from_this()] {
      self->restore_contents();
      std::string body = self->tree_body();
      self->drop_contents();
      return body;
    };
    std::string body = tree_body();
    drop_contents();
    call(
        "POST", "/repos/" + m_name + "/git/trees", std::move(body),
        [self = shared_from_this()](github::Reply reply) {
          if (reply.status != 201 || !reply.body.contains("sha")) {
            // 422: GitHub will not build this tree (a path planning could not foresee); a
            // smaller batch may pass, so the stage looks for the job at fault.
            self->fail_with(github_failure("cannot create the tree", reply), reply.status == 422);
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
        },
        "application/vnd.github+json", again);
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
           for (auto& write : self->m_report.plan.writes) {
             // Every folder above a write was listed before planning: it is one now.
             for (size_t slash = write.path.find('/'); slash != std::string::npos;
                  slash = write.path.find('/', slash + 1)) {
               cache.dirs[dir_of(write.path.substr(0, slash))][base_of(write.path.substr(0, slash))] = PathKind::folder;
             }
             cache.dirs[dir_of(write.path)][base_of(write.path)] = PathKind::file;
             if (self->m_contents_dropped) {
               cache.files.erase(write.path); // not held: the next batch reads it
             } else {
               cache.files[write.path] = std::make_shared<const std::string>(std::move(write.content));
             }
           }
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
  std::vector<Entry> m_entries;
  bool m_contents_dropped = false;
  size_t m_pending = 0;
  std::optional<Failure> m_error;
};

void GithubBackend::run(const RepoContext& repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done) {
  std::make_shared<Attempt>(*this, repo, std::move(jobs), std::move(done))->start();
}

} // namespace m2g::commit
