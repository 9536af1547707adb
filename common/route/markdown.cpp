#include "common/route/markdown.hpp"

#include "common/route/text.hpp"

#include <algorithm>
#include <vector>

namespace m2g::route {
namespace {

// byte_at[u] = the byte offset of UTF-16 unit u (the end of a character for the unit inside
// a surrogate pair); byte_at[units] = text.size().
std::vector<size_t> unit_offsets(std::string_view text) {
  std::vector<size_t> byte_at;
  byte_at.reserve(text.size() + 1);
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    bool pair = next_code_point(text, pos) >= 0x10000;
    byte_at.push_back(start);
    if (pair) {
      byte_at.push_back(pos);
    }
  }
  byte_at.push_back(text.size());
  return byte_at;
}

struct Marker {
  size_t pos;
  bool open;
  size_t order; // entity index in opening order
  std::string text;
};

bool is_blank(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

int64_t field(const nlohmann::json& entity, const char* name) {
  auto it = entity.find(name);
  return it != entity.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

} // namespace

std::string to_markdown(std::string_view text, const nlohmann::json& entities) {
  if (!entities.is_array() || entities.empty()) {
    return std::string(text);
  }
  std::vector<size_t> byte_at = unit_offsets(text);
  size_t units = byte_at.size() - 1;

  struct Span {
    size_t begin, end;
    std::string type;
    const nlohmann::json* entity;
  };
  std::vector<Span> spans;
  for (const auto& entity : entities) {
    if (!entity.is_object()) {
      continue;
    }
    int64_t offset = field(entity, "offset");
    int64_t length = field(entity, "length");
    auto type_it = entity.find("type");
    // offset + length could pass int64 (Telegram's fields are any JSON integers): compare
    // without adding.
    if (offset < 0 || length <= 0 || static_cast<uint64_t>(offset) > units ||
        static_cast<uint64_t>(length) > units - static_cast<size_t>(offset) || type_it == entity.end() ||
        !type_it->is_string()) {
      continue;
    }
    spans.push_back({byte_at[static_cast<size_t>(offset)], byte_at[static_cast<size_t>(offset + length)],
                     type_it->get<std::string>(), &entity});
  }
  // Longer spans open first so that nested ones close inside them.
  std::stable_sort(spans.begin(), spans.end(),
                   [](const Span& a, const Span& b) { return a.begin != b.begin ? a.begin < b.begin : a.end > b.end; });

  std::vector<Marker> markers;
  std::vector<std::pair<size_t, size_t>> code_ranges; // nothing is marked up inside code
  for (size_t i = 0; i < spans.size(); ++i) {
    Span s = spans[i];
    bool inside_code = std::any_of(code_ranges.begin(), code_ranges.end(),
                                   [&](const auto& range) { return s.begin >= range.first && s.end <= range.second; });
    if (inside_code) {
      continue;
    }
    std::string open, close;
    if (s.type == "bold" || s.type == "italic" || s.type == "strikethrough" || s.type == "underline") {
      // "** bold**" is not bold in Markdown: keep the spaces outside the markers.
      while (s.begin < s.end && is_blank(text[s.begin])) {
        ++s.begin;
      }
      while (s.end > s.begin && is_blank(text[s.end - 1])) {
        --s.end;
      }
      if (s.begin == s.end) {
        continue;
      }
      if (s.type == "bold") {
        open = close = "**";
      } else if (s.type == "italic") {
        open = close = "*";
      } else if (s.type == "strikethrough") {
        open = close = "~~";
      } else {
        open = "<ins>";
        close = "</ins>";
      }
    } else if (s.type == "code") {
      bool has_tick = text.substr(s.begin, s.end - s.begin).find('`') != std::string_view::npos;
      open = has_tick ? "`` " : "`";
      close = has_tick ? " ``" : "`";
      code_ranges.emplace_back(s.begin, s.end);
    } else if (s.type == "pre") {
      std::string language;
      if (auto it = s.entity->find("language"); it != s.entity->end() && it->is_string()) {
        language = it->get<std::string>();
      }
      open = (s.begin > 0 && text[s.begin - 1] != '\n' ? "\n```" : "```") + language + "\n";
      close = (text[s.end - 1] == '\n' ? "```" : "\n```");
      code_ranges.emplace_back(s.begin, s.end);
    } else if (s.type == "text_link") {
      auto url = s.entity->find("url");
      if (url == s.entity->end() || !url->is_string()) {
        continue;
      }
      open = "[";
      close = "](" + url->get<std::string>() + ")";
    } else {
      continue;
    }
    markers.push_back({s.begin, true, i, std::move(open)});
    markers.push_back({s.end, false, i, std::move(close)});
  }
  // At one position: closes before opens; the innermost (opened last) closes first.
  std::stable_sort(markers.begin(), markers.end(), [](const Marker& a, const Marker& b) {
    if (a.pos != b.pos) {
      return a.pos < b.pos;
    }
    if (a.open != b.open) {
      return !a.open;
    }
    return a.open ? a.order < b.order : a.order > b.order;
  });

  std::string out;
  out.reserve(text.size() + 16 * markers.size());
  size_t at = 0;
  for (const auto& marker : markers) {
    out.append(text.substr(at, marker.pos - at));
    out += marker.text;
    at = marker.pos;
  }
  out.append(text.substr(at));
  return out;
}

void drop_prefix(std::string& text, nlohmann::json& entities, size_t bytes) {
  bytes = std::min(bytes, text.size());
  auto removed = static_cast<int64_t>(utf16_length(std::string_view(text).substr(0, bytes)));
  text.erase(0, bytes);
  if (!entities.is_array()) {
    return;
  }
  nlohmann::json kept = nlohmann::json::array();
  for (auto entity : entities) {
    if (!entity.is_object()) {
      continue;
    }
    int64_t offset = field(entity, "offset");
    int64_t length = field(entity, "length");
    if (offset < 0 || length <= 0) {
      continue;
    }
    // Saturate: an entity reaching past int64 reaches past any text.
    int64_t end = (length > INT64_MAX - offset ? INT64_MAX : offset + length) - removed;
    offset = std::max<int64_t>(offset - removed, 0);
    if (end <= offset) {
      continue;
    }
    entity["offset"] = offset;
    entity["length"] = end - offset;
    kept.push_back(std::move(entity));
  }
  entities = std::move(kept);
}

void trim_text(std::string& text, nlohmann::json& entities) {
  std::string_view kept = trim(text);
  size_t head = static_cast<size_t>(kept.data() - text.data());
  text.resize(head + kept.size());
  drop_prefix(text, entities, head);
  if (!entities.is_array()) {
    return;
  }
  auto units = static_cast<int64_t>(utf16_length(text));
  nlohmann::json kept_entities = nlohmann::json::array();
  for (auto entity : entities) {
    int64_t offset = field(entity, "offset");
    int64_t length = field(entity, "length");
    if (offset >= units) {
      continue;
    }
    entity["length"] = std::min(length, units - offset);
    kept_entities.push_back(std::move(entity));
  }
  entities = std::move(kept_entities);
}

} // namespace m2g::route
