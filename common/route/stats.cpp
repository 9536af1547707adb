#include "common/route/stats.hpp"

#include "common/route/targets.hpp"
#include "common/route/text.hpp"
#include "common/route/tz.hpp"

#include <algorithm>

namespace m2g::route {
namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS route_stats (
  chat_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  target TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (chat_id, day, target)
);
)sql";

const char* square(int64_t count) {
  if (count == 0) {
    return "⬜";
  }
  if (count <= 2) {
    return "🟩";
  }
  if (count <= 5) {
    return "🟨";
  }
  if (count <= 10) {
    return "🟧";
  }
  return "🟥";
}

std::string target_label(const std::string& target) {
  if (const Target* t = find_target(target)) {
    return std::string(t->emoji) + " " + std::string(t->name);
  }
  return "📄 " + html_escape(shorten(target, 40));
}

} // namespace

Result<StatsStore> StatsStore::open(sqlite::Db& db) {
  M2G_TRY(db.exec(k_schema));
  return StatsStore(db);
}

Result<void> StatsStore::record(int64_t chat_id, int64_t day, const std::string& target) {
  auto stmt = m_db->prepare("INSERT INTO route_stats (chat_id, day, target, count) VALUES (?, ?, ?, 1) "
                            "ON CONFLICT (chat_id, day, target) DO UPDATE SET count = count + 1");
  if (!stmt) {
    return stmt.failure();
  }
  stmt->bind(1, chat_id).bind(2, day).bind(3, target);
  return stmt->run();
}

Result<Summary> StatsStore::summarize(const char* where, int64_t chat_id, int64_t since_day) {
  Summary out;
  auto by_target = m_db->prepare(std::string("SELECT target, sum(count) FROM route_stats WHERE ") + where +
                                 " GROUP BY target ORDER BY sum(count) DESC, target");
  auto by_day = m_db->prepare(std::string("SELECT day, sum(count) FROM route_stats WHERE ") + where +
                              " AND day >= ? GROUP BY day");
  auto chats = m_db->prepare(std::string("SELECT count(DISTINCT chat_id) FROM route_stats WHERE ") + where);
  if (!by_target || !by_day || !chats) {
    return (!by_target ? by_target.failure() : !by_day ? by_day.failure() : chats.failure());
  }
  by_target->bind(1, chat_id);
  by_day->bind(1, chat_id).bind(2, since_day);
  chats->bind(1, chat_id);
  for (;;) {
    auto row = by_target->step();
    if (!row) {
      return row.failure();
    }
    if (!*row) {
      break;
    }
    int64_t n = by_target->column_int64(1);
    out.per_target.emplace_back(std::string(by_target->column_text(0)), n);
    out.total += n;
  }
  for (;;) {
    auto row = by_day->step();
    if (!row) {
      return row.failure();
    }
    if (!*row) {
      break;
    }
    out.per_day[by_day->column_int64(0)] = by_day->column_int64(1);
  }
  auto row = chats->step();
  if (!row) {
    return row.failure();
  }
  out.chats = chats->column_int64(0);
  chats->reset();
  return out;
}

Result<Summary> StatsStore::chat(int64_t chat_id, int64_t since_day) {
  return summarize("chat_id = ?", chat_id, since_day);
}

Result<Summary> StatsStore::global(int64_t since_day) {
  // "? IS NOT NULL" keeps one binding layout for both queries.
  return summarize("? IS NOT NULL", 0, since_day);
}

std::string activity_grid(const std::map<int64_t, int64_t>& per_day, int64_t today) {
  std::string out;
  for (int64_t i = 0; i < 30; ++i) {
    int64_t day = today - 29 + i;
    auto it = per_day.find(day);
    out += square(it == per_day.end() ? 0 : it->second);
    if (i % 10 == 9 && i != 29) {
      out += '\n';
    }
  }
  return out;
}

std::string render_summary(const Summary& s, int64_t today, bool global) {
  int64_t last30 = 0, max_day = 0, max_count = 0, today_count = 0;
  for (const auto& [day, count] : s.per_day) {
    if (day > today - 30 && day <= today) {
      last30 += count;
      if (count > max_count) {
        max_count = count;
        max_day = day;
      }
    }
    if (day == today) {
      today_count = count;
    }
  }
  std::string out = global ? "📊 <b>Usage of all chats</b>\n" : "📊 <b>Your usage</b>\n";
  if (global) {
    out += "Chats: " + std::to_string(s.chats) + "\n";
  }
  out += "Messages filed: " + std::to_string(s.total) + " (last 30 days: " + std::to_string(last30) +
         ", today: " + std::to_string(today_count) + ")\n";
  if (!s.per_target.empty()) {
    out += "\n<b>Per target</b>\n";
    for (const auto& [target, count] : s.per_target) {
      out += target_label(target) + ": " + std::to_string(count) + "\n";
    }
  }
  out += "\n<b>Last 7 days</b>\n";
  for (int64_t day = today - 6; day <= today; ++day) {
    auto it = s.per_day.find(day);
    int64_t count = it == s.per_day.end() ? 0 : it->second;
    out += "<code>" + day_string(day) + "</code> " + std::string(square(count)) + " " + std::to_string(count) + "\n";
  }
  out += "\n<b>30-day activity</b>\n" + activity_grid(s.per_day, today) + "\n";
  if (max_count > 0) {
    out += "Busiest day: " + day_string(max_day) + " (" + std::to_string(max_count) + ")\n";
  }
  out += "⬜ 0 · 🟩 1–2 · 🟨 3–5 · 🟧 6–10 · 🟥 more";
  return out;
}

} // namespace m2g::route
