// fast_fill.cpp - refills the inline clones' threshold and coin buffers from
// sixteen xoshiro256 streams in vector lanes, in an order that does not
// depend on the ISA (Highway, dispatched once).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "runtime/src/fast_fill.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "backends/common/vector_eft-inl.h"
#include "fast_fill.h"
#include "prism/fast.h"


HWY_BEFORE_NAMESPACE();
namespace prism {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D> struct Xoshiro {
  hn::Vec<D> s0, s1, s2, s3;
  // xoshiro256++: every bit is good (ud thresholds: single bits).
  hn::Vec<D> Next() { return XoshiroNext(s0, s1, s2, s3); }
  // xoshiro256+, for sr thresholds (Vigna's choice for floating point; its
  // weak bits are the lowest few): 2 vector ops fewer per draw (4 without
  // a vector rotate).
  hn::Vec<D> NextPlus() {
    auto r = hn::Add(s0, s3);
    XoshiroStep(s0, s1, s2, s3);
    return r;
  }
};

template <class D> struct Streams {
  static constexpr size_t kLanes = hn::MaxLanes(D());
  static constexpr size_t kGroups = kFastStreams / kLanes;
  static_assert(kGroups * kLanes == kFastStreams);
  Xoshiro<D> x[kGroups];

  explicit Streams(const FastStreams &st) {
    const D d;
    for (size_t g = 0; g < kGroups; g++)
      x[g] = {hn::LoadU(d, st.s[0] + g * kLanes),
              hn::LoadU(d, st.s[1] + g * kLanes),
              hn::LoadU(d, st.s[2] + g * kLanes),
              hn::LoadU(d, st.s[3] + g * kLanes)};
  }
  void Save(FastStreams &st) const {
    const D d;
    for (size_t g = 0; g < kGroups; g++) {
      hn::StoreU(x[g].s0, d, st.s[0] + g * kLanes);
      hn::StoreU(x[g].s1, d, st.s[1] + g * kLanes);
      hn::StoreU(x[g].s2, d, st.s[2] + g * kLanes);
      hn::StoreU(x[g].s3, d, st.s[3] + g * kLanes);
    }
  }
};

// ud: one random bit per threshold, u = 0 when it is set, else u = 1 (stored
// as 2^(1-p)): the compare-and-select rounding goes away from RN for u = 0
// and never for u = 1; the directed one takes the lower or the upper
// neighbour in magnitude. The top 16 bits of each draw: bit j of stream k's
// draw at step t goes to slot 256t + 16j + k (double), bit j of its 32-bit
// half h to slot 512t + 32j + 2k + h (float).
template <class D, class DF, class T>
void FillCoins(Streams<D> &s, const DF df, T *u, size_t n) {
  const hn::Repartition<hwy::MakeUnsigned<T>, D> du;
  constexpr size_t kPer = 8 / sizeof(T);          // thresholds per u64 lane
  constexpr size_t kStep = 16 * kPer * kFastStreams; // slots per step
  const auto zero = hn::Zero(df);
  const auto one = hn::Set(df, sizeof(T) == 8 ? T(0x1p-52) : T(0x1p-23));
  for (size_t i = 0; i + kStep <= n; i += kStep)
    for (size_t g = 0; g < s.kGroups; g++) {
      auto r = hn::BitCast(du, s.x[g].Next());
      T *at = u + i + kPer * g * s.kLanes;
      for (int j = 0; j < 16; j++, at += kPer * kFastStreams)
        hn::StoreU(hn::IfNegativeThenElse(
                       hn::BitCast(df, hn::ShiftLeftSame(r, j)), zero, one),
                   df, at);
    }
}

// sr: thresholds u * 2^-52 from the top bits through the exponent trick
// (2^-52 * (1 + k 2^-52) - 2^-52 = k 2^-104, exact; thresholdDraw() in
// fast_fill.h inverts it). All streams advance in one loop (independent
// chains, for ILP); draw k of step t goes to slot 16t + k.
void FillThresholds64(FastStreams &st, double *u, size_t n, bool ud) {
  using D = hn::ScalableTag<uint64_t>;
  const D du;
  const hn::RebindToFloat<D> df;
  Streams<D> s(st);
  if (ud) {
    FillCoins(s, df, u, n);
  } else {
    const auto one = hn::Set(du, 0x3CB0000000000000ull); // 2^-52
    for (size_t i = 0; i < n; i += kFastStreams)
      for (size_t g = 0; g < s.kGroups; g++) {
        auto v = hn::BitCast(df, hn::Or(hn::ShiftRight<12>(s.x[g].NextPlus()),
                                        one));
        hn::StoreU(hn::Sub(v, hn::Set(df, 0x1p-52)), df,
                   u + i + g * s.kLanes);
      }
  }
  s.Save(st);
}

// sr, float: each 64-bit xoshiro256+ draw gives two thresholds u * 2^-23 (its
// 32-bit halves, low half first), 23 random bits each: output bits 9-31 and
// 41-63, clear of the low bits whose linear complexity is low (Vigna names
// the lowest four). Two operations fewer per draw than ++: the fill is
// throughput-bound and costs a third of a float kernel's time.
void FillThresholds32(FastStreams &st, float *u, size_t n, bool ud) {
  using D = hn::ScalableTag<uint64_t>;
  const hn::Repartition<uint32_t, D> du32;
  const hn::RebindToFloat<decltype(du32)> df32;
  Streams<D> s(st);
  if (ud) {
    FillCoins(s, df32, u, n);
  } else {
    const auto one = hn::Set(du32, 0x34000000u); // 2^-23
    for (size_t i = 0; i < n; i += 2 * kFastStreams)
      for (size_t g = 0; g < s.kGroups; g++) {
        auto r = hn::BitCast(du32, s.x[g].NextPlus());
        auto v = hn::BitCast(df32, hn::Or(hn::ShiftRight<9>(r), one));
        hn::StoreU(hn::Sub(v, hn::Set(df32, 0x1p-23f)), df32,
                   u + i + 2 * g * s.kLanes);
      }
  }
  s.Save(st);
}

// The ud clones' coins: one bit of a xoshiro256++ draw per byte (0 or 1:
// PRISM_COIN_DOWN / PRISM_COIN_UP). Bit j of byte b of stream k's draw at
// step t goes to coin 1024t + 128j + 8k + b.
void FillCoins8(FastStreams &st, uint8_t *c, size_t n) {
  using D = hn::ScalableTag<uint64_t>;
  const D du;
  const hn::Repartition<uint8_t, D> d8;
  static_assert(PRISM_COIN_DOWN == 0 && PRISM_COIN_UP == 1);
  Streams<D> s(st);
  const auto low = hn::Set(du, 0x0101010101010101ull);
  constexpr size_t kStep = 64 * kFastStreams; // coins per step
  for (size_t i = 0; i + kStep <= n; i += kStep)
    for (size_t g = 0; g < s.kGroups; g++) {
      auto r = s.x[g].Next();
      for (int j = 0; j < 8; j++)
        hn::StoreU(hn::BitCast(d8, hn::And(hn::ShiftRightSame(r, j), low)), d8,
                   c + i + 8 * (j * kFastStreams + g * s.kLanes));
    }
  s.Save(st);
}

} // namespace HWY_NAMESPACE
} // namespace prism
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace prism {
HWY_EXPORT(FillThresholds64);
HWY_EXPORT(FillThresholds32);
HWY_EXPORT(FillCoins8);

void fillThresholds(FastStreams &st, double *u, size_t n, bool ud) {
  HWY_DYNAMIC_DISPATCH(FillThresholds64)(st, u, n, ud);
}
void fillThresholds(FastStreams &st, float *u, size_t n, bool ud) {
  HWY_DYNAMIC_DISPATCH(FillThresholds32)(st, u, n, ud);
}
void fillCoins(FastStreams &st, uint8_t *c, size_t n) {
  HWY_DYNAMIC_DISPATCH(FillCoins8)(st, c, n);
}
} // namespace prism
#endif // HWY_ONCE
