#pragma once
// Reading notebook files: entry markers, TODO lines and issue lines, in m2g's format and in
// the formats the reference bot (msg2git) wrote, so a notebook it started keeps working.
//   entry   <!--[MSG] [CHAT] [YYYY-MM-DD HH:MM ZONE]-->          (m2g, one line)
//           <!--\n[MSG] [CHAT] [YYYY-MM-DD HH:MM] \n-->          (reference bot, three lines)
//   TODO    - [ ] <!--[MSG] [CHAT]--> text (YYYY-MM-DD)          (also "- [x]")
//           - [ ] [MSG] [CHAT] text (date), - [ ] [MSG] text (date)   (reference legacy)
//   issue   - 🟢 owner/repo#N [title](url)   /   - 🔴 ...           (also "- 🟢 [title](#N)")
// Everything returned points into the content it was parsed from.

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace m2g::commit {

/// The identity of an entry: the person's message in its chat.
struct EntryKey {
  int64_t message_id = 0;
  int64_t chat_id = 0;
  auto operator<=>(const EntryKey&) const = default;
};

struct EntryKeyHash {
  size_t operator()(const EntryKey& key) const {
    return std::hash<int64_t>()(key.message_id) * 31 + std::hash<int64_t>()(key.chat_id);
  }
};

/// The keys of every entry marker that starts a line of `content`, both marker forms.
std::vector<EntryKey> entry_keys(std::string_view content);

/// One TODO line.
struct TodoLine {
  bool done = false;
  int64_t message_id = 0;
  std::optional<int64_t> chat_id; ///< absent in the reference's oldest legacy form
  std::string_view text;
  std::string_view date;
  size_t box = 0; ///< offset in the content of the character between "[" and "]"
};

/// Every TODO line of `content`, in file order. Lines that are not TODO lines (headings,
/// notes, hand-written "- [ ] x" without an id) are not returned and never touched.
std::vector<TodoLine> todo_lines(std::string_view content);

/// One issue line.
struct IssueLine {
  bool open = true;
  std::string_view repo; ///< "owner/repo", empty in the fallback form
  int64_t number = 0;
  std::string_view title;
  std::string_view url;
  size_t emoji = 0; ///< offset in the content of the 4-byte state emoji
};

/// The state emojis (both four bytes of UTF-8, so flipping one changes no other offset).
inline constexpr std::string_view k_open_emoji = "\xF0\x9F\x9F\xA2";   // 🟢
inline constexpr std::string_view k_closed_emoji = "\xF0\x9F\x94\xB4"; // 🔴

/// Every issue line of `content`, in file order.
std::vector<IssueLine> issue_lines(std::string_view content);

} // namespace m2g::commit
