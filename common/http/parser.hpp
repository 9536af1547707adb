#pragma once
// An incremental HTTP/1.1 request parser: fed whatever bytes the socket produced, it consumes
// complete pieces (the header block at once, body bytes as they come) and reports when a
// request is complete or malformed. It never looks past the end of one request, so pipelined
// requests stay in the connection's buffer until their turn.

#include "common/http/message.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace m2g::http {

/// Parses one request at a time; take() the finished request to start on the next.
class RequestParser {
public:
  enum class State { need_more, complete, failed };

  /// Limits answered with 431 (header block) and 413 (decoded body).
  RequestParser(size_t max_header_bytes, size_t max_body_bytes);

  /// Consume a prefix of `input`; returns how many bytes were used. An incomplete header block
  /// is not consumed: call again with the same bytes plus more.
  size_t feed(std::string_view input);

  State state() const { return m_state; }
  /// The status to answer a failed request with (400, 413, 431, 501 or 505).
  int error_status() const { return m_error; }
  /// Whether the connection may stay open after this request (HTTP version + Connection).
  bool keep_alive() const { return m_keep_alive; }
  /// Whether the request line said HTTP/1.0 (its keep-alive must be announced in the answer).
  bool http10() const { return m_http10; }
  /// True once, when the headers asked for "Expect: 100-continue" and the body has not started.
  bool take_continue();
  /// True once the request line and headers of the current request are parsed (its body may
  /// still be coming); request() then holds them.
  bool head_done() const { return m_phase != Phase::head; }
  /// The request being parsed: method, target and headers once head_done().
  Request& request() { return m_request; }
  /// The complete request; resets the parser for the next one.
  Request take();

private:
  enum class Phase { head, body, chunk_size, chunk_data, chunk_end, trailers, done };

  size_t step(std::string_view input);
  size_t parse_head(std::string_view input);
  bool parse_request_line(std::string_view line);
  bool parse_header_line(std::string_view line);
  void finish_head();
  size_t parse_chunk_size(std::string_view input);
  size_t parse_chunk_end(std::string_view input);
  size_t parse_trailer(std::string_view input);
  size_t fail(int status);

  size_t m_max_header;
  size_t m_max_body;
  State m_state = State::need_more;
  Phase m_phase = Phase::head;
  int m_error = 0;
  Request m_request;
  size_t m_scanned = 0;     // bytes of an incomplete header block already searched for its end
  uint64_t m_remaining = 0; // body or chunk bytes still to come
  size_t m_trailer_bytes = 0;
  bool m_http10 = false;
  bool m_keep_alive = true;
  bool m_expect_continue = false;
  bool m_body_started = false;
};

} // namespace m2g::http
