#include "common/http/response_parser.hpp"

#include "common/http/text.hpp"

#include <algorithm>

namespace m2g::http {
using text::strip_cr;
using text::trim;

namespace {

// Whether the comma-separated token list `list` (a Connection or Transfer-Encoding value)
// holds `token`, ignoring case.
bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    list.remove_prefix(comma + 1);
  }
  return false;
}

// The last coding of a Transfer-Encoding value: only a final "chunked" frames the body.
std::string_view last_token(std::string_view list) {
  size_t comma = list.rfind(',');
  return trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
}

} // namespace

ResponseParser::ResponseParser(bool head_request, size_t max_header_bytes, size_t max_body_bytes)
    : m_head_request(head_request), m_max_header(max_header_bytes), m_max_body(max_body_bytes) {}

ResponseParser::State ResponseParser::feed(std::string_view input) {
  if (!input.empty()) {
    m_started = true;
  }
  while (!input.empty() && m_state == State::need_more) {
    input.remove_prefix(step(input));
  }
  return m_state;
}

ResponseParser::State ResponseParser::end_of_stream() {
  if (m_state != State::need_more) {
    return m_state;
  }
  if (m_phase == Phase::until_close) {
    m_keep_alive = false;
    complete();
    return m_state;
  }
  fail(m_started ? "the connection closed in the middle of the response" : "empty reply from server");
  return m_state;
}

size_t ResponseParser::step(std::string_view input) {
  switch (m_phase) {
  case Phase::head:
    return parse_head(input);
  case Phase::length: {
    size_t used = take_body(input, m_remaining);
    m_remaining -= used;
    if (m_state == State::need_more && m_remaining == 0) {
      complete();
    }
    return used;
  }
  case Phase::chunk_size:
  case Phase::chunk_end:
  case Phase::trailers:
    return parse_line(input);
  case Phase::chunk_data: {
    size_t used = take_body(input, m_remaining);
    m_remaining -= used;
    if (m_remaining == 0) {
      m_phase = Phase::chunk_end;
    }
    return used;
  }
  case Phase::until_close:
    return take_body(input, input.size());
  case Phase::done:
    break;
  }
  return input.size();
}

size_t ResponseParser::parse_head(std::string_view input) {
  // The block may arrive in pieces: collect it until the empty line that ends it.
  size_t before = m_pending.size();
  m_pending.append(input);
  size_t end = std::string_view::npos;
  for (size_t pos = before >= 3 ? before - 3 : 0; (pos = m_pending.find('\n', pos)) != std::string::npos; ++pos) {
    if (pos + 1 < m_pending.size() && m_pending[pos + 1] == '\n') {
      end = pos + 2;
      break;
    }
    if (pos + 2 < m_pending.size() && m_pending[pos + 1] == '\r' && m_pending[pos + 2] == '\n') {
      end = pos + 3;
      break;
    }
  }
  if (end == std::string_view::npos) {
    if (m_pending.size() > m_max_header) {
      return fail("the response's header block is larger than " + std::to_string(m_max_header) + " bytes");
    }
    return input.size();
  }
  if (end > m_max_header) {
    return fail("the response's header block is larger than " + std::to_string(m_max_header) + " bytes");
  }
  size_t used = input.size() - (m_pending.size() - end);
  std::string_view head(m_pending.data(), end);
  m_headers.clear();
  bool first = true;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = strip_cr(head.substr(0, nl));
    head.remove_prefix(nl + 1);
    if (first) {
      first = false;
      if (!parse_status_line(line)) {
        return fail("not an HTTP response: " + std::string(line.substr(0, 64)));
      }
    } else if (!line.empty()) {
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0 || !text::is_token(line.substr(0, colon))) {
        return fail("malformed header line in the response");
      }
      m_headers.push_back({std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
    }
  }
  m_pending.clear();
  if (m_status == 101) {
    return fail("the server switched protocols");
  }
  if (m_status < 200) {
    m_headers.clear(); // an interim answer (100 Continue, 103 Early Hints): the real one follows
    return used;
  }
  start_body();
  return used;
}

