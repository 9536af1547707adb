#include "common/http/message.hpp"

#include "common/http/url.hpp"

namespace m2g::http {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view find_header(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (iequals(header.name, name)) {
      return header.value;
    }
  }
  return {};
}

std::string Request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view field = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    size_t eq = field.find('=');
    std::string_view key = field.substr(0, eq);
    // Names are compared decoded, since a client may encode characters that need no encoding.
    if (key == name || url_decode(key) == name) {
      return eq == std::string_view::npos ? std::string() : url_decode(field.substr(eq + 1));
    }
  }
  return {};
}

Response Response::json(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.push_back({"Content-Type", "application/json"});
  response.body = std::move(body);
  return response;
}

Response Response::text(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  response.body = std::move(body);
  return response;
}

Response Response::drop() {
  Response response;
  response.status = 0;
  response.drop_connection = true;
  return response;
}

} // namespace m2g::http
