#pragma once
// The issues of the fake GitHub, per repository, kept in memory and mirrored to
// DIR/<owner>/<repo>.issues.json after every change so tests can read them.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace m2g::fake::github {

class Issues {
public:
  Issues(std::string root, int64_t first_number) : m_root(std::move(root)), m_first(first_number) {}

  /// POST /repos/{o}/{r}/issues
  nlohmann::json create(const std::string& owner, const std::string& repo, const std::string& title,
                        const std::string& body, const std::string& user, int64_t now_s);
  /// GET /repos/{o}/{r}/issues/{n}
  std::optional<nlohmann::json> get(const std::string& owner, const std::string& repo, int64_t number);
  /// PATCH /repos/{o}/{r}/issues/{n} (state, title, body)
  std::optional<nlohmann::json> update(const std::string& owner, const std::string& repo, int64_t number,
                                       const nlohmann::json& patch, int64_t now_s);
  /// GET /repos/{o}/{r}/issues?state=&since=&sort=created|updated&direction=&per_page=&page=
  nlohmann::json list(const std::string& owner, const std::string& repo, const std::string& state, int64_t since_s,
                      const std::string& sort, bool ascending, size_t per_page, size_t page);
  size_t created() const { return m_created; }

private:
  struct Repo {
    std::map<int64_t, nlohmann::json> issues;
    int64_t next = 0;
    bool loaded = false;
  };
  Repo& load(const std::string& owner, const std::string& repo);
  void save(const std::string& owner, const std::string& repo, const Repo& r);

  std::string m_root;
  int64_t m_first;
  std::map<std::string, Repo> m_repos;
  size_t m_created = 0;
};

} // namespace m2g::fake::github
