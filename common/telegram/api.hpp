#pragma once
// A small Telegram Bot API client on common/http (curl multi on the event loop): method calls
// POSTed as JSON, answers sorted by classify() (reply.hpp), getFile and file downloads. It
// holds the token and builds URLs with it, but never prints them: every text it produces goes
// through redact(), and read_secret() has registered the token with the logger as well.
//
//   telegram::Api api(client, {.base_url = url, .token = *token});
//   api.call("sendMessage", {{"chat_id", 42}, {"text", "hi"}}, [](telegram::Reply&& r) {
//     if (r.outcome == telegram::Outcome::rate_limited) { /* wait r.retry_after */ }
//   });

#include "common/core/clock.hpp"
#include "common/core/error.hpp"
#include "common/http/sender.hpp"
#include "common/telegram/reply.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace m2g::telegram {

/// Telegram's public Bot API server.
inline constexpr const char* k_default_api_url = "https://api.telegram.org";
/// Bots may download files of up to 20 MB.
inline constexpr size_t k_max_download_bytes = 20u << 20;

struct ApiOptions {
  std::string base_url = k_default_api_url; ///< scheme://host[:port][/prefix], no trailing slash needed
  std::string token;                        ///< the bot token ("123456:ABC..."); a secret
  Millis timeout{30'000};                   ///< HTTP timeout of a call unless call() says otherwise
};

class Api {
public:
  using Done = std::function<void(Reply&&)>;

  /// `client` must outlive the Api.
  Api(http::Sender& client, ApiOptions options);

  /// Call `method` with `params` (a JSON object, POSTed as application/json). `done` runs later
  /// on the loop, exactly once. `timeout` 0 uses the options' timeout; a long getUpdates poll
  /// needs its poll timeout plus a margin.
  void call(std::string_view method, const json& params, Done done, Millis timeout = Millis(0));

  /// getFile: the File object (file_path, file_size) for `file_id`.
  void get_file(std::string_view file_id, Done done);
  /// Download a file by the file_path getFile gave. Fails (with a redacted message, exit code
  /// 75 for retryable causes, 69 otherwise) on a non-200 answer, a transport error, or a body
  /// over `max_bytes`.
  void download(std::string_view file_path, std::function<void(Result<std::string>)> done,
                size_t max_bytes = k_max_download_bytes);
  /// getFile then download: the bytes of `file_id`.
  void fetch_file(std::string_view file_id, std::function<void(Result<std::string>)> done,
                  size_t max_bytes = k_max_download_bytes);

  /// BASE/bot<token>/METHOD. Holds the token: never print it, print redact(url) if anything.
  std::string method_url(std::string_view method) const;
  /// BASE/file/bot<token>/PATH. Holds the token.
  std::string file_url(std::string_view file_path) const;
  /// `text` with the token replaced by "***".
  std::string redact(std::string text) const;

  /// The bot's user id (the token's numeric prefix; 0 if it has none). Not a secret.
  int64_t bot_id() const { return m_bot_id; }
  const std::string& base_url() const { return m_base; }

private:
  http::Sender& m_client;
  std::string m_base;
  std::string m_token;
  Millis m_timeout;
  int64_t m_bot_id;
};

} // namespace m2g::telegram