bool ResponseParser::parse_status_line(std::string_view line) {
  // "HTTP/1.1 200 OK": the reason phrase may be empty or missing.
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') || line[8] != ' ') {
    return false;
  }
  m_http10 = line[7] == '0';
  std::string_view code = line.substr(9, 3);
  uint64_t value = 0;
  if (!text::parse_decimal(code, value) || value < 100 || (line.size() > 12 && line[12] != ' ')) {
    return false;
  }
  m_status = static_cast<int>(value);
  return true;
}

void ResponseParser::start_body() {
  std::string_view connection = find_header(m_headers, "Connection");
  m_keep_alive = m_http10 ? has_token(connection, "keep-alive") : !has_token(connection, "close");
  if (m_head_request || m_status == 204 || m_status == 304) {
    complete();
    return;
  }
  std::string_view coding = find_header(m_headers, "Transfer-Encoding");
  if (!coding.empty()) {
    if (iequals(last_token(coding), "chunked")) {
      m_phase = Phase::chunk_size;
      return;
    }
    // Any other coding: the body runs to the end of the connection (RFC 9112 §6.3).
    m_phase = Phase::until_close;
    m_keep_alive = false;
    return;
  }
  std::string_view length = find_header(m_headers, "Content-Length");
  if (length.empty()) {
    m_phase = Phase::until_close;
    m_keep_alive = false;
    return;
  }
  uint64_t value = 0;
  if (!text::parse_decimal(length, value)) {
    fail("bad Content-Length in the response: " + std::string(length.substr(0, 32)));
    return;
  }
  if (value > m_max_body) {
    fail("the response's body (" + std::to_string(value) + " bytes) is larger than " + std::to_string(m_max_body));
    return;
  }
  if (value == 0) {
    complete();
    return;
  }
  // A claimed length is not trusted with memory beyond what small answers need.
  m_body.reserve(static_cast<size_t>(std::min<uint64_t>(value, 1 << 20)));
  m_remaining = value;
  m_phase = Phase::length;
}

size_t ResponseParser::parse_line(std::string_view input) {
  size_t nl = input.find('\n');
  size_t used = nl == std::string_view::npos ? input.size() : nl + 1;
  m_pending.append(input.substr(0, used));
  if (nl == std::string_view::npos) {
    if (m_pending.size() > m_max_header) {
      return fail("a chunk line of the response is too long");
    }
    return used;
  }
  on_line(strip_cr(std::string_view(m_pending).substr(0, m_pending.size() - 1)));
  m_pending.clear();
  return used;
}

void ResponseParser::on_line(std::string_view line) {
  if (m_phase == Phase::chunk_end) {
    if (!line.empty()) {
      fail("a chunk of the response does not end with CRLF");
      return;
    }
    m_phase = Phase::chunk_size;
    return;
  }
  if (m_phase == Phase::trailers) {
    if (line.empty()) {
      complete(); // trailer fields themselves are not kept: nothing here needs them
    }
    return;
  }
  std::string_view digits = trim(line.substr(0, line.find(';')));
  uint64_t size = 0;
  bool ok = !digits.empty() && digits.size() <= 15;
  for (char c : digits) {
    int digit = text::hex_digit(c);
    ok = ok && digit >= 0;
    size = size * 16 + static_cast<uint64_t>(std::max(digit, 0));
  }
  if (!ok) {
    fail("bad chunk size in the response");
  } else if (m_body.size() + size > m_max_body) {
    fail("the response's body is larger than " + std::to_string(m_max_body) + " bytes");
  } else if (size == 0) {
    m_phase = Phase::trailers;
  } else {
    m_remaining = size;
    m_phase = Phase::chunk_data;
  }
}

size_t ResponseParser::take_body(std::string_view input, uint64_t limit) {
  size_t n = static_cast<size_t>(std::min<uint64_t>(input.size(), limit));
  if (m_body.size() + n > m_max_body) {
    return fail("the response's body is larger than " + std::to_string(m_max_body) + " bytes");
  }
  m_body.append(input.substr(0, n));
  return n;
}

size_t ResponseParser::fail(std::string why) {
  m_state = State::failed;
  m_error = std::move(why);
  m_keep_alive = false;
  m_phase = Phase::done;
  return 0;
}

void ResponseParser::complete() {
  m_state = State::complete;
  m_phase = Phase::done;
}

} // namespace m2g::http
