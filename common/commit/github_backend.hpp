#pragma once
// The github backend: no clone. Each batch is one commit made through GitHub's Git Data API
// (read the branch → read the files the batch touches → blobs for binary files → one tree →
// one commit → move the branch, fast-forward only). A moved branch (422 on the ref update)
// is a rejected push: the batch is planned again on the new tip. Files are read as raw
// content, so notebooks past 1 MB keep working, and what this backend wrote last is kept, so
// a batch on its own previous commit reads nothing at all. Every request of a batch carries
// the token of the batch's owner (RepoContext::owner), and the cache is kept per owner.

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
    std::map<std::string, FileBytes> files; ///< path → bytes (nullptr: absent)
    /// directory ("" the root) → what each name in it is; a directory listed and not found
    /// is empty. Every folder above a file a batch touches is listed before it is planned.
    std::map<std::string, std::map<std::string, PathKind>> dirs;
  };

private:
  class Attempt;
  github::Client& m_client;
  git::Signature m_signature;
  /// By owner/repo and RepoContext::owner: what one chat's token read is never what another
  /// chat's batch plans on, and batches of two owners of one repository never share a cache.
  std::map<std::string, Cache> m_cache;
};

} // namespace m2g::commit
