// The header half of RequestParser: finding the end of the header block, the request line,
// header fields, and the framing decisions (length, chunked, keep-alive, 100-continue) that
// follow from them.
#include "common/http/parser.hpp"
#include "common/http/text.hpp"

#include <algorithm>

namespace m2g::http {
using text::is_token;
using text::strip_cr;
using text::trim;

namespace {

constexpr size_t k_max_body_reserve = 1 << 20; // a claimed length is not trusted with memory

} // namespace

size_t RequestParser::parse_head(std::string_view input) {
  // Clients may send a stray CRLF after a body (RFC 9112 §2.2); skip it between requests.
  if (m_scanned == 0 && (input[0] == '\n' || (input[0] == '\r' && input.size() > 1 && input[1] == '\n'))) {
    return input[0] == '\n' ? 1 : 2;
  }
  if (m_scanned == 0 && input == "\r") {
    return 0; // maybe the start of such a CRLF: decide when the next byte comes
  }
  // Find the empty line that ends the header block, resuming where the last call stopped.
  size_t end = std::string_view::npos;
  size_t pos = m_scanned;
  while ((pos = input.find('\n', pos)) != std::string_view::npos) {
    if (pos + 1 < input.size() && input[pos + 1] == '\n') {
      end = pos + 2;
      break;
    }
    if (pos + 2 < input.size() && input[pos + 1] == '\r' && input[pos + 2] == '\n') {
      end = pos + 3;
      break;
    }
    if (pos + 2 >= input.size()) {
      break; // cannot tell yet whether an empty line follows
    }
    ++pos;
  }
  if (end == std::string_view::npos) {
    if (input.size() > m_max_header) {
      return fail(431);
    }
    m_scanned = pos == std::string_view::npos ? input.size() : pos;
    return 0;
  }
  if (end > m_max_header) {
    return fail(431);
  }
  std::string_view head = input.substr(0, end);
  bool first = true;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = strip_cr(head.substr(0, nl));
    head.remove_prefix(nl + 1);
    if (first) {
      if (!parse_request_line(line)) {
        return 0;
      }
      first = false;
    } else if (!line.empty() && !parse_header_line(line)) {
      return 0;
    }
  }
  finish_head();
  return m_state == State::failed ? 0 : end;
}

bool RequestParser::parse_request_line(std::string_view line) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    fail(400);
    return false;
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty()) {
    fail(400);
    return false;
  }
  for (unsigned char c : target) {
    if (c <= 0x20 || c == 0x7f) {
      fail(400);
      return false;
    }
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    fail(400);
    return false;
  }
  if (version[5] != '1') {
    fail(505);
    return false;
  }
  m_http10 = version[7] == '0';
  m_keep_alive = !m_http10;
  // Absolute-form ("http://host/p?q", sent to proxies) is reduced to its path and query.
  std::string_view path_query = target;
  if (target[0] != '/' && target != "*") {
    size_t scheme = target.find("://");
    if (scheme == std::string_view::npos || !is_token(target.substr(0, scheme))) {
      fail(400);
      return false;
    }
    size_t slash = target.find('/', scheme + 3);
    path_query = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  size_t question = path_query.find('?');
  m_request.method = method;
  m_request.target = target;
  m_request.path = path_query.substr(0, question);
  m_request.query = question == std::string_view::npos ? std::string_view() : path_query.substr(question + 1);
  return true;
}

bool RequestParser::parse_header_line(std::string_view line) {
  size_t colon = line.find(':');
  // No whitespace before the colon and no obs-fold continuation lines (RFC 9112 §5).
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    fail(400);
    return false;
  }
  std::string_view value = trim(line.substr(colon + 1));
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      fail(400);
      return false;
    }
  }
  m_request.headers.push_back(Header{std::string(line.substr(0, colon)), std::string(value)});
  return true;
}

void RequestParser::finish_head() {
  bool has_length = false;
  bool chunked = false;
  uint64_t length = 0;
  for (const auto& header : m_request.headers) {
    if (iequals(header.name, "Content-Length")) {
      uint64_t value = 0;
      if (!text::parse_decimal(header.value, value) || (has_length && value != length)) {
        fail(400);
        return;
      }
      has_length = true;
      length = value;
    } else if (iequals(header.name, "Transfer-Encoding")) {
      if (!iequals(header.value, "chunked") || chunked) {
        fail(iequals(header.value, "chunked") ? 400 : 501);
        return;
      }
      chunked = true;
    } else if (iequals(header.name, "Connection")) {
      std::string_view tokens = header.value;
      while (!tokens.empty()) {
        size_t comma = tokens.find(',');
        std::string_view token = trim(tokens.substr(0, comma));
        tokens = comma == std::string_view::npos ? std::string_view() : tokens.substr(comma + 1);
        if (iequals(token, "close")) {
          m_keep_alive = false;
        } else if (iequals(token, "keep-alive") && m_http10) {
          m_keep_alive = true;
        }
      }
    } else if (iequals(header.name, "Expect") && iequals(header.value, "100-continue")) {
      m_expect_continue = !m_http10;
    }
  }
  // Both framings at once is how requests get smuggled past proxies: refuse it.
  if (chunked && has_length) {
    fail(400);
    return;
  }
  if (length > m_max_body) {
    fail(413);
    return;
  }
  if (chunked) {
    m_phase = Phase::chunk_size;
  } else if (length > 0) {
    m_phase = Phase::body;
    m_remaining = length;
    m_request.body.reserve(static_cast<size_t>(std::min<uint64_t>(length, k_max_body_reserve)));
  } else {
    m_phase = Phase::done;
    m_state = State::complete;
  }
}

} // namespace m2g::http
