#include "common/llm/reply.hpp"

#include "common/llm/text.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace m2g::llm {
namespace {

using json = nlohmann::json;

// How many '{' positions to try before giving up on a long, chatty reply.
constexpr int k_max_candidates = 16;

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

// Reasoning models (DeepSeek-R1 through Ollama, QwQ) put their thoughts in the content.
std::string strip_think(std::string_view content) {
  std::string out;
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t open = content.find("<think>", pos);
    if (open == std::string_view::npos) {
      out.append(content.substr(pos));
      break;
    }
    out.append(content.substr(pos, open - pos));
    size_t close = content.find("</think>", open);
    pos = close == std::string_view::npos ? open + 7 : close + 8; // unterminated: drop the tag only
  }
  return out;
}

// One past the '}' that closes the object opening at `open`, honoring strings; npos if none.
size_t object_end(std::string_view text, size_t open) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// `text` without commas that directly precede '}' or ']' outside strings: a common model slip.
std::string drop_trailing_commas(std::string_view text) {
  std::string out;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ',') {
      size_t next = text.find_first_not_of(" \t\r\n", i + 1);
      if (next != std::string_view::npos && (text[next] == '}' || text[next] == ']')) {
        continue;
      }
    }
    out += c;
  }
  return out;
}

const json* find_key(const json& object, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (iequals(it.key(), name)) {
        return &it.value();
      }
    }
  }
  return nullptr;
}

std::string scalar_text(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_number()) {
    return value.dump();
  }
  return {};
}

std::string title_of(const json& value) {
  if (value.is_array()) {
    std::string joined;
    for (const auto& part : value) {
      std::string text = scalar_text(part);
      if (!text.empty()) {
        joined += (joined.empty() ? "" : " ") + text;
      }
    }
    return joined;
  }
  return scalar_text(value);
}

// Raw tag strings: an array of tags, or one string "#a #b, c".
std::vector<std::string> raw_tags(const json& value) {
  std::vector<std::string> out;
  auto split = [&out](std::string_view text) {
    std::string spaced(text);
    for (char& c : spaced) {
      c = c == ',' || c == ';' ? ' ' : c;
    }
    for (std::string_view word : split_words(spaced)) {
      out.emplace_back(word);
    }
  };
  if (value.is_array()) {
    for (const auto& item : value) {
      std::string text = scalar_text(item);
      // One element is one tag ("machine learning"), unless it is itself a list of #tags.
      if (std::count(text.begin(), text.end(), '#') > 1 || text.find(',') != std::string::npos) {
        split(text);
      } else if (!text.empty()) {
        out.push_back(text);
      }
    }
  } else {
    split(scalar_text(value));
  }
  return out;
}

std::vector<std::string> hashtags_of(const std::vector<std::string>& raw) {
  std::vector<std::string> tags;
  for (const auto& item : raw) {
    std::string tag = normalize_hashtag(item);
    bool seen = false;
    for (const auto& kept : tags) {
      seen = seen || iequals(kept, tag);
    }
    if (!tag.empty() && !seen && tags.size() < k_max_hashtags) {
      tags.push_back(std::move(tag));
    }
  }
  return tags;
}

std::optional<TitleReply> from_object(const json& object) {
  const json* title = find_key(object, {"title", "heading"});
  if (title == nullptr) {
    return std::nullopt;
  }
  TitleReply reply{normalize_title(title_of(*title)), {}};
  if (reply.title.empty()) {
    return std::nullopt;
  }
  if (const json* tags = find_key(object, {"hashtags", "tags", "hashtag", "tag"}); tags != nullptr) {
    reply.hashtags = hashtags_of(raw_tags(*tags));
  }
  return reply;
}

// The reference bot's format, "title|#tag1 #tag2", from models that ignore the JSON request.
std::optional<TitleReply> from_pipe_format(std::string_view text) {
  text = trim(text);
  size_t bar = text.find('|');
  if (bar == std::string_view::npos || text.find('\n') != std::string_view::npos) {
    return std::nullopt;
  }
  TitleReply reply{normalize_title(text.substr(0, bar)), {}};
  if (reply.title.empty()) {
    return std::nullopt;
  }
  reply.hashtags = hashtags_of(raw_tags(json(std::string(text.substr(bar + 1)))));
  return reply;
}

