#include "common/core/heap.hpp"

#include <cstdint>
#include <cstdlib>
#include <doctest/doctest.h>
#include <unistd.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define M2G_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define M2G_OWN_ALLOCATOR 1
#endif
#endif

TEST_SUITE("core") {
  TEST_CASE("m2g::heap::reserve") {
    SUBCASE("ignores small sizes") {
      CHECK(m2g::heap::reserve(1 << 20) == 0);
    }
#ifndef M2G_OWN_ALLOCATOR
    SUBCASE("grows the heap once, and later allocations use that room") {
      size_t reserved = m2g::heap::reserve(32 << 20);
      // Huge-page aligned inside the new room: at most two pages short of what was asked.
      CHECK(reserved >= (28u << 20));
      CHECK(reserved <= (34u << 20));
      auto before = reinterpret_cast<uintptr_t>(sbrk(0));
      std::vector<void*> blocks;
      for (int i = 0; i < 256; ++i) { // 16 MB in blocks malloc takes from the heap
        blocks.push_back(std::malloc(64 << 10));
        REQUIRE(blocks.back() != nullptr);
        static_cast<char*>(blocks.back())[0] = 1;
      }
      CHECK(reinterpret_cast<uintptr_t>(sbrk(0)) == before);
      for (void* block : blocks) {
        std::free(block);
      }
      CHECK(reinterpret_cast<uintptr_t>(sbrk(0)) == before); // not trimmed
    }
#endif
  }
}
