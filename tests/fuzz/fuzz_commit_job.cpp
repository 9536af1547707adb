// libFuzzer harness for m2g-commit's job lines (written by m2g-route, but a queue file or a
// pipe can carry anything): parse_job must never throw or crash, and a job it accepts must
// give its fields and derived lines back without throwing.
#include "common/commit/job.hpp"
#include "common/jsonl/line.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    return 0;
  }
  auto job = m2g::commit::parse_job(json, 1'700'000'000);
  if (!job.ok()) {
    return 0;
  }
  const auto& parsed = job.value();
  std::string fields = std::string(parsed.id()) + std::string(parsed.target()) + std::string(parsed.file()) +
                       std::string(parsed.text()) + std::string(parsed.tz()) + std::string(parsed.title()) +
                       std::string(parsed.tags()) + parsed.repo_url();
  (void)fields;
  (void)m2g::commit::op_name(parsed.op);
  (void)m2g::jsonl::dump(parsed.derive(m2g::jsonl::Kind::result));
  return 0;
}
