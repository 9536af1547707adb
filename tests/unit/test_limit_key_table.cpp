#include "common/limit/key_table.hpp"

#include <doctest/doctest.h>
#include <random>
#include <unordered_map>

using namespace m2g::limit;

TEST_SUITE("limit") {
  TEST_CASE("m2g::limit::KeyTable") {
    SUBCASE("put and find") {
      KeyTable table;
      CHECK(table.find(100) == nullptr);
      table.put(100, 5, 0);
      REQUIRE(table.find(100) != nullptr);
      CHECK(*table.find(100) == 5);
      table.put(100, 7, 0);
      CHECK(*table.find(100) == 7);
      CHECK(table.size() == 1);
    }
    SUBCASE("a sweep forgets full buckets and keeps the others") {
      KeyTable table;
      for (uint64_t k = 2; k < 502; ++k) {
        table.put(k * 0x9e3779b97f4a7c15ULL, static_cast<int64_t>(k % 2 == 0 ? 100 : 1000), 0);
      }
      table.sweep(500, table.capacity());
      CHECK(table.size() == 250);
      for (uint64_t k = 2; k < 502; ++k) {
        bool kept = table.find(k * 0x9e3779b97f4a7c15ULL) != nullptr;
        CHECK(kept == (k % 2 == 1));
      }
    }
    SUBCASE("agrees with a reference map under random puts and sweeps (backward-shift deletion)") {
      KeyTable table(1'000'000, 64);
      std::unordered_map<uint64_t, int64_t> reference;
      std::mt19937_64 random(7);
      int64_t now = 0;
      for (int step = 0; step < 200'000; ++step) {
        now += 1;
        // Few distinct hashes with crowded low bits, so probe runs are long and wrap around.
        uint64_t hash = 2 + (random() % 5000) * 64;
        int64_t full_at = now + static_cast<int64_t>(random() % 3000);
        table.put(hash, full_at, now);
        reference[hash] = full_at;
        if (step % 1000 == 0) {
          table.sweep(now, table.capacity());
        }
      }
      for (const auto& [hash, full_at] : reference) {
        int64_t* found = table.find(hash);
        if (full_at > now) {
          REQUIRE(found != nullptr); // a bucket that is not full must never be forgotten
          CHECK(*found == full_at);
        } else if (found) {
          CHECK(*found == full_at);
        }
      }
    }
    SUBCASE("1,000,000 distinct keys: idle buckets are evicted, the table stays small") {
      KeyTable table;
      // Each key spends one token of a 30/s bucket: full again 33 ms later. Keys arrive at
      // 100,000/s, so about 3,300 are live at any moment.
      const int64_t cost = 33'333'334;
      int64_t now = 0;
      size_t largest = 0;
      for (uint64_t k = 0; k < 1'000'000; ++k) {
        now += 10'000; // 10 us
        table.put((k + 1) * 0x9e3779b97f4a7c15ULL | 2, now + cost, now);
        largest = std::max(largest, table.capacity());
      }
      CHECK(table.size() < 10'000);
      CHECK(largest <= 16'384);
      CHECK(table.bytes() <= 16'384 * 16);
      CHECK(table.forced_evictions() == 0);
      // Idle: maintenance sweeps bring memory back down.
      now += 1'000'000'000;
      for (int i = 0; i < 8; ++i) {
        table.sweep(now, table.capacity());
      }
      CHECK(table.size() == 0);
      CHECK(table.capacity() == 1024);
    }
    SUBCASE("at its maximum the table forgets the bucket nearest to full instead of growing") {
      KeyTable table(1000, 16);
      for (uint64_t k = 0; k < 100'000; ++k) {
        table.put((k + 1) * 0x9e3779b97f4a7c15ULL | 2, 1'000'000 + static_cast<int64_t>(k), 0);
      }
      CHECK(table.capacity() <= 2048);
      CHECK(table.size() <= 2048);
      CHECK(table.forced_evictions() > 0);
      // The newest keys (furthest from full) are all still there.
      CHECK(table.find((100'000) * 0x9e3779b97f4a7c15ULL | 2) != nullptr);
    }
  }
}
