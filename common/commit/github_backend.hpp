#pragma once
// The github backend: no clone. Each batch is one commit made through GitHub's Git Data API
// (read the branch → read the files the batch touches → blobs for binary files → one tree →
// one commit → move the branch, fast-forward only). A moved branch (422 on the ref update)
// is a rejected push: the batch is planned again on the new tip. Files are read as raw
// content, so notebooks past 1 MB keep working, and what this backend wrote last is kept, so
// a batch on its own previous commit reads nothing at all.

#include "common/commit/backend.hpp"
#include "common/github/client.hpp"

#include <map>
#include <set>

namespace m2g::commit {

class GithubBackend final : public Backend {
public:
  GithubBackend(github::Client& client, git::Signature signature)
      : m_client(client), m_signature(std::move(signature)) {}
  void run(const RepoContext& repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done) override;

  /// What is known of one repository's tip.
  struct Cache {
    std::string commit;
    std::string tree;
    std::map<std::string, FileBytes> files;            ///< path → bytes (nullptr: absent)
    std::map<std::string, std::set<std::string>> dirs; ///< directory → names in it
  };

private:
  class Attempt;
  github::Client& m_client;
  git::Signature m_signature;
  std::map<std::string, Cache> m_cache; // by owner/repo
};

} // namespace m2g::commit
