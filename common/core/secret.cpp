#include "common/core/secret.hpp"

#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/core/private_process.hpp"
#include "common/core/secret_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace m2g {

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
