#pragma once
// m2g-poll's body: options in, exit code out. main.cpp only declares the options.

#include <optional>
#include <string>
#include <vector>

namespace m2g::poll {

struct Options {
  std::string api_url = "https://api.telegram.org";
  std::string token_file;
  std::string out = "-";
  std::string state;
  bool state_given = false;
  int timeout_s = 30;
  bool timeout_given = false;
  int limit = 100;
  std::vector<std::string> allowed_updates;
  bool once = false;
  std::string webhook; ///< ADDR:PORT: webhook mode
  std::string secret_token_file;
  bool insecure_no_secret = false;             ///< webhook without a secret, asked for by name
  std::string webhook_request_timeout = "10s"; ///< head + body of one request
  int webhook_max_connections = 1024;
  int webhook_max_connections_per_peer = 256;
  std::string reject_path;
  std::string sync = "full";
  std::string max_backoff = "30s";
  std::string http_client = "auto"; ///< --http-client: auto, curl or plain
};

/// Run m2g-poll: long polling, --once, or webhook mode. Returns the exit code; throws
/// m2g::Error for setup failures (caught by main_wrapper).
int run(const Options& options);

} // namespace m2g::poll
