// libFuzzer harness for the contract decoder and the fast JSON scanner. Differential: the
// scanner must accept exactly what nlohmann's parser accepts (objects, valid UTF-8), so a
// line the fast path forwards is always a line a stage can parse.
#include "common/jsonl/line.hpp"
#include "common/jsonl/scan.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  m2g::jsonl::ScanInfo info;
  size_t offset = 0;
  bool scanned = m2g::jsonl::scan(text, info, offset) == nullptr;
  // nlohmann's lexer stops at a NUL byte as if the input ended there; the scanner (rightly)
  // refuses it, so compare only inputs without one.
  bool comparable = text.find('\0') == std::string::npos;
  bool parsed = comparable && nlohmann::json::accept(text);
  // nlohmann allows nesting the scanner refuses (its depth cap protects the stack), and
  // trailing whitespace-only input is rejected by both; anything else must agree.
  if (comparable && scanned && !parsed) {
    std::abort();
  }
  if (!scanned && parsed && text.find_first_of("[{") != std::string::npos && text.size() < 200) {
    std::abort();
  }
  auto line = m2g::jsonl::decode(text, 1);
  if (line.ok()) {
    auto& value = line.value().json_value(); // must not throw for a decoded line
    if (!value.is_object() || value["v"] != m2g::jsonl::k_version) {
      std::abort();
    }
    (void)m2g::jsonl::dump(value);
  }
  (void)m2g::jsonl::utf8_truncate(text, size / 2);
  return 0;
}
