#include "common/route/button_mac.hpp"
#include "common/route/callback_data.hpp"

#include <doctest/doctest.h>
#include <limits>

using namespace m2g;
using namespace m2g::route;

namespace {
crypto::Key key_of(char fill) {
  return crypto::Key::from_bytes(std::string(32, fill)).take_or_throw();
}
} // namespace

TEST_SUITE("route") {
  TEST_CASE("m2g::route::ButtonSigner::sign") {
    ButtonSigner signer(key_of('k'));
    SUBCASE("a known value (HMAC-SHA256 under the derived key, 16 bytes, base64url)") {
      // Python: d = hmac(b"k"*32, b"m2g callback-data v1"); hmac(d, b"done\n77\n42")[:16], urlsafe b64
      CHECK(signer.sign("done", 77, 42).take_or_throw() == "lHIUYZ1vqGpIqdVW-XHOBA");
    }
    SUBCASE("bound to the operation, the object, the chat and the key") {
      std::string mac = signer.sign("done", 77, 42).take_or_throw();
      CHECK(mac.size() == k_button_mac_chars);
      CHECK(signer.verify("done", 77, 42, mac));
      CHECK_FALSE(signer.verify("close", 77, 42, mac));
      CHECK_FALSE(signer.verify("done", 78, 42, mac));
      CHECK_FALSE(signer.verify("done", 77, -100200300400500, mac));
      CHECK_FALSE(ButtonSigner(key_of('z')).verify("done", 77, 42, mac));
      CHECK_FALSE(signer.verify("done", 77, 42, ""));
      CHECK_FALSE(signer.verify("done", 77, 42, mac.substr(0, 21) + (mac[21] == 'A' ? "B" : "A")));
    }
  }

  TEST_CASE("m2g::route::verify_callback") {
    ButtonSigner signer(key_of('k'));
    constexpr int64_t big = std::numeric_limits<int64_t>::max();
    constexpr int64_t supergroup = -1001234567890123; // 14 digits after -100
    SUBCASE("a genuine button verifies in its own chat only") {
      auto done = decode_callback(encode_done(77, supergroup, signer).take_or_throw());
      REQUIRE(done);
      CHECK(done->op == CallbackData::Op::done);
      CHECK(done->message_id == 77);
      CHECK(verify_callback(*done, supergroup, signer));
      CHECK_FALSE(verify_callback(*done, 42, signer));
      auto close = decode_callback(encode_close(12, 42, signer).take_or_throw());
      REQUIRE(close);
      CHECK(close->number == 12);
      CHECK(verify_callback(*close, 42, signer));
      CHECK_FALSE(verify_callback(*close, supergroup, signer));
    }
    SUBCASE("a tampered id fails") {
      std::string mac = signer.sign("close", 12, 42).take_or_throw();
      CHECK(encode_close(12, 42, signer).take_or_throw() == "close:12:" + mac);
      auto forged = decode_callback("close:13:" + mac);
      REQUIRE(forged);
      CHECK_FALSE(verify_callback(*forged, 42, signer));
    }
    SUBCASE("within 64 bytes at the largest ids and the longest chat ids") {
      for (int64_t chat : {supergroup, std::numeric_limits<int64_t>::min()}) {
        CHECK(encode_done(big, chat, signer).take_or_throw().size() <= k_max_callback_bytes);
        CHECK(encode_close(big, chat, signer).take_or_throw().size() <= k_max_callback_bytes);
      }
    }
    SUBCASE("filing buttons carry no MAC and always pass") {
      CHECK(verify_callback(*decode_callback(encode_file("note", 5)), 1, signer));
    }
  }
}
