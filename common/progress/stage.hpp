#pragma once
// m2g-progress as a stage: every input line goes straight on to the output, and the lines that
// speak to the chat (action, progress, result, error, rejection) are also handed to the Outbox,
// whose Telegram calls run beside the pipeline on the same event loop. cmd/m2g-progress/main.cpp
// only parses options into these and calls run().

#include "common/progress/outbox.hpp"
#include "common/stage/io.hpp"

#include <CLI/CLI.hpp>
#include <string>

namespace m2g::progress {

struct StageOptions {
  stage::IoOptions io;
  std::string api_url = "https://api.telegram.org";
  std::string token_file;
  OutboxOptions outbox;
  int64_t timeout_ms = 30'000;
  int retries = 5;
  std::string http_client = "auto"; ///< --http-client: auto, curl or plain
};

/// Add m2g-progress's options (and their M2G_* environment names) to `app`.
void add_options(CLI::App& app, StageOptions& options);

/// Run the stage until the input ends (or SIGTERM) and every end state is delivered. Returns
/// the exit code: 0, 77 when Telegram refuses the token, 78 without a token, 130 after SIGINT.
int run(StageOptions& options);

} // namespace m2g::progress
