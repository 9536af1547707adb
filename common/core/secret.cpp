#include "common/core/secret.hpp"

#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/private_process.hpp"
#include "common/core/secret_file.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>

namespace m2g {
namespace {

bool token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

constexpr size_t k_max_token_bytes = 256;
constexpr size_t k_min_prefixed_rest = 16;
constexpr size_t k_min_plain_token = 20;
constexpr std::array<std::string_view, 7> k_token_prefixes{"ghp_", "gho_",        "ghu_",  "ghs_",
                                                           "ghr_", "github_pat_", "glpat-"};

// The chats' secrets this process registered, oldest first (only those it added itself, so
// forgetting one never forgets the operator's).
struct ChatSecrets {
  std::mutex mutex;
  std::deque<std::string> order;
};

ChatSecrets& chat_secrets() {
  static ChatSecrets secrets;
  return secrets;
}

} // namespace

bool looks_like_token(std::string_view word) {
  if (word.size() > k_max_token_bytes || !std::all_of(word.begin(), word.end(), token_char)) {
    return false;
  }
  for (std::string_view prefix : k_token_prefixes) {
    if (word.substr(0, prefix.size()) == prefix) {
      return word.size() >= prefix.size() + k_min_prefixed_rest;
    }
  }
  return word.size() >= k_min_plain_token;
}

bool add_chat_secret(std::string_view word) {
  if (!looks_like_token(word)) {
    return false;
  }
  ChatSecrets& secrets = chat_secrets();
  std::lock_guard lock(secrets.mutex);
  if (!log::add_secret(std::string(word))) {
    return false; // registered already (by a chat, or as one of the operator's own)
  }
  secrets.order.emplace_back(word);
  if (secrets.order.size() > k_max_chat_secrets) {
    log::remove_secret(secrets.order.front());
    secrets.order.pop_front();
  }
  return true;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(exit_code::k_noinput, "cannot read '" + path + "': " + std::strerror(errno));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::optional<std::string> read_secret(const char* env_name, const std::string& file) {
  make_undumpable(); // before the secret is in memory (core dumps, ptrace)
  std::string value;
  if (!file.empty()) {
    require_private_secret_file(file);
    value = read_file(file);
  } else if (const char* env = std::getenv(env_name); env && *env) {
    value = env;
  } else {
    return std::nullopt;
  }
  auto first = value.find_first_not_of(" \t\r\n");
  auto last = value.find_last_not_of(" \t\r\n");
  value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
  if (value.empty()) {
    return std::nullopt;
  }
  log::add_secret(value);
  return value;
}

} // namespace m2g
