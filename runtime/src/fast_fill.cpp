// fast_fill.cpp - refills the inline clones' threshold buffers: eight
// xoshiro256++ streams in vector lanes, one draw per slot, slot i from stream
// i % 8, so the contents do not depend on the ISA (Highway, dispatched once).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "runtime/src/fast_fill.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "fast_fill.h"

HWY_BEFORE_NAMESPACE();
namespace prism {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D> struct Xoshiro {
  hn::Vec<D> s0, s1, s2, s3;
  hn::Vec<D> Next() {
    auto r = hn::Add(hn::RotateRight<41>(hn::Add(s0, s3)), s0); // rotl 23
    auto t = hn::ShiftLeft<17>(s1);
    s2 = hn::Xor(s2, s0);
    s3 = hn::Xor(s3, s1);
    s1 = hn::Xor(s1, s2);
    s0 = hn::Xor(s0, s3);
    s2 = hn::Xor(s2, t);
    s3 = hn::RotateRight<19>(s3); // rotl 45
    return r;
  }
};

// Uniforms from the top bits through the exponent trick: 52 bits for double,
// 23 for float (thresholdDraw() in fast_fill.h inverts this). All streams
// advance in one loop (independent chains, for ILP).
void FillThresholds(FastStreams &st, double *u64, float *u32, size_t n,
                    bool ud) {
  using D = hn::ScalableTag<uint64_t>;
  const D du;
  const hn::RebindToSigned<D> di;
  const hn::RebindToFloat<D> df;
  const hn::Rebind<uint32_t, D> du32;
  const hn::Rebind<float, D> df32;
  constexpr size_t kLanes = hn::MaxLanes(du);
  constexpr size_t kGroups = kFastStreams / kLanes;
  static_assert(kGroups * kLanes == kFastStreams);
  Xoshiro<D> x[kGroups];
  for (size_t g = 0; g < kGroups; g++)
    x[g] = {hn::LoadU(du, st.s[0] + g * kLanes),
            hn::LoadU(du, st.s[1] + g * kLanes),
            hn::LoadU(du, st.s[2] + g * kLanes),
            hn::LoadU(du, st.s[3] + g * kLanes)};
  const auto one64 = hn::Set(du, 0x3FF0000000000000ull);
  const auto one32 = hn::Set(du, 0x3F800000ull);
  const auto inf64 = hn::Set(du, 0x7FF0000000000000ull);
  const auto inf32 = hn::Set(du, 0x7F800000ull);
  for (size_t i = 0; i < n; i += kFastStreams) {
    for (size_t g = 0; g < kGroups; g++) {
      auto r = x[g].Next();
      size_t at = i + g * kLanes;
      if (ud) { // away from RN (threshold 0) when the top bit is set
        auto away =
            hn::RebindMask(du, hn::Lt(hn::BitCast(di, r), hn::Zero(di)));
        hn::StoreU(hn::BitCast(df, hn::IfThenZeroElse(away, inf64)), df,
                   u64 + at);
        hn::StoreU(hn::BitCast(df32, hn::TruncateTo(
                                         du32, hn::IfThenZeroElse(away, inf32))),
                   df32, u32 + at);
      } else {
        auto d = hn::Or(hn::ShiftRight<12>(r), one64);
        auto f = hn::TruncateTo(du32, hn::Or(hn::ShiftRight<41>(r), one32));
        hn::StoreU(hn::Sub(hn::BitCast(df, d), hn::Set(df, 1.0)), df,
                   u64 + at);
        hn::StoreU(hn::Sub(hn::BitCast(df32, f), hn::Set(df32, 1.0f)), df32,
                   u32 + at);
      }
    }
  }
  for (size_t g = 0; g < kGroups; g++) {
    hn::StoreU(x[g].s0, du, st.s[0] + g * kLanes);
    hn::StoreU(x[g].s1, du, st.s[1] + g * kLanes);
    hn::StoreU(x[g].s2, du, st.s[2] + g * kLanes);
    hn::StoreU(x[g].s3, du, st.s[3] + g * kLanes);
  }
}

} // namespace HWY_NAMESPACE
} // namespace prism
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace prism {
HWY_EXPORT(FillThresholds);

void fillThresholds(FastStreams &st, double *u64, float *u32, size_t n,
                    bool ud) {
  HWY_DYNAMIC_DISPATCH(FillThresholds)(st, u64, u32, n, ud);
}
} // namespace prism
#endif // HWY_ONCE
