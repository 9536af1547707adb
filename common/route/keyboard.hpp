#pragma once
// The inline keyboard that asks where to file a message: the six built-in targets, the chat's
// custom files, and CANCEL. Every button's callback_data fits Telegram's 64 bytes.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace m2g::route {

/// The keyboard for pending message `message_id`. Photos get no TODO button (a TODO is a line
/// of text). Custom files are addressed by their index in `custom_files`, which the pending
/// row keeps, so a later change of the list cannot redirect a click.
nlohmann::json filing_keyboard(int64_t message_id, bool photo, const std::vector<std::string>& custom_files);

/// A custom file's button text: "📄 " and the name without ".md", shortened at a character
/// boundary.
std::string custom_file_label(const std::string& file);

} // namespace m2g::route
