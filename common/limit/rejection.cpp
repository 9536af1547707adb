#include "common/limit/rejection.hpp"

#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

namespace m2g::limit {
namespace {

// 30 → "30", 0.5 → "0.5": rates read as people write them.
std::string format_number(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  std::ostringstream out;
  out << value;
  return out.str();
}

jsonl::json key_json(const KeyValue& key) {
  if (key.missing()) {
    return nullptr;
  }
  std::string scratch;
  std::string_view text = canonical_key(key, scratch);
  if (key.type == KeyValue::Type::string) {
    return std::string(text);
  }
  try {
    return jsonl::json::parse(text);
  } catch (const jsonl::json::exception&) {
    return std::string(text);
  }
}

} // namespace

std::string make_rejection(jsonl::Line& line, const RefusalInfo& info) {
  const jsonl::json& refused = line.json_value();
  jsonl::json out = jsonl::derive(refused, jsonl::Kind::rejection);
  std::string limit = format_number(info.rate) + "/s (burst " + format_number(info.burst) + ")";
  if (info.verdict.bucket == BucketKind::global) {
    out["reason"] = "over the global limit of " + limit;
  } else {
    std::string scratch;
    std::string who = info.key.missing()
                          ? "lines without " + std::string(info.key_name)
                          : std::string(info.key_name) + " " + std::string(canonical_key(info.key, scratch));
    out["reason"] = "over the limit of " + limit + " for " + who;
  }
  out["bucket"] = bucket_name(info.verdict.bucket);
  out["key"] = key_json(info.key);
  out["retry_after_ms"] = std::max<int64_t>(1, (info.verdict.retry_after_ns + 999'999) / 1'000'000);
  out["line"] = refused;
  return jsonl::dump(out);
}

RefusalCopy::RefusalCopy(const std::string& path) {
  if (path.empty()) {
    return;
  }
  m_fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (m_fd < 0) {
    throw Error(exit_code::k_cantcreat, "cannot open reject file '" + path + "': " + std::strerror(errno));
  }
}

RefusalCopy::~RefusalCopy() {
  flush();
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

bool RefusalCopy::add(std::string_view line) {
  if (m_fd < 0) {
    return false;
  }
  bool was_empty = m_buffer.empty();
  m_buffer.append(line);
  m_buffer.push_back('\n');
  return was_empty;
}

void RefusalCopy::flush() {
  size_t done = 0;
  while (m_fd >= 0 && done < m_buffer.size()) {
    ssize_t n = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      log::warn(std::string("cannot write to the reject file: ") + std::strerror(errno));
      break;
    }
    done += static_cast<size_t>(n);
  }
  m_buffer.clear();
}

} // namespace m2g::limit
