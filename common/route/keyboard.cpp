#include "common/route/keyboard.hpp"

#include "common/route/callback_data.hpp"
#include "common/route/targets.hpp"
#include "common/route/text.hpp"

namespace m2g::route {

using json = nlohmann::json;

std::string custom_file_label(const std::string& file) {
  std::string_view name = file;
  if (name.size() > 3 && name.substr(name.size() - 3) == ".md") {
    name.remove_suffix(3);
  }
  return "📄 " + shorten(name, 28);
}

json filing_keyboard(int64_t message_id, bool photo, const std::vector<std::string>& custom_files) {
  json rows = json::array();
  json row = json::array();
  for (const auto& target : k_targets) {
    if (photo && target.name == "todo") {
      continue;
    }
    row.push_back({{"text", std::string(target.emoji) + " " + std::string(target.label)},
                   {"callback_data", encode_file(target.name, message_id)}});
    if (row.size() == 3) {
      rows.push_back(std::move(row));
      row = json::array();
    }
  }
  if (!row.empty()) {
    rows.push_back(std::move(row));
    row = json::array();
  }
  for (size_t i = 0; i < custom_files.size(); ++i) {
    row.push_back({{"text", custom_file_label(custom_files[i])}, {"callback_data", encode_file_custom(i, message_id)}});
    if (row.size() == 2) {
      rows.push_back(std::move(row));
      row = json::array();
    }
  }
  if (!row.empty()) {
    rows.push_back(std::move(row));
  }
  rows.push_back(json::array({{{"text", "❌ CANCEL"}, {"callback_data", encode_cancel(message_id)}}}));
  return {{"inline_keyboard", std::move(rows)}};
}

} // namespace m2g::route
