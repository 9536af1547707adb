// libFuzzer harness for the TZif reader and the POSIX TZ rule parser. Zone files come from
// the system's tzdata (or $TZDIR), and a chat picks which one is read: a truncated or hostile
// file must be refused, never read past its end, and offsets must stay computable at any time.
#include "common/commit/tz.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void probe(const auto& zone) {
  for (int64_t t : {INT64_MIN / 2, int64_t{-1} << 40, int64_t{0}, int64_t{1'700'000'000}, int64_t{4'102'444'800},
                    int64_t{1} << 40}) {
    (void)zone.offset_at(t);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto rule = m2g::commit::PosixRule::parse(bytes);
  if (rule.ok()) {
    probe(rule.value());
  }
  auto zone = m2g::commit::TimeZone::parse("Fuzz/Zone", bytes);
  if (zone.ok()) {
    probe(zone.value());
    (void)zone.value().local(1'700'000'000);
  }
  return 0;
}
