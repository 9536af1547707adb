#include "common/commit/format.hpp"

#include "common/commit/markers.hpp"
#include "common/commit/text.hpp"

#include <cstdio>

namespace m2g::commit {

std::string format_stamp(const TimeZone& zone, int64_t date) {
  LocalTime t = zone.local(date);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour, t.minute);
  return buf;
}

std::string format_day(const TimeZone& zone, int64_t date) {
  LocalTime t = zone.local(date);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
  return buf;
}

std::string format_entry(int64_t message_id, int64_t chat_id, const TimeZone& zone, int64_t date,
                         std::string_view title, std::string_view tags, std::string_view body) {
  std::string out = "<!--[" + std::to_string(message_id) + "] [" + std::to_string(chat_id) + "] [" +
                    format_stamp(zone, date) + " " + zone.name() + "]-->\n";
  out += "## ";
  out += title;
  out += '\n';
  if (!tags.empty()) {
    out += tags;
    out += '\n';
  }
  if (!body.empty()) {
    out += body;
    out += '\n';
  }
  out += '\n';
  return out;
}

std::string format_todo(int64_t message_id, int64_t chat_id, std::string_view text, std::string_view day) {
  return "- [ ] <!--[" + std::to_string(message_id) + "] [" + std::to_string(chat_id) + "]--> " + std::string(text) +
         " (" + std::string(day) + ")\n";
}

std::string format_issue(std::string_view repo, int64_t number, std::string_view title, std::string_view url) {
  return "- " + std::string(k_open_emoji) + " " + std::string(repo) + "#" + std::to_string(number) + " [" +
         link_text(title) + "](" + std::string(url) + ")\n";
}

} // namespace m2g::commit
