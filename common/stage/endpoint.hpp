#pragma once
// A stage's input or output: a pipe ("-": stdin or stdout) or a topic of a SQLite queue
// ("sqlite:PATH#TOPIC"). Taking a line from one topic and putting its result into another topic
// of the same database is one transaction: the durable handoff.

#include "common/core/error.hpp"

#include <string>
#include <string_view>

namespace m2g::stage {

struct Endpoint {
  enum class Type { pipe, queue };
  Type type = Type::pipe;
  std::string path;  ///< database file, for queues
  std::string topic; ///< topic, for queues
  bool is_queue() const { return type == Type::queue; }
};

/// Parse "-" or "sqlite:PATH#TOPIC" (the topic defaults to "default"); fails with a message
/// naming the expected forms.
Result<Endpoint> parse_endpoint(std::string_view spec);

} // namespace m2g::stage
