#pragma once
// What the driver sees of a run, kept apart from the processes so it can be tested with
// injected lines and times: the pipeline's output lines (one result or error per message,
// whatever else passes by) and the chats' final confirmations in the fake Telegram.

#include "common/bench/latency.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace m2g::bench {

/// Splits the pipeline's output into lines and keeps, per message (chat_id, message_id), its
/// first result, or its error when no result came. An error marked retryable may still be
/// followed by a result (the job is taken again); the result then wins.
class ResultTally {
public:
  /// Feed raw bytes read from the pipe at `t_s` seconds after injection.
  void feed(std::string_view bytes, double t_s);
  /// Handle one complete line.
  void line(std::string_view text, double t_s);

  size_t succeeded() const { return m_succeeded; }
  /// Messages with an error (or a rejection) and no result.
  size_t failed() const;
  size_t lines() const { return m_lines; }
  size_t bad_lines() const { return m_bad_lines; }
  /// Results whose title came from the LLM (title_source "llm").
  size_t llm_titles() const { return m_llm_titles; }
  /// When the last result came, seconds after injection.
  double last_result_s() const { return m_last_result_s; }
  /// Per message: injection → result.
  const LatencyRecorder& latencies() const { return m_latencies; }

private:
  enum class State { result, error };
  void line_by_dom(std::string_view text, double t_s);
  /// Count one line of `kind` about the message `key` ("" when it names none).
  void count(const std::string& kind, const std::string& key, bool llm_title, double t_s);

  std::string m_partial;
  std::unordered_map<std::string, State> m_messages;
  LatencyRecorder m_latencies;
  size_t m_succeeded = 0;
  size_t m_errors = 0;
  size_t m_lines = 0;
  size_t m_bad_lines = 0;
  size_t m_llm_titles = 0;
  double m_last_result_s = 0;
};

/// How many messages of `messages` sent round-robin over `chats` chats (first_chat,
/// first_chat + 1, ...) went to `chat` (the fake's bulk injection spreads them so).
size_t messages_in_chat(size_t messages, size_t chats, size_t index);

/// Final confirmations (✅) in the bot messages of one chat, as GET /control/chat shows them:
/// messages not deleted whose current text starts with "✅".
size_t confirmations(const nlohmann::json& chat_state);

/// The chats still waiting for confirmations, and when each was seen complete.
class ConfirmTracker {
public:
  /// `chats` chats from `first_chat`, holding `messages` messages round-robin.
  ConfirmTracker(int64_t first_chat, size_t chats, size_t messages);
  /// Chats not yet seen complete.
  std::vector<int64_t> pending() const;
  /// Record what the fake showed for `chat` at `t_s`; true when it is now complete.
  bool seen(int64_t chat, size_t confirmed, double t_s);
  size_t confirmed() const { return m_confirmed; }
  bool complete() const { return m_pending.empty(); }
  double last_s() const { return m_last_s; }
  /// Per message: injection → its chat seen complete (an upper bound: chats are polled).
  const LatencyRecorder& latencies() const { return m_latencies; }

private:
  std::map<int64_t, size_t> m_pending; // chat → messages expected
  size_t m_confirmed = 0;
  double m_last_s = 0;
  LatencyRecorder m_latencies;
};

} // namespace m2g::bench
