// Writing responses: the status line with its reason phrase, the handler's headers, and the
// framing headers only the server decides (Content-Length, Connection).
#include "common/http/connection.hpp"

#include <charconv>

namespace m2g::http {
namespace {

bool has_body(int status) {
  return status >= 200 && status != 204 && status != 304;
}

void append_number(std::string& out, size_t value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

} // namespace

namespace detail {

void append_response(std::string& out, const Response& response, Framing framing) {
  // A status that cannot be written as three digits is a handler bug; say so, don't send junk.
  int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  out += "HTTP/1.1 ";
  append_number(out, static_cast<size_t>(status));
  out += ' ';
  out += reason_phrase(status);
  out += "\r\n";
  for (const auto& header : response.headers) {
    // A second Content-Length or a Transfer-Encoding would break the framing.
    if (iequals(header.name, "Content-Length") || iequals(header.name, "Transfer-Encoding") ||
        iequals(header.name, "Connection")) {
      continue;
    }
    out += header.name;
    out += ": ";
    out += header.value;
    out += "\r\n";
  }
  bool body = has_body(status);
  if (body) {
    out += "Content-Length: ";
    append_number(out, response.body.size());
    out += "\r\n";
  }
  if (framing.close) {
    out += "Connection: close\r\n";
  } else if (framing.http10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  if (body && !framing.head) {
    out += response.body;
  }
}

} // namespace detail

std::string_view reason_phrase(int status) {
  switch (status) {
  case 100:
    return "Continue";
  case 101:
    return "Switching Protocols";
  case 200:
    return "OK";
  case 201:
    return "Created";
  case 202:
    return "Accepted";
  case 204:
    return "No Content";
  case 206:
    return "Partial Content";
  case 301:
    return "Moved Permanently";
  case 302:
    return "Found";
  case 303:
    return "See Other";
  case 304:
    return "Not Modified";
  case 307:
    return "Temporary Redirect";
  case 308:
    return "Permanent Redirect";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 402:
    return "Payment Required";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 408:
    return "Request Timeout";
  case 409:
    return "Conflict";
  case 410:
    return "Gone";
  case 411:
    return "Length Required";
  case 413:
    return "Content Too Large";
  case 414:
    return "URI Too Long";
  case 415:
    return "Unsupported Media Type";
  case 422:
    return "Unprocessable Content";
  case 429:
    return "Too Many Requests";
  case 431:
    return "Request Header Fields Too Large";
  case 500:
    return "Internal Server Error";
  case 501:
    return "Not Implemented";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  case 505:
    return "HTTP Version Not Supported";
  default:
    return "Unknown";
  }
}

} // namespace m2g::http
