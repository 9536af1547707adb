#pragma once
// The one CLI11 setup every tool shares: --help, --version, --log-level, a hidden
// --completion-helper for the shell completions, CLI11's parse errors remapped to 64, and the
// single top-level catch that turns m2g::Error into its exit code.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>

namespace m2g::cli {

/// The body of a tool: receives the parsed app (to see which subcommand ran), returns the
/// exit code.
using RunFn = std::function<int(CLI::App&)>;
/// Adds the tool's options and subcommands to the app.
using DefineFn = std::function<void(CLI::App&)>;

/// Build, parse and run a tool. Returns the process exit code.
int main_wrapper(int argc, char** argv, const std::string& description, const DefineFn& define, const RunFn& run);

/// The longest duration a flag accepts: a year, in milliseconds.
inline constexpr int64_t k_max_duration_ms = int64_t{366} * 24 * 3600 * 1000;

/// Parse a duration such as "200ms", "5s", "2m", "1.5s" or a bare number of `default_unit`
/// milliseconds, at most k_max_duration_ms; throws CLI::ValidationError text on failure (use
/// with CLI11 transforms).
int64_t parse_duration_ms(const std::string& text, int64_t default_unit_ms = 1000);

/// A CLI11 validator for durations, so --help shows DURATION and bad values exit 64.
CLI::Validator duration_validator();

/// --http-client auto|curl|plain (env `envname`): which HTTP client sends the tool's requests
/// (common/http/either_client.hpp); also --ca-file FILE (env M2G_CA_FILE), the certificate
/// authorities every https connection of the process trusts (common/net/ca_file.hpp).
CLI::Option* add_http_client_option(CLI::App& app, std::string& choice, const std::string& envname);

} // namespace m2g::cli
