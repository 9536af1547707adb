#include "common/cli/app.hpp"

#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/private_process.hpp"
#include "common/core/signals.hpp"
#include "common/net/ca_file.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <unistd.h>

namespace m2g::cli {
namespace {

// Prints what the shell completions need: one line per command path, the first word naming it
// ("." for the top level), then every option and subcommand name it accepts.
void print_completion_words(const CLI::App& app, const std::string& path, std::ostream& out) {
  out << path;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) {
      continue; // hidden
    }
    for (const auto& name : opt->get_lnames()) {
      out << " --" << name;
    }
    for (const auto& name : opt->get_snames()) {
      out << " -" << name;
    }
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    out << ' ' << sub->get_name();
  }
  out << '\n';
  for (const CLI::App* sub : app.get_subcommands({})) {
    print_completion_words(*sub, sub->get_name(), out);
  }
}

// stdout is data; make sure it all left the process, and say so if it did not.
int finish_stdout(int code) {
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    if (errno == EPIPE) {
      return code;
    }
    log::error(std::string("cannot write to standard output: ") + std::strerror(errno));
    return code == 0 ? exit_code::k_ioerr : code;
  }
  std::cout.flush();
  return code;
}

} // namespace

int main_wrapper(int argc, char** argv, const std::string& description, const DefineFn& define, const RunFn& run) {
  log::set_program(argc > 0 ? argv[0] : "m2g");
  signals::ignore_sigpipe();
  make_files_private(); // queues, clones, settings, wake files: the operator's alone

  CLI::App app(description, log::program());
  app.set_version_flag("--version", log::program() + " (m2g) " M2G_VERSION);
  std::string level = "info";
  app.add_option("--log-level", level, "Diagnostics to print on stderr: error, warn, info, debug")
      ->envname("M2G_LOG_LEVEL")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}))
      ->capture_default_str();
  bool completion = false;
  app.add_flag("--completion-helper", completion, "")->group("");
  define(app);

  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--completion-helper") == 0) {
      print_completion_words(app, ".", std::cout);
      return finish_stdout(exit_code::k_ok);
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      return finish_stdout(app.exit(e)); // --help, --version
    }
    log::error(e.what());
    std::cerr << "try '" << log::program() << " --help' for more information\n";
    return exit_code::k_usage;
  }

  log::Level parsed_level{};
  log::parse_level(level, parsed_level);
  log::set_level(parsed_level);

  int code = exit_code::k_software;
  try {
    code = run(app);
  } catch (const Error& e) {
    log::error(e.what());
    code = e.exit_code();
  } catch (const std::exception& e) {
    log::error(std::string("internal error: ") + e.what());
    code = exit_code::k_software;
  }
  return finish_stdout(code);
}

int64_t parse_duration_ms(const std::string& text, int64_t default_unit_ms) {
  size_t pos = 0;
  double value = 0;
  try {
    value = std::stod(text, &pos);
  } catch (const std::exception&) {
    throw CLI::ValidationError("'" + text + "' is not a duration (e.g. 200ms, 5s, 2m)");
  }
  std::string unit = text.substr(pos);
  double scale = 0;
  if (unit.empty()) {
    scale = static_cast<double>(default_unit_ms);
  } else if (unit == "us") {
    scale = 0.001;
  } else if (unit == "ms") {
    scale = 1;
  } else if (unit == "s") {
    scale = 1000;
  } else if (unit == "m" || unit == "min") {
    scale = 60'000;
  } else if (unit == "h") {
    scale = 3'600'000;
  } else {
    throw CLI::ValidationError("'" + text + "' has an unknown unit (use us, ms, s, m or h)");
  }
  if (value < 0 || !std::isfinite(value)) {
    throw CLI::ValidationError("'" + text + "' must not be negative");
  }
  // A year is longer than any wait a stage has; beyond it a typo, and llround() would overflow.
  if (value * scale > static_cast<double>(k_max_duration_ms)) {
    throw CLI::ValidationError("'" + text + "' is longer than a year");
  }
  return static_cast<int64_t>(std::llround(value * scale));
}

CLI::Validator duration_validator() {
  return CLI::Validator(
      [](std::string& text) {
        try {
          parse_duration_ms(text);
        } catch (const CLI::ValidationError& e) {
          return std::string(e.what());
        }
        return std::string();
      },
      "DURATION");
}

CLI::Option* add_http_client_option(CLI::App& app, std::string& choice, const std::string& envname) {
  // Every stage that speaks HTTP takes this flag, so the one custom CA setting rides along:
  // libcurl and libgit2 both read it (common/net/ca_file.hpp).
  app.add_option_function<std::string>(
         "--ca-file", [](const std::string& path) { net::set_ca_file(path); },
         "PEM file of the certificate authorities trusted for https (libcurl and git; replaces the system's)")
      ->envname("M2G_CA_FILE")
      ->check(CLI::ExistingFile);
  return app
      .add_option("--http-client", choice,
                  "auto: plain HTTP/1.1 for http:// without a proxy, else libcurl; or curl, plain")
      ->envname(envname)
      ->check(CLI::IsMember({"auto", "curl", "plain"}))
      ->capture_default_str();
}

} // namespace m2g::cli
