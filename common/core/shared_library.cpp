#include "common/core/shared_library.hpp"

#include <dlfcn.h>

namespace m2g {

SymbolLoader::SymbolLoader(const char* file) : m_handle(::dlopen(file, RTLD_NOW | RTLD_LOCAL)) {
  if (m_handle == nullptr) {
    m_error = ::dlerror();
  }
}

SymbolLoader::~SymbolLoader() {
  // A library with all it was asked for stays loaded: its functions are used from here on.
  if (m_handle != nullptr && !m_missing.empty()) {
    ::dlclose(m_handle);
  }
}

void* SymbolLoader::symbol(const char* name) {
  void* address = m_handle == nullptr ? nullptr : ::dlsym(m_handle, name);
  if (address == nullptr) {
    m_missing += m_missing.empty() ? "" : ", ";
    m_missing += name;
  }
  return address;
}

std::string SymbolLoader::finish() {
  if (m_missing.empty()) {
    return {};
  }
  ::dlclose(m_handle);
  m_handle = nullptr;
  return "it lacks " + m_missing;
}

} // namespace m2g
