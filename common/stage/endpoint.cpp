#include "common/stage/endpoint.hpp"

#include "common/core/exit_codes.hpp"

namespace m2g::stage {

Result<Endpoint> parse_endpoint(std::string_view spec) {
  Endpoint out;
  if (spec.empty() || spec == "-") {
    return out;
  }
  constexpr std::string_view prefix = "sqlite:";
  if (spec.substr(0, prefix.size()) != prefix) {
    return fail(exit_code::k_usage, "bad endpoint '" + std::string(spec) + "': expected '-' or 'sqlite:FILE#TOPIC'");
  }
  auto rest = spec.substr(prefix.size());
  auto hash = rest.rfind('#');
  out.type = Endpoint::Type::queue;
  out.path = std::string(rest.substr(0, hash));
  out.topic = hash == std::string_view::npos ? "default" : std::string(rest.substr(hash + 1));
  if (out.path.empty() || out.topic.empty()) {
    return fail(exit_code::k_usage, "bad endpoint '" + std::string(spec) + "': expected 'sqlite:FILE#TOPIC'");
  }
  return out;
}

} // namespace m2g::stage
