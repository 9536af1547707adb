#pragma once
// Writing notebook files, byte for byte in the formats man/m2g-commit.1 documents: entries
// (note.md, idea.md, inbox.md, tool.md, custom files), TODO lines and issue lines. The
// inputs are already neutralized (text.hpp); these functions only lay them out.

#include "common/commit/tz.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace m2g::commit {

/// "YYYY-MM-DD HH:MM" of Unix time `date` in `zone`.
std::string format_stamp(const TimeZone& zone, int64_t date);
/// "YYYY-MM-DD" of Unix time `date` in `zone`.
std::string format_day(const TimeZone& zone, int64_t date);

/// An entry:
///   <!--[MSG] [CHAT] [YYYY-MM-DD HH:MM ZONE]-->
///   ## title
///   #tag1 #tag2          (`tags`, only when there are some)
///   body                 (only when there is a body)
///   (blank line)
std::string format_entry(int64_t message_id, int64_t chat_id, const TimeZone& zone, int64_t date,
                         std::string_view title, std::string_view tags, std::string_view body);

/// A TODO line: "- [ ] <!--[MSG] [CHAT]--> text (YYYY-MM-DD)\n".
std::string format_todo(int64_t message_id, int64_t chat_id, std::string_view text, std::string_view day);

/// An issue line: "- 🟢 owner/repo#N [title](url)\n".
std::string format_issue(std::string_view repo, int64_t number, std::string_view title, std::string_view url);

} // namespace m2g::commit
