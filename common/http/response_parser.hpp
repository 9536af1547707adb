#pragma once
// An incremental HTTP/1.1 response parser for PlainClient: fed whatever bytes the socket
// produced, it skips interim (1xx) responses, reads the header block, then the body framed by
// Content-Length, by chunked transfer coding, or by the end of the connection, and says
// whether the connection can carry another request afterwards.

#include "common/http/message.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace m2g::http {

class ResponseParser {
public:
  enum class State { need_more, complete, failed };

  /// `head_request`: the answer to HEAD has no body whatever its headers say.
  explicit ResponseParser(bool head_request = false, size_t max_header_bytes = 64 << 10,
                          size_t max_body_bytes = 64 << 20);

  /// Consume all of `input` (bytes after a complete response are ignored: a client sends one
  /// request at a time, so there are none).
  State feed(std::string_view input);
  /// The peer closed the connection: completes a body that runs to the end, fails the rest.
  State end_of_stream();

  State state() const { return m_state; }
  /// Whether any byte of a response arrived (a reused connection that closes before any did
  /// is safe to try again on a fresh one).
  bool started() const { return m_started; }
  /// After complete(): whether the connection may carry the next request.
  bool keep_alive() const { return m_keep_alive; }
  /// After failed(): what was wrong, for the response's error.
  const std::string& error() const { return m_error; }

  int status() const { return m_status; }
  std::vector<Header>& headers() { return m_headers; }
  std::string& body() { return m_body; }

private:
  enum class Phase { head, length, chunk_size, chunk_data, chunk_end, trailers, until_close, done };

  size_t step(std::string_view input);
  size_t parse_head(std::string_view input);
  bool parse_status_line(std::string_view line);
  void start_body();
  /// The chunk size, chunk end and trailer phases read lines: collect one, then on_line().
  size_t parse_line(std::string_view input);
  void on_line(std::string_view line);
  size_t take_body(std::string_view input, uint64_t limit);
  size_t fail(std::string why);
  void complete();

  bool m_head_request;
  size_t m_max_header;
  size_t m_max_body;
  State m_state = State::need_more;
  Phase m_phase = Phase::head;
  std::string m_pending; // an incomplete header block or line, kept until its end arrives
  int m_status = 0;
  std::vector<Header> m_headers;
  std::string m_body;
  std::string m_error;
  uint64_t m_remaining = 0;
  bool m_started = false;
  bool m_keep_alive = true;
  bool m_http10 = false;
};

} // namespace m2g::http