bool is_punctuation(char32_t c) {
  return (c >= 0xA1 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F) ||
         (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
         (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0xFFFD;
}

} // namespace

std::optional<TitleReply> parse_title_reply(std::string_view content) {
  std::string text = strip_think(content);
  int tried = 0;
  for (size_t open = text.find('{'); open != std::string::npos && tried < k_max_candidates;
       open = text.find('{', open + 1), ++tried) {
    size_t end = object_end(text, open);
    if (end == std::string::npos) {
      break; // nothing after this point closes
    }
    std::string_view candidate(text.data() + open, end - open);
    json object = json::parse(candidate, nullptr, false);
    if (object.is_discarded()) {
      object = json::parse(drop_trailing_commas(candidate), nullptr, false);
    }
    if (object.is_object()) {
      if (auto reply = from_object(object)) {
        return reply;
      }
    }
  }
  if (text.find('{') == std::string::npos) {
    std::string_view body = trim(text);
    // A fenced block without JSON: look inside it.
    if (body.substr(0, 3) == "```") {
      size_t first_newline = body.find('\n');
      size_t close = body.rfind("```");
      if (first_newline != std::string_view::npos && close > first_newline) {
        body = body.substr(first_newline + 1, close - first_newline - 1);
      }
    }
    return from_pipe_format(body);
  }
  return std::nullopt;
}

std::string normalize_hashtag(std::string_view raw) {
  std::string body;
  bool pending_gap = false;
  for (size_t pos = 0; pos < raw.size();) {
    CodePoint cp = decode_at(raw, pos);
    std::string_view bytes = raw.substr(pos, cp.length);
    pos += cp.length;
    bool word = cp.value < 0x80 ? (std::isalnum(static_cast<unsigned char>(cp.value)) != 0 || cp.value == '_')
                                : !is_space(cp.value) && !is_punctuation(cp.value);
    bool gap = is_space(cp.value) || cp.value == '-';
    if (word) {
      if (pending_gap && !body.empty() && body.back() != '_') {
        body += '_';
      }
      pending_gap = false;
      body.append(bytes);
    } else if (gap) {
      pending_gap = true;
    }
  }
  while (!body.empty() && body.back() == '_') {
    body.pop_back();
  }
  size_t lead = body.find_first_not_of('_');
  body = lead == std::string::npos ? std::string() : body.substr(lead);
  if (body.empty()) {
    return {};
  }
  return "#" + std::string(cut_utf8(body, k_max_hashtag_bytes));
}

std::string normalize_title(std::string_view raw) {
  std::string_view text = trim(raw);
  static constexpr std::string_view k_labels[] = {"title:", "**title:**", "title -"};
  // Wrapping quotes or bold markers, possibly nested ("**\"x\"**").
  static constexpr std::pair<std::string_view, std::string_view> k_wrappers[] = {
      {"\"", "\""}, {"'", "'"},   {"“", "”"},   {"‘", "’"}, {"«", "»"},
      {"「", "」"}, {"『", "』"}, {"**", "**"}, {"`", "`"}};
  for (bool again = true; again;) {
    again = false;
    for (std::string_view label : k_labels) {
      if (text.size() >= label.size() && iequals(text.substr(0, label.size()), label)) {
        text = trim(text.substr(label.size()));
        again = true;
      }
    }
    if (text.size() >= 2 && text.back() == '.' && text[text.size() - 2] != '.') {
      text = trim(text.substr(0, text.size() - 1)); // a final period, not an ellipsis
      again = true;
    }
    for (auto [open, close] : k_wrappers) {
      if (text.size() >= open.size() + close.size() && text.substr(0, open.size()) == open &&
          text.substr(text.size() - close.size()) == close) {
        text = trim(text.substr(open.size(), text.size() - open.size() - close.size()));
        again = true;
      }
    }
  }
  bool cut = false;
  std::string title = first_words(text, k_max_title_words, cut);
  if (!cut) {
    return shorten(title, k_max_title_bytes);
  }
  std::string shortened = shorten(title, k_max_title_bytes - 3);
  return shortened.size() < title.size() ? shortened : title + "…";
}

} // namespace m2g::llm
