#include "common/commit/format.hpp"

#include "common/commit/markers.hpp"
#include "common/commit/text.hpp"

#include <cstdio>

namespace m2g::commit {

namespace {
// `value` (0 <= value < 10^width) as exactly `width` digits, zero-padded. snprintf was a tenth
// of planning a batch of ten thousand entries.
void put_digits(char* at, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}
} // namespace

std::string format_stamp(const TimeZone& zone, int64_t date) {
  LocalTime t = zone.local(date);
  if (t.year < 0 || t.year > 9999) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour, t.minute);
    return buf;
  }
  std::string out = "0000-00-00 00:00";
  put_digits(&out[0], t.year, 4);
  put_digits(&out[5], t.month, 2);
  put_digits(&out[8], t.day, 2);
  put_digits(&out[11], t.hour, 2);
  put_digits(&out[14], t.minute, 2);
  return out;
}

std::string format_day(const TimeZone& zone, int64_t date) {
  LocalTime t = zone.local(date);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
  return buf;
}

std::string format_entry(int64_t message_id, int64_t chat_id, const TimeZone& zone, int64_t date,
                         std::string_view title, std::string_view tags, std::string_view body) {
  // One buffer of the right size: ten thousand entries are planned in one batch.
  std::string stamp = format_stamp(zone, date);
  std::string out;
  out.reserve(64 + stamp.size() + zone.name().size() + title.size() + tags.size() + body.size());
  out += "<!--[";
  out += std::to_string(message_id);
  out += "] [";
  out += std::to_string(chat_id);
  out += "] [";
  out += stamp;
  out += ' ';
  out += zone.name();
  out += "]-->\n## ";
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
