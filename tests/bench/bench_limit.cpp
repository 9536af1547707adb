// bench-limit: admission decisions per second in-process, and the cost of the whole per-line
// path (find the key in the raw line, hash it, decide). Heap allocations are counted by
// replacing operator new. Each figure is the median of 5 runs.
//
//   bench-limit [DECISIONS_PER_RUN [SECTION]]   (SECTION: decide, arithmetic or line; default all)
#include "common/limit/key_path.hpp"
#include "common/limit/limiter.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <new>
#include <string>
#include <vector>

namespace {
std::atomic<uint64_t> g_allocations{0};
} // namespace

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) {
    return p;
  }
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace {

using namespace m2g;
using Steady = std::chrono::steady_clock;

struct Figure {
  double per_second;      // by CPU time: what the work costs, whatever else runs on the machine
  double wall_per_second; // by wall time
  double ns_each;         // CPU ns per operation
  double allocations_each;
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <typename Body> Figure measure(size_t count, Body body) {
  std::vector<Figure> runs;
  auto n = static_cast<double>(count);
  for (int run = 0; run < 5; ++run) {
    uint64_t allocations = g_allocations.load();
    auto start = Steady::now();
    double cpu_start = cpu_seconds();
    body();
    double cpu = cpu_seconds() - cpu_start;
    double wall = std::chrono::duration<double>(Steady::now() - start).count();
    double allocs = static_cast<double>(g_allocations.load() - allocations) / n;
    runs.push_back({n / cpu, n / wall, cpu * 1e9 / n, allocs});
  }
  std::sort(runs.begin(), runs.end(), [](const Figure& a, const Figure& b) { return a.per_second < b.per_second; });
  Figure median = runs[2];
  std::vector<double> walls;
  for (const Figure& f : runs) {
    walls.push_back(f.wall_per_second);
  }
  std::sort(walls.begin(), walls.end());
  median.wall_per_second = walls[2];
  return median;
}

void print(const char* what, const Figure& f) {
  std::printf("%-58s %11.0f/s cpu %11.0f/s wall %7.1f ns %5.2f allocs\n", what, f.per_second, f.wall_per_second,
              f.ns_each, f.allocations_each);
}

limit::LimitConfig generous() {
  limit::LimitConfig config;
  config.rate = 1e9;
  config.burst = 1e9;
  config.key_rate = 1e6;
  config.key_burst = 1e6;
  return config;
}

} // namespace

int main(int argc, char** argv) {
  size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  std::string section = argc > 2 ? argv[2] : "all";
  auto wanted = [&](const char* name) { return section == "all" || section == name; };
  volatile uint64_t sink = 0;
  // The clock is read once per decision, as the stage does (steady_clock, the vDSO).
  for (size_t keys : {size_t{1000}, size_t{100'000}, size_t{1'000'000}}) {
    if (!wanted("decide")) {
      break;
    }
    limit::LimitConfig config = generous();
    config.key_rate = 30; // the reference's per-user limit: buckets stay busy, the table holds them
    config.key_burst = 1e9;
    limit::Limiter limiter(config, Steady::now(), 42);
    std::vector<uint64_t> hashes;
    for (size_t k = 0; k < keys; ++k) {
      hashes.push_back(limiter.hasher()(std::to_string(1'000'000'000 + k)));
    }
    Figure f = measure(count, [&] {
      uint64_t admitted = 0;
      auto now = Steady::now();
      for (size_t i = 0; i < count; ++i) {
        if (i % 256 == 0) {
          now = Steady::now(); // as the stage does: one clock read per 256 lines of a batch
        }
        admitted += limiter.decide(hashes[i % keys], now).admitted ? 1 : 0;
      }
      sink = sink + admitted;
    });
    std::string what = "decide, " + std::to_string(keys) + " keys (30/s per key)";
    print(what.c_str(), f);
    if (keys == 1000) {
      Figure g = measure(count, [&] {
        uint64_t admitted = 0;
        for (size_t i = 0; i < count; ++i) {
          admitted += limiter.decide(hashes[i % keys], Steady::now()).admitted ? 1 : 0;
        }
        sink = sink + admitted;
      });
      print("decide, 1000 keys, steady_clock read per decision", g);
    }
  }
  if (wanted("arithmetic")) {
    limit::Limiter limiter(generous(), Steady::now(), 42);
    uint64_t key = limiter.hasher()("1");
    Figure f = measure(count, [&] {
      uint64_t admitted = 0;
      auto now = Steady::now();
      for (size_t i = 0; i < count; ++i) {
        admitted += limiter.decide(key, now).admitted ? 1 : 0;
      }
      sink = sink + admitted;
    });
    print("decide, 1 key, clock read once (the arithmetic alone)", f);
  }
  if (wanted("line")) {
    // The stage's per-line work before the decision: find user_id in the raw line and hash it.
    limit::LimitConfig config = generous();
    config.key_rate = 30;
    config.key_burst = 1e9;
    limit::Limiter limiter(config, Steady::now(), 42);
    limit::KeyPath path("user_id");
    std::vector<std::string> lines;
    for (size_t k = 0; k < 10'000; ++k) {
      lines.push_back(R"({"v":1,"kind":"job","id":")" + std::to_string(k) + R"(","chat_id":)" +
                      std::to_string(500 + k) + R"(,"message_id":77,"text":"buy milk","user_id":)" +
                      std::to_string(1'000'000'000 + k) + "}");
    }
    std::string scratch;
    size_t n = count / 4;
    Figure f = measure(n, [&] {
      uint64_t admitted = 0;
      auto now = Steady::now();
      for (size_t i = 0; i < n; ++i) {
        if (i % 256 == 0) {
          now = Steady::now();
        }
        const std::string& line = lines[i % lines.size()];
        limit::KeyValue value = path.find(line);
        uint64_t hash = value.missing() ? limit::k_no_key_hash : limiter.hasher()(limit::canonical_key(value, scratch));
        admitted += limiter.decide(hash, now).admitted ? 1 : 0;
      }
      sink = sink + admitted;
    });
    print("find user_id + hash + decide, 10,000 keys, ~100-byte lines", f);
  }
  return sink == 0 ? 1 : 0;
}
