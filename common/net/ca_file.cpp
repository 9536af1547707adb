#include "common/net/ca_file.hpp"

namespace m2g::net {
namespace {

std::string& storage() {
  static std::string path;
  return path;
}

} // namespace

void set_ca_file(std::string path) {
  storage() = std::move(path);
}

const std::string& ca_file() {
  return storage();
}

} // namespace m2g::net
