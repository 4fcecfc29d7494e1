// Observations of the co-simulation (the C++ side of test/rtl/observations.ts): a key
// (kind, router or endpoint, port) and an integer value; per cycle an order-independent
// digest (sum of mixed pairs) and a count, so both simulators can be compared cycle by
// cycle without writing every value; the detail mode keeps the pairs for a report.
#pragma once
#include <cstdint>
#include <cstdio>
#include <vector>
#include <utility>
#include <algorithm>
#include "verilated.h"

enum { K_OCC = 1, K_CRED = 2, K_ARR = 3, K_GNT = 4, K_DLV = 5, K_INJ = 6, K_ACC = 7, K_STATE = 8, K_SPIKE = 9, K_COMMIT = 10, K_QUEUE = 11, K_CNT = 12 };
static const int GRANT_STRIDE = 1 << 22;

static inline int key(int kind, int a, int b) { return (kind << 24) | (a << 8) | b; }

static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static inline int bits_for(int n) {
  int b = 0;
  while ((1 << b) < n) b++;
  return b;
}

struct Obs {
  uint32_t digest = 0, count = 0;
  bool keep = false;
  std::vector<std::pair<int, int>> pairs;
  void clear(bool k) {
    digest = 0;
    count = 0;
    keep = k;
    pairs.clear();
  }
  void add(int k, int v) {
    digest += fmix32((uint32_t)k * 0x9E3779B1u + fmix32((uint32_t)v ^ 0x5bd1e995u));
    count++;
    if (keep) pairs.push_back({k, v});
  }
  void print(FILE* f) {
    for (auto& p : pairs) fprintf(f, "%d %d\n", p.first, p.second);
  }
};

// Bit fields of Verilator port values (scalars up to 64 bits, or wide words).
template <class T>
static inline uint64_t get_bits(const T& v, int lsb, int width) {
  return ((uint64_t)v >> lsb) & (width >= 64 ? ~0ull : ((1ull << width) - 1));
}
template <class T>
static inline void set_bits(T& v, int lsb, int width, uint64_t x) {
  uint64_t m = (width >= 64 ? ~0ull : ((1ull << width) - 1)) << lsb;
  v = (T)(((uint64_t)v & ~m) | ((x << lsb) & m));
}
template <std::size_t N>
static inline uint64_t get_bits(const VlWide<N>& v, int lsb, int width) {
  uint64_t r = 0;
  for (int i = 0; i < width; i++) {
    int b = lsb + i;
    r |= (uint64_t)((v[b >> 5] >> (b & 31)) & 1u) << i;
  }
  return r;
}
template <std::size_t N>
static inline void set_bits(VlWide<N>& v, int lsb, int width, uint64_t x) {
  for (int i = 0; i < width; i++) {
    int b = lsb + i;
    uint32_t m = 1u << (b & 31);
    if ((x >> i) & 1) v[b >> 5] |= m;
    else v[b >> 5] &= ~m;
  }
}
