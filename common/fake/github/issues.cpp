#include "common/fake/github/issues.hpp"

#include "common/github/iso8601.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace m2g::fake::github {

using json = nlohmann::json;
using m2g::github::iso8601;
using m2g::github::parse_iso8601;

Issues::Repo& Issues::load(const std::string& owner, const std::string& repo) {
  Repo& r = m_repos[owner + "/" + repo];
  if (!r.loaded) {
    r.loaded = true;
    r.next = m_first;
    std::ifstream file(m_root + "/" + owner + "/" + repo + ".issues.json");
    if (file) {
      std::stringstream text;
      text << file.rdbuf();
      json saved = json::parse(text.str(), nullptr, false);
      if (saved.is_array()) {
        for (auto& issue : saved) {
          int64_t n = issue.value("number", int64_t(0));
          r.issues[n] = issue;
          r.next = std::max(r.next, n + 1);
        }
      }
    }
  }
  return r;
}

void Issues::save(const std::string& owner, const std::string& repo, const Repo& r) {
  json all = json::array();
  for (const auto& [n, issue] : r.issues) {
    all.push_back(issue);
  }
  std::string path = m_root + "/" + owner + "/" + repo + ".issues.json";
  std::ofstream(path + ".tmp") << all.dump(1) << "\n";
  std::rename((path + ".tmp").c_str(), path.c_str());
}

json Issues::create(const std::string& owner, const std::string& repo, const std::string& title,
                    const std::string& body, const std::string& user, int64_t now_s) {
  Repo& r = load(owner, repo);
  int64_t n = r.next++;
  json issue = {{"number", n},
                {"title", title},
                {"body", body},
                {"state", "open"},
                {"user", {{"login", user}}},
                {"created_at", iso8601(now_s)},
                {"updated_at", iso8601(now_s)},
                {"html_url", "https://github.com/" + owner + "/" + repo + "/issues/" + std::to_string(n)},
                {"url", "https://api.github.com/repos/" + owner + "/" + repo + "/issues/" + std::to_string(n)}};
  r.issues[n] = issue;
  ++m_created;
  save(owner, repo, r);
  return issue;
}

std::optional<json> Issues::get(const std::string& owner, const std::string& repo, int64_t number) {
  Repo& r = load(owner, repo);
  auto it = r.issues.find(number);
  return it == r.issues.end() ? std::nullopt : std::optional<json>(it->second);
}

std::optional<json> Issues::update(const std::string& owner, const std::string& repo, int64_t number, const json& patch,
                                   int64_t now_s) {
  Repo& r = load(owner, repo);
  auto it = r.issues.find(number);
  if (it == r.issues.end()) {
    return std::nullopt;
  }
  for (const char* key : {"state", "title", "body"}) {
    if (patch.contains(key) && patch[key].is_string()) {
      it->second[key] = patch[key];
    }
  }
  it->second["updated_at"] = iso8601(now_s);
  save(owner, repo, r);
  return it->second;
}

json Issues::list(const std::string& owner, const std::string& repo, const std::string& state, int64_t since_s,
                  const std::string& sort, bool ascending, size_t per_page, size_t page) {
  Repo& r = load(owner, repo);
  std::vector<json> picked;
  for (const auto& [n, issue] : r.issues) {
    bool state_ok = state == "all" || issue["state"] == state;
    auto updated = parse_iso8601(issue["updated_at"].get<std::string>());
    if (state_ok && updated.value_or(0) >= since_s) {
      picked.push_back(issue);
    }
  }
  std::string key = sort == "updated" ? "updated_at" : "created_at";
  std::stable_sort(picked.begin(), picked.end(), [&](const json& a, const json& b) {
    auto ka = std::make_pair(a[key].get<std::string>(), a["number"].get<int64_t>());
    auto kb = std::make_pair(b[key].get<std::string>(), b["number"].get<int64_t>());
    return ascending ? ka < kb : kb < ka;
  });
  json out = json::array();
  size_t start = (page - 1) * per_page;
  for (size_t i = start; i < picked.size() && i < start + per_page; ++i) {
    out.push_back(picked[i]);
  }
  return out;
}

} // namespace m2g::fake::github
