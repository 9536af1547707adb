#include "common/net/repo_url.hpp"

namespace m2g::net {
namespace {

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != prefix[i]) {
      return false;
    }
  }
  return true;
}

RepoUrlCheck refuse(std::string why) {
  RepoUrlCheck out;
  out.why = std::move(why);
  return out;
}

} // namespace

RepoUrlCheck check_chat_repo_url(std::string_view url, const AddressPolicy& policy) {
  if (url.size() > k_max_repo_url_bytes) {
    return refuse("the URL is too long");
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return refuse("the URL has spaces or control characters");
    }
  }
  const std::string_view scheme = "https://";
  if (!url.starts_with(scheme)) {
    if (starts_with_nocase(url, scheme)) {
      return refuse("write the scheme in lower case: https://");
    }
    if (starts_with_nocase(url, "http://")) {
      return refuse("use an https:// URL (plain http:// would send the token unencrypted)");
    }
    return refuse("use an https:// URL such as https://github.com/you/notes (ssh:// and git@host: URLs and "
                  "local paths are not accepted for a chat's repository)");
  }
  std::string_view rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (authority.find('@') != std::string_view::npos) {
    RepoUrlCheck out = refuse("put no credentials in the URL; send the token as a second word: /repo URL TOKEN");
    out.has_credentials = true;
    return out;
  }
  if (authority.empty() || slash == std::string_view::npos || slash + 1 >= rest.size()) {
    return refuse("the URL needs a host and a path, e.g. https://github.com/you/notes");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return refuse("the URL's host is not valid");
    }
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return refuse("the URL's host is not valid");
      }
      port = after.substr(1);
    }
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) {
    return refuse("the URL needs a host and a path, e.g. https://github.com/you/notes");
  }
  for (char c : host) {
    bool fine = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                c == '_' || (c == ':' && authority.front() == '[');
    if (!fine) {
      return refuse("the URL's host is not valid");
    }
  }
  RepoUrlCheck out;
  out.host.reserve(host.size());
  for (char c : host) {
    out.host += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (!port.empty() || authority.back() == ':') {
    unsigned value = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || value > 65535) {
        return refuse("the URL's port is not a number from 1 to 65535");
      }
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (port.empty() || value == 0 || value > 65535) {
      return refuse("the URL's port is not a number from 1 to 65535");
    }
    out.port = static_cast<uint16_t>(value);
  }
  if (std::string why = policy.host_refusal(out.host); !why.empty()) {
    return refuse(why);
  }
  out.ok = true;
  return out;
}

} // namespace m2g::net
