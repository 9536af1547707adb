#include "common/http/parser.hpp"

#include "common/http/text.hpp"

#include <algorithm>

namespace m2g::http {
using text::hex_digit;
using text::strip_cr;
using text::trim;

namespace {

constexpr size_t k_max_chunk_line = 4096;

} // namespace

RequestParser::RequestParser(size_t max_header_bytes, size_t max_body_bytes)
    : m_max_header(max_header_bytes), m_max_body(max_body_bytes) {}

size_t RequestParser::feed(std::string_view input) {
  size_t used = 0;
  while (m_state == State::need_more && used < input.size()) {
    size_t n = step(input.substr(used));
    if (n == 0) {
      break; // waiting for more bytes, or failed
    }
    used += n;
  }
  return used;
}

size_t RequestParser::step(std::string_view input) {
  switch (m_phase) {
  case Phase::head:
    return parse_head(input);
  case Phase::body: {
    size_t take = static_cast<size_t>(std::min<uint64_t>(m_remaining, input.size()));
    m_request.body.append(input.data(), take);
    m_body_started = true;
    m_remaining -= take;
    if (m_remaining == 0) {
      m_phase = Phase::done;
      m_state = State::complete;
    }
    return take;
  }
  case Phase::chunk_size:
    return parse_chunk_size(input);
  case Phase::chunk_data: {
    size_t take = static_cast<size_t>(std::min<uint64_t>(m_remaining, input.size()));
    m_request.body.append(input.data(), take);
    m_remaining -= take;
    if (m_remaining == 0) {
      m_phase = Phase::chunk_end;
    }
    return take;
  }
  case Phase::chunk_end:
    return parse_chunk_end(input);
  case Phase::trailers:
    return parse_trailer(input);
  case Phase::done:
    break;
  }
  return 0;
}

size_t RequestParser::parse_chunk_size(std::string_view input) {
  size_t nl = input.find('\n');
  if (nl == std::string_view::npos) {
    return input.size() > k_max_chunk_line ? fail(400) : 0;
  }
  if (nl > k_max_chunk_line) {
    return fail(400); // the same verdict whether the line arrived whole or in pieces
  }
  m_body_started = true;
  std::string_view line = strip_cr(input.substr(0, nl));
  uint64_t size = 0;
  size_t i = 0;
  for (; i < line.size() && hex_digit(line[i]) >= 0; ++i) {
    if (size > m_max_body) {
      return fail(413); // stop before the value can overflow
    }
    size = size * 16 + static_cast<uint64_t>(hex_digit(line[i]));
  }
  std::string_view rest = trim(line.substr(i));
  if (i == 0 || (!rest.empty() && rest[0] != ';')) {
    return fail(400);
  }
  if (size == 0) {
    m_phase = Phase::trailers;
  } else if (m_request.body.size() + size > m_max_body) {
    return fail(413);
  } else {
    m_phase = Phase::chunk_data;
    m_remaining = size;
  }
  return nl + 1;
}

size_t RequestParser::parse_chunk_end(std::string_view input) {
  if (input[0] == '\n') {
    m_phase = Phase::chunk_size;
    return 1;
  }
  if (input[0] != '\r') {
    return fail(400);
  }
  if (input.size() < 2) {
    return 0;
  }
  if (input[1] != '\n') {
    return fail(400);
  }
  m_phase = Phase::chunk_size;
  return 2;
}

size_t RequestParser::parse_trailer(std::string_view input) {
  size_t nl = input.find('\n');
  if (nl == std::string_view::npos) {
    return m_trailer_bytes + input.size() > m_max_header ? fail(431) : 0;
  }
  m_trailer_bytes += nl + 1;
  if (m_trailer_bytes > m_max_header) {
    return fail(431);
  }
  // Trailer fields are dropped: nothing m2g talks to sends any that matter.
  if (strip_cr(input.substr(0, nl)).empty()) {
    m_phase = Phase::done;
    m_state = State::complete;
  }
  return nl + 1;
}

size_t RequestParser::fail(int status) {
  m_state = State::failed;
  m_error = status;
  return 0;
}

bool RequestParser::take_continue() {
  bool ready = m_expect_continue && !m_body_started && m_state == State::need_more && m_phase != Phase::head;
  if (ready) {
    m_expect_continue = false;
  }
  return ready;
}

Request RequestParser::take() {
  Request request = std::move(m_request);
  m_request = Request();
  m_state = State::need_more;
  m_phase = Phase::head;
  m_error = 0;
  m_scanned = 0;
  m_remaining = 0;
  m_trailer_bytes = 0;
  m_http10 = false;
  m_keep_alive = true;
  m_expect_continue = false;
  m_body_started = false;
  return request;
}

} // namespace m2g::http
