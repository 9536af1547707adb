#include "common/core/secret_file.hpp"

#include "common/core/error.hpp"
#include "common/core/exit_codes.hpp"

#include <cstdio>
#include <sys/stat.h>

namespace m2g {

std::optional<std::string> secret_file_exposure(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)) == 0) {
    return std::nullopt;
  }
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return "secret file '" + path + "' is accessible to group or others (mode " + mode + "); chmod 600 it";
}

void require_private_secret_file(const std::string& path) {
  if (auto problem = secret_file_exposure(path)) {
    throw Error(exit_code::k_config, *problem);
  }
}

} // namespace m2g
