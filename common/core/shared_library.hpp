#pragma once
// Loading a shared library by hand (dlopen), for the libraries only some runs need: libcurl
// (https://) and libcrypto (sealing tokens). Their tables of functions are resolved through
// one SymbolLoader, so both say the same things the same way when a library or a function
// is missing.

#include <string>

namespace m2g {

class SymbolLoader {
public:
  /// dlopen `file` now (RTLD_NOW | RTLD_LOCAL: its symbols serve the caller's table only).
  explicit SymbolLoader(const char* file);
  ~SymbolLoader();
  SymbolLoader(const SymbolLoader&) = delete;
  SymbolLoader& operator=(const SymbolLoader&) = delete;

  /// Whether the library was opened; if not, error() says why (dlerror).
  bool opened() const { return m_handle != nullptr; }
  const std::string& error() const { return m_error; }

  /// Point `function` at the library's symbol `name`; a missing one is remembered.
  template <typename Function> void resolve(Function& function, const char* name) {
    function = reinterpret_cast<Function>(symbol(name));
  }

  /// "" when every symbol resolved: the library then stays loaded for the life of the process.
  /// Otherwise "it lacks NAME, NAME", and the library is closed again.
  std::string finish();

private:
  /// The address of `name`; nullptr (and `name` remembered as missing) when there is none.
  void* symbol(const char* name);

  void* m_handle = nullptr;
  std::string m_error;
  std::string m_missing;
};

} // namespace m2g
