#pragma once
// The HTTP messages the server hands to handlers and the client hands back: plain structs, so
// fakes and tests can build them directly.

#include "common/core/clock.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace m2g::http {

/// One header field, as received (names keep their spelling; lookups ignore case).
struct Header {
  std::string name;
  std::string value;
};

/// The value of the first header called `name` (any case), or "" if there is none.
std::string_view find_header(const std::vector<Header>& headers, std::string_view name);

/// ASCII case-insensitive equality, as header names and tokens compare.
bool iequals(std::string_view a, std::string_view b);

/// A request as the server received it. The body is already de-chunked.
struct Request {
  std::string method; ///< "GET", "POST", ... as sent (methods are case-sensitive)
  std::string target; ///< path?query exactly as sent
  std::string path;   ///< target up to '?', still percent-encoded
  std::string query;  ///< target after '?', without it; "" if none
  std::vector<Header> headers;
  std::string body;
  std::string peer; ///< "ip:port" of the client ("[v6]:port" for IPv6)

  /// The value of header `name` (case-insensitive), or "" if absent.
  std::string_view header(std::string_view name) const { return find_header(headers, name); }
  /// The decoded value of `name` in the query string ('+' is a space), or "" if absent.
  std::string query_param(std::string_view name) const;
};

/// What a handler answers. Content-Length is always computed by the server; a Content-Length or
/// Transfer-Encoding header set here is ignored. A "Connection: close" header closes the
/// connection after the response.
struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
  /// Set by drop(): close the connection without writing anything.
  bool drop_connection = false;

  /// A response with `body` and Content-Type: application/json.
  static Response json(int status, std::string body);
  /// A response with `body` and Content-Type: text/plain; charset=utf-8.
  static Response text(int status, std::string body);
  /// Close the connection without answering (fault injection in fakes).
  static Response drop();
};

/// One request to send.
struct ClientRequest {
  std::string method = "GET";
  std::string url;                  ///< http:// or https:// only; may carry secrets, so it is never logged raw
  std::vector<std::string> headers; ///< "Name: value" lines
  std::string body;                 ///< sent with POST, PUT and PATCH (even empty), and with others if non-empty
  Millis timeout{30000};            ///< the whole transfer, from the moment it leaves the client's queue
  Millis connect_timeout{10000};
};

/// The outcome of one request.
struct ClientResponse {
  int status = 0;              ///< the HTTP status; 0 = no complete HTTP response (a transport error)
  std::vector<Header> headers; ///< of the final response
  std::string body;            ///< after a transport error, whatever had arrived
  std::string error;           ///< the client's message for a transport error, secrets redacted; "" on success
  int curl_code = 0;  ///< CURLcode (e.g. 28 = timeout, 7 = cannot connect; PlainClient uses the same); 0 on success
  double seconds = 0; ///< total transfer time

  /// The value of header `name` (case-insensitive), or "" if absent.
  std::string_view header(std::string_view name) const { return find_header(headers, name); }
  /// True when no HTTP response came back (connect failure, timeout, reset, ...).
  bool transport_error() const { return status == 0; }
};

/// The standard reason phrase for `status` ("OK", "Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

} // namespace m2g::http
