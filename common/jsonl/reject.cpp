#include "common/jsonl/reject.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"

#include <cerrno>
#include <cstring>

namespace m2g::jsonl {

RejectSink::RejectSink(const std::string& path) {
  if (path.empty()) {
    return;
  }
  m_file = std::fopen(path.c_str(), "ae");
  if (!m_file) {
    throw Error(exit_code::k_cantcreat, "cannot open reject file '" + path + "': " + std::strerror(errno));
  }
}

RejectSink::~RejectSink() {
  if (m_file) {
    std::fclose(m_file);
  }
}

void RejectSink::reject(size_t number, std::string_view reason, std::string_view raw) {
  reject("line " + std::to_string(number), reason, raw);
}

void RejectSink::reject(std::string_view where, std::string_view reason, std::string_view raw) {
  ++m_count;
  log::warn(std::string(where) + ": " + std::string(reason));
  if (m_file) {
    std::fwrite(raw.data(), 1, raw.size(), m_file);
    std::fputc('\n', m_file);
    // Rejections are rare and precious: do not leave them in a stdio buffer.
    std::fflush(m_file);
  }
}

void RejectSink::begin_long(size_t number, size_t limit) {
  ++m_count;
  log::warn("line " + std::to_string(number) + ": line longer than " + std::to_string(limit) + " bytes");
}

void RejectSink::long_part(std::string_view bytes) {
  if (m_file) {
    std::fwrite(bytes.data(), 1, bytes.size(), m_file);
  }
}

void RejectSink::end_long() {
  if (m_file) {
    std::fputc('\n', m_file);
    std::fflush(m_file);
  }
}

void RejectSink::flush() {
  if (m_file) {
    std::fflush(m_file);
  }
}

} // namespace m2g::jsonl
