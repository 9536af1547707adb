#include "common/commit/markers.hpp"

namespace m2g::commit {
namespace {

// value = value * 10 + digit, false (value unchanged) when that would pass INT64_MAX: a file
// may hold any digits, and a 19-digit id overflowed (undefined behaviour) before.
bool push_digit(int64_t& value, char digit) {
  int d = digit - '0';
  if (value > (INT64_MAX - d) / 10) {
    return false;
  }
  value = value * 10 + d;
  return true;
}

// A cursor over one line (or a few, for the reference's three-line marker).
struct Scan {
  std::string_view s;
  size_t pos = 0;
  bool eat(std::string_view word) {
    if (s.substr(pos, word.size()) == word) {
      pos += word.size();
      return true;
    }
    return false;
  }
  // "[digits]" with an optional leading "-" when `negative` is allowed.
  bool bracketed_number(int64_t& out, bool negative) {
    size_t start = pos;
    if (!eat("[")) {
      return false;
    }
    bool minus = negative && eat("-");
    size_t digits = pos;
    int64_t value = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (!push_digit(value, s[pos])) {
        pos = start;
        return false;
      }
      ++pos;
    }
    if (pos == digits || !eat("]")) {
      pos = start;
      return false;
    }
    out = minus ? -value : value;
    return true;
  }
  void skip_blanks() {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n')) {
      ++pos;
    }
  }
};

// Calls `each(line, offset)` for every line of `content`.
template <typename F> void for_each_line(std::string_view content, F each) {
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) {
      end = content.size();
    }
    std::string_view line = content.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    each(line, start);
    start = end + 1;
  }
}

// Split "text (date)" at its last " (" when the line ends in ")".
void split_date(std::string_view rest, std::string_view& text, std::string_view& date) {
  text = rest;
  date = {};
  if (!rest.empty() && rest.back() == ')') {
    size_t open = rest.rfind(" (");
    if (open != std::string_view::npos) {
      text = rest.substr(0, open);
      date = rest.substr(open + 2, rest.size() - open - 3);
    }
  }
}

} // namespace

std::vector<EntryKey> entry_keys(std::string_view content) {
  std::vector<EntryKey> keys;
  size_t at = 0;
  while ((at = content.find("<!--", at)) != std::string_view::npos) {
    bool line_start = at == 0 || content[at - 1] == '\n';
    Scan scan{content, at + 4};
    at += 4;
    if (!line_start) {
      continue;
    }
    // The reference writes "<!--\n[MSG] [CHAT] [date] \n-->"; m2g writes it on one line.
    (void)(scan.eat("\n") || scan.eat("\r\n"));
    EntryKey key;
    if (!scan.bracketed_number(key.message_id, false) || !scan.eat(" ") || !scan.bracketed_number(key.chat_id, true)) {
      continue;
    }
    keys.push_back(key);
  }
  return keys;
}

std::vector<TodoLine> todo_lines(std::string_view content) {
  std::vector<TodoLine> out;
  for_each_line(content, [&](std::string_view line, size_t offset) {
    Scan scan{line};
    if (!scan.eat("- [") || scan.pos >= line.size()) {
      return;
    }
    char box = line[scan.pos];
    if (box != ' ' && box != 'x' && box != 'X') {
      return;
    }
    TodoLine todo;
    todo.done = box != ' ';
    todo.box = offset + scan.pos;
    ++scan.pos;
    if (!scan.eat("] ")) {
      return;
    }
    int64_t chat = 0;
    bool strong = false; // m2g's marker: no date suffix needed to know it is a TODO
    if (scan.eat("<!--")) {
      if (!scan.bracketed_number(todo.message_id, false) || !scan.eat(" ") || !scan.bracketed_number(chat, true) ||
          !scan.eat("-->")) {
        return;
      }
      todo.chat_id = chat;
      strong = true;
    } else if (scan.bracketed_number(todo.message_id, false)) {
      size_t before = scan.pos;
      if (scan.eat(" ") && scan.bracketed_number(chat, true)) {
        todo.chat_id = chat;
      } else {
        scan.pos = before;
      }
    } else {
      return;
    }
    scan.eat(" ");
    split_date(line.substr(scan.pos), todo.text, todo.date);
    if (todo.date.empty() && !strong) {
      return; // the reference's legacy forms always end in "(date)"
    }
    out.push_back(todo);
  });
  return out;
}

std::vector<IssueLine> issue_lines(std::string_view content) {
  std::vector<IssueLine> out;
  for_each_line(content, [&](std::string_view line, size_t offset) {
    Scan scan{line};
    if (!scan.eat("- ")) {
      return;
    }
    IssueLine issue;
    issue.emoji = offset + scan.pos;
    if (scan.eat(k_open_emoji)) {
      issue.open = true;
    } else if (scan.eat(k_closed_emoji)) {
      issue.open = false;
    } else {
      return;
    }
    if (!scan.eat(" ")) {
      return;
    }
    auto parse_title = [&] {
      // "[title]" with "\]" escapes; then an optional "(url)".
      if (!scan.eat("[")) {
        return false;
      }
      size_t start = scan.pos;
      while (scan.pos < line.size() && line[scan.pos] != ']') {
        scan.pos += line[scan.pos] == '\\' ? 2 : 1;
      }
      if (scan.pos >= line.size()) {
        return false;
      }
      issue.title = line.substr(start, scan.pos - start);
      ++scan.pos;
      if (scan.eat("(")) {
        size_t close = line.find(')', scan.pos);
        if (close != std::string_view::npos) {
          issue.url = line.substr(scan.pos, close - scan.pos);
          scan.pos = close + 1;
        }
      }
      return true;
    };
    if (scan.s.substr(scan.pos, 1) == "[") {
      // Fallback form "[title](#N)".
      if (!parse_title() || issue.url.size() < 2 || issue.url.front() != '#') {
        return;
      }
      int64_t n = 0;
      for (char c : issue.url.substr(1)) {
        if (c < '0' || c > '9' || !push_digit(n, c)) {
          return;
        }
      }
      issue.number = n;
      out.push_back(issue);
      return;
    }
    size_t hash = line.find('#', scan.pos);
    if (hash == std::string_view::npos) {
      return;
    }
    issue.repo = line.substr(scan.pos, hash - scan.pos);
    if (issue.repo.find('/') == std::string_view::npos || issue.repo.find(' ') != std::string_view::npos) {
      return;
    }
    scan.pos = hash + 1;
    size_t digits = scan.pos;
    while (scan.pos < line.size() && line[scan.pos] >= '0' && line[scan.pos] <= '9' && scan.pos - digits < 18) {
      issue.number = issue.number * 10 + (line[scan.pos] - '0');
      ++scan.pos;
    }
    if (scan.pos == digits || (scan.pos < line.size() && line[scan.pos] != ' ')) {
      return; // "#12" must end at a space or the line's end, so it never matches "#120"
    }
    if (scan.eat(" ")) {
      parse_title();
    }
    out.push_back(issue);
  });
  return out;
}

} // namespace m2g::commit
