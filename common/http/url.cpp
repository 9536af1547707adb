#include "common/http/url.hpp"

#include "common/http/text.hpp"

namespace m2g::http {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

} // namespace

std::string url_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string url_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && text::hex_digit(text[i + 1]) >= 0 && text::hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(text::hex_digit(text[i + 1]) * 16 + text::hex_digit(text[i + 2]));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string form_encode(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) {
      out += '&';
    }
    out += url_encode(name);
    out += '=';
    out += url_encode(value);
  }
  return out;
}

Params form_decode(std::string_view text) {
  Params out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view field = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (field.empty()) {
      continue;
    }
    size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(url_decode(field), std::string());
    } else {
      out.emplace_back(url_decode(field.substr(0, eq)), url_decode(field.substr(eq + 1)));
    }
  }
  return out;
}

std::string with_query(std::string url, const Params& params) {
  if (params.empty()) {
    return url;
  }
  // A fragment would swallow the query, so the query goes before it.
  size_t hash = url.find('#');
  std::string fragment = hash == std::string::npos ? std::string() : url.substr(hash);
  url.resize(hash == std::string::npos ? url.size() : hash);
  if (url.find('?') == std::string::npos) {
    url += '?';
  } else if (url.back() != '?' && url.back() != '&') {
    url += '&';
  }
  url += form_encode(params);
  return url + fragment;
}

} // namespace m2g::http
