#pragma once
// The callback_data of m2g's inline buttons, at most 64 bytes as Telegram requires:
//
//   f:<target>:<message id>   file the pending message as a built-in target ("f:note:42")
//   f:c<index>:<message id>   file it to the chat's custom file at <index> of the keyboard
//   x:<message id>            cancel the pending message
//   done:<message id>[:<chat id>]  mark the TODO of that message done (buttons of m2g-commit's
//                             /todo answer; the chat id when the TODO came from another chat)
//   close:<issue number>      close that issue (buttons of m2g-commit's /issue answer)
//
// Ids are decimal; anything else (a crafted or stale button) decodes to nothing.

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
  int64_t chat_id = 0;     ///< done: the TODO's chat, 0 when it is the clicking chat
  int64_t number = 0;      ///< close: the issue number
};

std::string encode_file(std::string_view target, int64_t message_id);
std::string encode_file_custom(size_t index, int64_t message_id);
std::string encode_cancel(int64_t message_id);
std::string encode_done(int64_t message_id, int64_t chat_id = 0);
std::string encode_close(int64_t number);

/// Decode callback data; nullopt when it is not one of the forms above.
std::optional<CallbackData> decode_callback(std::string_view data);

/// Parse a whole decimal integer (optional leading '-'); nullopt on anything else or overflow.
std::optional<int64_t> parse_int(std::string_view text);

} // namespace m2g::route
