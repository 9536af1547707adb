#pragma once
// Deadlines and an address policy for every connection libgit2 makes. libgit2 1.5 has no
// timeout option (GIT_OPT_SET_SERVER_CONNECT_TIMEOUT and _TIMEOUT came in 1.7) and connects
// with a blocking connect() and blocking reads: a remote that accepts and never answers, or
// trickles a byte a minute, held an m2g-commit worker forever, and a SIGTERM drain with it
// (measured: alive 11 minutes after SIGTERM). So m2g registers its own plain socket stream
// (git_stream_register(GIT_STREAM_STANDARD)), which libgit2's HTTP transport, its TLS stream
// (mbedTLS on Debian wraps it) and its SSH transport all connect through. It
//   - resolves the host and checks each address against the thread's AddressPolicy before
//     connecting to it (the address libgit2 uses is the one checked: no second resolution a
//     DNS rebinding could slip between),
//   - connects with a deadline, waits for each read and write at most the idle limit, and
//     ends the operation at its total deadline,
//   - gives up at once when cancel_network() was called (the drain deadline after SIGTERM).
// Transfer callbacks (check_transfer) enforce the same deadline and the download cap during
// a pack's download.
//
// The policy is per thread: m2g-commit's worker sets it around each batch (ScopedNetPolicy),
// so the operator's repository and the chats' repositories can have different rules.

#include "common/net/address_policy.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace m2g::git {

/// Limits of the git network operations (clone, fetch, push) on a thread.
struct NetLimits {
  int64_t connect_ms = 15'000; ///< to open a connection (each address tried)
  int64_t idle_ms = 60'000;    ///< without a byte received or sent
  int64_t total_ms = 600'000;  ///< from the start of a clone, fetch or push to its end
  int64_t max_bytes = 0;       ///< most bytes a clone or fetch may download; 0: no cap
};

struct NetPolicy {
  NetLimits limits;
  /// Set: every address connected to is checked (a repository a chat named). Unset: any
  /// address (the operator's own repository).
  std::optional<net::AddressPolicy> addresses;
};

/// The NetPolicy of git operations on this thread while it lives.
class ScopedNetPolicy {
public:
  explicit ScopedNetPolicy(NetPolicy policy);
  ~ScopedNetPolicy();
  ScopedNetPolicy(const ScopedNetPolicy&) = delete;
  ScopedNetPolicy& operator=(const ScopedNetPolicy&) = delete;

private:
  NetPolicy m_policy;
  const NetPolicy* m_previous;
};

/// From now on every git network operation of the process fails at once (within a fraction
/// of a second for those waiting), with a retryable error. For the drain deadline: a worker
/// stuck on a remote then returns, and the stage can exit.
void cancel_network();

namespace detail {

/// Why the guarded stream or a transfer check stopped an operation on this thread.
enum class NetFailure { none, refused, too_large, timed_out, cancelled };
/// What stopped the last operation on this thread (and in `message`, its words), cleared by
/// the call. The words matter: libgit2's TLS layer reports our stream's failure as its own
/// "ssl error", which says neither "timed out" nor "refused".
NetFailure take_net_failure(std::string* message = nullptr);

/// Register the stream with libgit2 (once; called by ensure_init after git_libgit2_init).
void install_net_stream();

/// The total deadline of one operation (clone, fetch, push) on this thread while it lives.
class OperationClock {
public:
  OperationClock();
  ~OperationClock();
  OperationClock(const OperationClock&) = delete;
  OperationClock& operator=(const OperationClock&) = delete;

private:
  int64_t m_previous;
};

/// For libgit2's transfer-progress and push callbacks: 0 to go on, or -1 (with the error
/// set) past the deadline, past the download cap (`received_bytes`), or after cancel_network().
int check_transfer(uint64_t received_bytes);

} // namespace detail
} // namespace m2g::git
