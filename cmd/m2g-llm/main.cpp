// m2g-llm: titles and hashtags for m2g jobs from any OpenAI-compatible chat-completions model,
// thousands of requests in flight on one thread, a fallback title whatever fails. See m2g-llm(1).
#include "common/cli/app.hpp"
#include "common/llm/run.hpp"

int main(int argc, char** argv) {
  m2g::stage::IoOptions io_options;
  m2g::llm::Config config;
  auto define = [&](CLI::App& app) {
    app.add_option("--base-url", config.base_url, "Endpoint up to /chat/completions (none: fallback titles only)")
        ->envname("M2G_LLM_BASE_URL")
        ->check(CLI::Validator(m2g::llm::check_base_url, "URL"));
    app.add_option("--model", config.model, "Model name; required with --base-url")->envname("M2G_LLM_MODEL");
    app.add_option("--key-file", config.key_file, "Read the API key from FILE (else M2G_LLM_API_KEY; none: no key)")
        ->envname("M2G_LLM_KEY_FILE");
    app.add_option("--prompt-file", config.prompt_file, "Instructions sent as the system message")
        ->envname("M2G_LLM_PROMPT_FILE");
    app.add_option("--max-inflight", config.max_inflight, "Requests in flight at once")
        ->envname("M2G_LLM_MAX_INFLIGHT")
        ->check(CLI::Range(size_t{1}, size_t{1'000'000}))
        ->capture_default_str();
    app.add_option("--timeout", config.timeout, "Time limit of one request, e.g. 30s or 500ms")
        ->envname("M2G_LLM_TIMEOUT")
        ->check(m2g::cli::duration_validator())
        ->capture_default_str();
    app.add_option("--retries", config.retries, "Tries after the first for failures that may heal")
        ->envname("M2G_LLM_RETRIES")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    app.add_option("--max-tokens", config.max_tokens, "The request's max_tokens (0: not sent)")
        ->envname("M2G_LLM_MAX_TOKENS")
        ->check(CLI::Range(0, 10'000'000))
        ->capture_default_str();
    app.add_flag("--no-json-mode", config.no_json_mode, "Do not send response_format json_object")
        ->envname("M2G_LLM_NO_JSON_MODE");
    app.add_option("--breaker-failures", config.breaker_failures,
                   "Failed requests in a row that open the circuit (0: never)")
        ->envname("M2G_LLM_BREAKER_FAILURES")
        ->check(CLI::Range(0, 1'000'000))
        ->capture_default_str();
    app.add_option("--breaker-cooldown", config.breaker_cooldown, "How long an open circuit waits before one probe")
        ->envname("M2G_LLM_BREAKER_COOLDOWN")
        ->check(m2g::cli::duration_validator())
        ->capture_default_str();
    m2g::cli::add_http_client_option(app, config.http_client, "M2G_LLM_HTTP_CLIENT");
    m2g::stage::add_io_options(app, io_options, "LLM");
  };
  auto run = [&](CLI::App&) { return m2g::llm::run(config, io_options); };
  return m2g::cli::main_wrapper(argc, argv, "m2g-llm: titles and hashtags for jobs from an OpenAI-compatible model",
                                define, run);
}
