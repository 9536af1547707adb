#pragma once
// The fake LLM: an OpenAI-compatible chat-completions endpoint on the shared HTTP server. Each
// answer is a deterministic title derived from the last user message, delayed by a loop timer
// (never a thread, so 10,000 requests can wait at once) and possibly replaced by an injected
// fault. GET /stats reports what it has seen, for tests and benchmarks.

#include "common/event/loop.hpp"
#include "common/fake/llm_spec.hpp"
#include "common/http/server.hpp"

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace m2g::fake::llm {

struct Config {
  std::string host = "127.0.0.1";
  int port = 0;
  Latency latency;
  FaultMix faults;
  int retry_after_s = 1; ///< Retry-After of injected 429 and 503 answers
  std::string key;       ///< "": any or no Authorization accepted
  uint64_t seed = 1;
};

class FakeLlm {
public:
  FakeLlm(event::Loop& loop, Config config);

  /// Listen on config.host:config.port.
  Result<void> listen();
  int port() const { return m_server.port(); }
  void close() { m_server.close(); }

  /// {"requests": N, "answers": {"ok": N, "429": N, ...}, "pending": N, "hanging": N} as one line.
  std::string stats() const;

private:
  void handle(http::Request&& request, http::Responder respond);
  void complete(const http::Request& request, http::Responder respond);
  http::Response answer(Fault fault, const std::string& model, const std::string& user_text, int64_t prompt_tokens);
  void count(const std::string& answer) { ++m_answers[answer]; }

  event::Loop& m_loop;
  Config m_config;
  http::Server m_server;
  std::mt19937_64 m_rng;
  uint64_t m_requests = 0;
  uint64_t m_next_id = 1;
  uint64_t m_pending = 0;
  uint64_t m_hanging = 0;
  std::map<std::string, uint64_t> m_answers;
  std::vector<http::Responder> m_hung; ///< kept so their connections stay open, unanswered
};

} // namespace m2g::fake::llm
