#pragma once
// m2g-llm's run: reads the configuration's files (key, prompt), checks it, and runs the stage
// on one event loop with one HTTP client until input ends or SIGTERM drains it.

#include "common/stage/io.hpp"

#include <string>

namespace m2g::llm {

/// What m2g-llm's options say (see m2g-llm(1)).
struct Config {
  std::string base_url;
  std::string model;
  std::string key_file;
  std::string prompt_file;
  size_t max_inflight = 1000;
  std::string timeout = "30s";
  int retries = 3;
  int max_tokens = 200;
  bool no_json_mode = false;
  int breaker_failures = 20;
  std::string breaker_cooldown = "30s";
  std::string http_client = "auto"; ///< auto, curl or plain (see --http-client)
};

/// "" when `url` is an http(s) URL, else why not (for the --base-url validator).
std::string check_base_url(const std::string& url);

/// Run the stage; returns the exit code. Throws m2g::Error (66, 78) on a bad configuration.
int run(const Config& config, const stage::IoOptions& io_options);

} // namespace m2g::llm
