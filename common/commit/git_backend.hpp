#pragma once
// The git backend: each batch runs on a worker thread (libgit2 blocks), against a bare clone
// per repository under the work directory; the report comes back on the loop thread. Batches
// of different repositories run in parallel, one per worker thread.
//
// The repositories chats name (/repo) are strangers' servers: they run on a pool of their
// own, so however slow or hostile they are, the default repository's batches never queue
// behind them; their connections are checked against the address policy (no loopback or
// private addresses unless allowed) and bounded by deadlines and a download cap
// (common/git/net_stream.hpp); their failures reach the chat in general words while the
// operator's log keeps libgit2's detail; and their clones are removed once unused for a while.

#include "common/commit/backend.hpp"
#include "common/event/workers.hpp"
#include "common/git/net_stream.hpp"

#include <map>

namespace m2g::commit {

struct GitBackendOptions {
  std::string workdir; ///< clones live here, one directory per remote
  git::Signature signature;
  int lock_timeout_ms = 60'000;
  std::string default_remote; ///< canonical; its batches use the default pool and any address
  git::NetLimits limits;      ///< deadlines of every remote's network operations
  /// Most bytes a chat repository's clone or fetch may download (0: no cap).
  int64_t chat_max_bytes = int64_t{256} << 20;
  net::AddressPolicy addresses; ///< where chat repositories may connect
  /// A chat repository's clone unused this long is removed (0: never).
  int64_t chat_clone_idle_ms = int64_t{7} * 24 * 3600 * 1000;
};

class GitBackend final : public Backend {
public:
  /// `chats` runs the batches of repositories other than the default one.
  GitBackend(event::Workers& workers, event::Workers& chats, GitBackendOptions options);
  void run(const RepoContext& repo, std::shared_ptr<const std::vector<const Job*>> jobs, Done done) override;

private:
  /// Remove the clones of chat repositories unused for chat_clone_idle_ms (at most every
  /// tenth of that period, from the loop thread, skipping any clone a batch holds).
  void sweep_idle_clones();

  event::Workers& m_workers;
  event::Workers& m_chat_workers;
  GitBackendOptions m_options;
  std::string m_default_clone;         ///< the default repository's clone directory, never swept
  std::map<std::string, int> m_in_use; ///< clone path -> batches running on it
  int64_t m_next_sweep_ms = 0;
};

/// The words a chat gets when its repository's batch failed: `detail` (libgit2's text, which
/// can map the operator's network) stays in the log. The address policy's own refusals pass
/// as they are (they say what the chat can change).
std::string chat_facing_error(const std::string& detail, bool retryable);

} // namespace m2g::commit
