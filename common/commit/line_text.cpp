#include "common/commit/line_text.hpp"

#include "common/jsonl/scan.hpp"

#include <algorithm>
#include <charconv>

namespace m2g::commit {
namespace {

// Where the JSON value starting at `pos` ends (one past it), for compact text that jsonl::dump
// wrote; npos when it does not end.
size_t value_end(std::string_view text, size_t pos) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = pos; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) {
          return i + 1;
        }
      }
      continue;
    }
    switch (c) {
    case '"':
      in_string = true;
      break;
    case '{':
    case '[':
      ++depth;
      break;
    case '}':
    case ']':
      if (depth == 0) {
        return i; // the end of the enclosing object
      }
      if (--depth == 0) {
        return i + 1;
      }
      break;
    case ',':
      if (depth == 0) {
        return i;
      }
      break;
    default:
      break;
    }
  }
  return depth == 0 && !in_string ? text.size() : std::string_view::npos;
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
  if (jsonl::valid_utf8_prefix(text) != text.size()) {
    // Rare (lines are checked on the way in): nlohmann's replacement rules, by nlohmann.
    out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  out += '"';
  size_t plain = 0; // start of the run not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(text, plain, i - plain);
    plain = i + 1;
    out += '\\';
    switch (c) {
    case '"':
      out += '"';
      break;
    case '\\':
      out += '\\';
      break;
    case '\b':
      out += 'b';
      break;
    case '\t':
      out += 't';
      break;
    case '\n':
      out += 'n';
      break;
    case '\f':
      out += 'f';
      break;
    case '\r':
      out += 'r';
      break;
    default:
      out += "u00";
      out += k_hex[c >> 4];
      out += k_hex[c & 0xF];
      break;
    }
  }
  out.append(text, plain, text.size() - plain);
  out += '"';
}

size_t json_string_size(std::string_view text) {
  size_t size = text.size() + 2;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    bool short_form = c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    size += short_form ? 1 : 5;
  }
  return size;
}

void ObjectText::clear() {
  m_members.clear();
  m_scratch.clear();
}

void ObjectText::raw(std::string_view key, std::string_view json) {
  Member member;
  member.key = key;
  member.text = json;
  m_members.push_back(member);
}

void ObjectText::scratch_member(std::string_view key, size_t begin) {
  Member member;
  member.key = key;
  member.begin = begin;
  member.end = m_scratch.size();
  member.in_scratch = true;
  m_members.push_back(member);
}

void ObjectText::string(std::string_view key, std::string_view value) {
  size_t begin = m_scratch.size();
  append_json_string(m_scratch, value);
  scratch_member(key, begin);
}

void ObjectText::integer(std::string_view key, int64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  size_t begin = m_scratch.size();
  m_scratch.append(digits, end);
  scratch_member(key, begin);
}

void ObjectText::boolean(std::string_view key, bool value) {
  raw(key, value ? "true" : "false");
}

void ObjectText::value(std::string_view key, const nlohmann::json& value) {
  size_t begin = m_scratch.size();
  m_scratch += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  scratch_member(key, begin);
}

void ObjectText::members_of(std::string_view object) {
  size_t pos = 0;
  if (!object.empty() && object.front() == '{') {
    object = object.substr(1, object.size() >= 2 ? object.size() - 2 : 0);
  }
  while (pos < object.size()) {
    if (object[pos] != '"') {
      return; // not what jsonl::dump writes; nothing more is trusted
    }
    size_t key_end = value_end(object, pos);
    if (key_end == std::string_view::npos || key_end >= object.size() || object[key_end] != ':') {
      return;
    }
    size_t end = value_end(object, key_end + 1);
    if (end == std::string_view::npos) {
      return;
    }
    raw(object.substr(pos + 1, key_end - pos - 2), object.substr(key_end + 1, end - key_end - 1));
    pos = end + 1; // past the comma
  }
}

std::string ObjectText::finish() {
  // Stable: of two members with one key, the one added last ends up last, and wins below.
  std::stable_sort(m_members.begin(), m_members.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
  auto text_of = [this](const Member& m) {
    return m.in_scratch ? std::string_view(m_scratch).substr(m.begin, m.end - m.begin) : m.text;
  };
  size_t size = 2;
  for (const auto& m : m_members) {
    size += m.key.size() + 4 + text_of(m).size();
  }
  std::string out;
  out.reserve(size);
  out += '{';
  for (size_t i = 0; i < m_members.size(); ++i) {
    const Member& m = m_members[i];
    if (i + 1 < m_members.size() && m_members[i + 1].key == m.key) {
      continue;
    }
    if (out.size() > 1) {
      out += ',';
    }
    // Keys are the stage's own ASCII names, or raw text from members_of: written as they are.
    out += '"';
    out += m.key;
    out += "\":";
    out += text_of(m);
  }
  out += '}';
  clear();
  return out;
}

} // namespace m2g::commit
