#include "common/route/callback_data.hpp"

#include "common/route/targets.hpp"

#include <charconv>

namespace m2g::route {
namespace {

// Split "a:b:c" into at most `n` parts; false when there are more.
bool split(std::string_view data, std::string_view* parts, size_t n, size_t& count) {
  count = 0;
  while (true) {
    if (count == n) {
      return false;
    }
    auto colon = data.find(':');
    parts[count++] = data.substr(0, colon);
    if (colon == std::string_view::npos) {
      return true;
    }
    data.remove_prefix(colon + 1);
  }
}

std::optional<int64_t> parse_positive(std::string_view text) {
  auto value = parse_int(text);
  return value && *value > 0 ? value : std::nullopt;
}

} // namespace

std::optional<int64_t> parse_int(std::string_view text) {
  if (text.empty() || text.front() == '+') {
    return std::nullopt;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::string encode_file(std::string_view target, int64_t message_id) {
  return "f:" + std::string(target) + ":" + std::to_string(message_id);
}

std::string encode_file_custom(size_t index, int64_t message_id) {
  return "f:c" + std::to_string(index) + ":" + std::to_string(message_id);
}

std::string encode_cancel(int64_t message_id) {
  return "x:" + std::to_string(message_id);
}

namespace {

constexpr std::string_view k_done = "done";
constexpr std::string_view k_close = "close";

Result<std::string> signed_button(std::string_view op, int64_t object, int64_t chat_id, const ButtonSigner& signer) {
  auto mac = signer.sign(op, object, chat_id);
  if (!mac) {
    return mac.failure();
  }
  return std::string(op) + ":" + std::to_string(object) + ":" + *mac;
}

bool plausible_mac(std::string_view mac) {
  if (mac.size() != k_button_mac_chars) {
    return false;
  }
  for (char c : mac) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

} // namespace

Result<std::string> encode_done(int64_t message_id, int64_t chat_id, const ButtonSigner& signer) {
  return signed_button(k_done, message_id, chat_id, signer);
}

Result<std::string> encode_close(int64_t number, int64_t chat_id, const ButtonSigner& signer) {
  return signed_button(k_close, number, chat_id, signer);
}

bool verify_callback(const CallbackData& data, int64_t chat_id, const ButtonSigner& signer) {
  switch (data.op) {
  case CallbackData::Op::done:
    return signer.verify(k_done, data.message_id, chat_id, data.mac);
  case CallbackData::Op::close:
    return signer.verify(k_close, data.number, chat_id, data.mac);
  default:
    return true;
  }
}

std::optional<CallbackData> decode_callback(std::string_view data) {
  if (data.empty() || data.size() > k_max_callback_bytes) {
    return std::nullopt;
  }
  std::string_view parts[3];
  size_t count = 0;
  if (!split(data, parts, 3, count)) {
    return std::nullopt;
  }
  CallbackData out;
  if (parts[0] == "f" && count == 3) {
    auto message_id = parse_positive(parts[2]);
    if (!message_id) {
      return std::nullopt;
    }
    out.message_id = *message_id;
    if (parts[1].size() >= 2 && parts[1][0] == 'c' && parts[1][1] >= '0' && parts[1][1] <= '9') {
      auto index = parse_int(parts[1].substr(1));
      if (!index || *index < 0 || *index > 1000) {
        return std::nullopt;
      }
      out.op = CallbackData::Op::file_custom;
      out.custom_index = static_cast<size_t>(*index);
      return out;
    }
    if (!find_target(parts[1])) {
      return std::nullopt;
    }
    out.op = CallbackData::Op::file;
    out.target = std::string(parts[1]);
    return out;
  }
  if (parts[0] == "x" && count == 2) {
    auto message_id = parse_positive(parts[1]);
    if (!message_id) {
      return std::nullopt;
    }
    out.op = CallbackData::Op::cancel;
    out.message_id = *message_id;
    return out;
  }
  // Unsigned done and close buttons (before MACs, or invented) decode to nothing.
  if (parts[0] == k_done && count == 3 && plausible_mac(parts[2])) {
    auto message_id = parse_positive(parts[1]);
    if (!message_id) {
      return std::nullopt;
    }
    out.op = CallbackData::Op::done;
    out.message_id = *message_id;
    out.mac = std::string(parts[2]);
    return out;
  }
  if (parts[0] == k_close && count == 3 && plausible_mac(parts[2])) {
    auto number = parse_positive(parts[1]);
    if (!number) {
      return std::nullopt;
    }
    out.op = CallbackData::Op::close;
    out.number = *number;
    out.mac = std::string(parts[2]);
    return out;
  }
  return std::nullopt;
}

} // namespace m2g::route
