#pragma once
// The callback_data of m2g's inline buttons, at most 64 bytes as Telegram requires:
//
//   f:<target>:<message id>   file the pending message as a built-in target ("f:note:42")
//   f:c<index>:<message id>   file it to the chat's custom file at <index> of the keyboard
//   x:<message id>            cancel the pending message
//   done:<message id>:<mac>   mark the clicking chat's TODO of that message done (buttons of
//                             m2g-commit's /todo answer)
//   close:<issue number>:<mac>  close that issue of the clicking chat's repository (buttons of
//                             m2g-commit's /issue answer)
//
// Ids are decimal; anything else (a crafted or stale button) decodes to nothing. The filing
// buttons name only the clicking chat's own pending message, which route looks up under that
// chat; done and close name an object, so they carry a MAC (button_mac.hpp) that
// verify_callback() checks against the clicking chat.

#include "common/core/error.hpp"
#include "common/route/button_mac.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace m2g::route {

/// Telegram's limit on callback_data, in bytes.
inline constexpr size_t k_max_callback_bytes = 64;

struct CallbackData {
  enum class Op { file, file_custom, cancel, done, close };
  Op op = Op::file;
  std::string target;      ///< file: the built-in target
  size_t custom_index = 0; ///< file_custom
  int64_t message_id = 0;  ///< file, file_custom, cancel, done
  int64_t number = 0;      ///< close: the issue number
  std::string mac;         ///< done, close: the button's MAC (checked by verify_callback)
};

std::string encode_file(std::string_view target, int64_t message_id);
std::string encode_file_custom(size_t index, int64_t message_id);
std::string encode_cancel(int64_t message_id);
/// A done button for the TODO of `message_id`, sent to `chat_id`.
Result<std::string> encode_done(int64_t message_id, int64_t chat_id, const ButtonSigner& signer);
/// A close button for issue `number`, sent to `chat_id`.
Result<std::string> encode_close(int64_t number, int64_t chat_id, const ButtonSigner& signer);

/// Decode callback data; nullopt when it is not one of the forms above.
std::optional<CallbackData> decode_callback(std::string_view data);

/// Whether a decoded done or close button was signed for `chat_id` (the chat it was clicked
/// in). Always true for the other forms, which carry no MAC.
bool verify_callback(const CallbackData& data, int64_t chat_id, const ButtonSigner& signer);

/// Parse a whole decimal integer (optional leading '-'); nullopt on anything else or overflow.
std::optional<int64_t> parse_int(std::string_view text);

} // namespace m2g::route
