// libcrypto is loaded when a token is first sealed or opened, never at a stage's start.
#include "common/crypto/aead.hpp"
#include "common/crypto/libcrypto.hpp"

#include <climits>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace m2g;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Where the tools are: $M2G_BIN (set by CTest), else the build's bin/ beside tests/.
std::string bin_dir() {
  if (const char* bin = std::getenv("M2G_BIN"); bin != nullptr && *bin != '\0') {
    return bin;
  }
  char exe[PATH_MAX] = {};
  REQUIRE(::readlink("/proc/self/exe", exe, sizeof exe - 1) > 0);
  return (std::filesystem::path(exe).parent_path().parent_path() / "bin").string();
}

std::string message(int update_id, const std::string& text) {
  return nlohmann::json{{"v", 1},
                        {"kind", "update"},
                        {"id", "tg:" + std::to_string(update_id)},
                        {"update_id", update_id},
                        {"type", "message"},
                        {"chat_id", 42},
                        {"user_id", 7},
                        {"message_id", 10 + update_id},
                        {"date", 1732531200},
                        {"chat_type", "private"},
                        {"text", text},
                        {"t0", 1732531200000}}
      .dump();
}

// Runs m2g-route with a key file over `lines`, the dynamic linker logging every library it
// loads (LD_DEBUG=files, dlopen included); returns that log. Its stdout goes to out.jsonl.
std::string libraries_loaded_by_route(const std::vector<std::string>& lines) {
  std::ofstream(std::string("key.bin"), std::ios::binary) << std::string(32, 'k');
  std::filesystem::permissions("key.bin", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ofstream input("in.jsonl");
  for (const auto& line : lines) {
    input << line << "\n";
  }
  input.close();
  std::string command = "LD_DEBUG=files M2G_KEY_FILE=key.bin '" + bin_dir() +
                        "/m2g-route' --allowed-chats 42 --db route.db < in.jsonl > out.jsonl 2> ld.txt";
  REQUIRE(std::system(command.c_str()) == 0);
  return read_file("ld.txt");
}

} // namespace

TEST_SUITE("crypto") {
  TEST_CASE("m2g::crypto::open_libcrypto") {
    SUBCASE("resolves every function from libcrypto.so.3") {
      auto library = crypto::open_libcrypto(crypto::k_libcrypto);
      REQUIRE(library.ok());
      CHECK(library->aes_256_gcm() != nullptr);
      unsigned char out[8] = {};
      CHECK(library->encode_block(out, reinterpret_cast<const unsigned char*>("m2g"), 3) == 4);
      CHECK(std::string(reinterpret_cast<char*>(out)) == "bTJn");
    }
    SUBCASE("a missing library: 78, naming it and what needs it") {
      auto library = crypto::open_libcrypto("libm2g-no-such-crypto.so.3");
      REQUIRE_FALSE(library.ok());
      CHECK(library.failure().exit_code == 78);
      CHECK(library.error().find("cannot load 'libm2g-no-such-crypto.so.3'") == 0);
      CHECK(library.error().find("tokens") != std::string::npos);
    }
    SUBCASE("a library that is not libcrypto: names what it lacks") {
      auto library = crypto::open_libcrypto("libc.so.6");
      REQUIRE_FALSE(library.ok());
      CHECK(library.error().find("it lacks RAND_bytes") != std::string::npos);
    }
  }

  TEST_CASE("m2g-route loads libcrypto only to seal a token") {
    SUBCASE("with a key file, messages and commands but no token: never loaded") {
      std::string log = libraries_loaded_by_route({message(1, "#note hello"), message(2, "/start")});
      CHECK(log.find("file=libc.so.6") != std::string::npos); // the log is there
      // Neither linked into m2g-route nor loaded by it. (A sanitizer build may link libgit2 into
      // every tool, whose libssh2 needs libcrypto: that one is not route's doing.)
      CHECK(log.find("file=libcrypto.so.3 [0];  needed by " + bin_dir() + "/m2g-route") == std::string::npos);
      CHECK(log.find("file=libcrypto.so.3 [0];  dynamically loaded") == std::string::npos);
      CHECK(read_file("out.jsonl").find("hello") != std::string::npos);
    }
    SUBCASE("a token sent with /repo: loaded, and the token stored sealed") {
      std::string log = libraries_loaded_by_route(
          {message(1, "#note hello"), message(2, "/repo https://github.com/me/notes ghp_TopS3cretToken0123456789")});
      CHECK(log.find("file=libcrypto.so.3") != std::string::npos);
      CHECK(read_file("out.jsonl").find("Token stored, encrypted") != std::string::npos);
    }
  }
}
