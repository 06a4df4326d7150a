// stochastic_kernels-inl.h - sr and ud at full precision on whole vectors
// (Highway, one copy per ISA through foreach_target). The same error-free
// transforms as stochastic_fast.h, with xoshiro256++ running in the vector
// lanes. Lanes whose transforms could under- or overflow, and the tail, take
// the scalar path; every element consumes exactly one draw either way.
//
// Include after hwy/highway.h inside a foreach_target translation unit.

#if defined(PRISM_STOCHASTIC_KERNELS_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef PRISM_STOCHASTIC_KERNELS_INL_H
#undef PRISM_STOCHASTIC_KERNELS_INL_H
#else
#define PRISM_STOCHASTIC_KERNELS_INL_H
#endif

#include "stochastic_fast.h"
#include "stochastic_streams.h"
#include "vector_eft-inl.h"

#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace prism {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// xoshiro256++ on the u64 lanes of VectorStreams (state word-major).
template <class DU> struct LaneRng {
  using V = hn::Vec<DU>;
  DU du;
  VectorStreams &st;
  V s0, s1, s2, s3;

  explicit LaneRng(VectorStreams &streams)
      : st(streams), s0(hn::LoadU(du, streams.s[0])),
        s1(hn::LoadU(du, streams.s[1])), s2(hn::LoadU(du, streams.s[2])),
        s3(hn::LoadU(du, streams.s[3])) {}
  ~LaneRng() {
    hn::StoreU(s0, du, st.s[0]);
    hn::StoreU(s1, du, st.s[1]);
    hn::StoreU(s2, du, st.s[2]);
    hn::StoreU(s3, du, st.s[3]);
  }
  HWY_INLINE V Next() { return XoshiroNext(s0, s1, s2, s3); }
};

// One draw per lane of a T vector: one u64 per double lane; for float lanes
// the two halves of each u64 serve two lanes.
template <class D, class DU64>
HWY_INLINE hn::Vec<hn::RebindToUnsigned<D>> DrawBits(D, LaneRng<DU64> &rng) {
  return hn::BitCast(hn::RebindToUnsigned<D>(), rng.Next());
}

// Uniform in [0, 1) from the high bits (52 for double, 23 for float).
template <class D, class VU>
HWY_INLINE hn::Vec<D> Uniform(D d, VU bits) {
  using T = hn::TFromD<D>;
  const hn::RebindToUnsigned<D> du;
  constexpr int kMant = sizeof(T) == 4 ? 23 : 52;
  constexpr int kShift = sizeof(T) * 8 - kMant;
  const auto one = hn::BitCast(du, hn::Set(d, T(1)));
  const auto in12 = hn::Or(hn::ShiftRight<kShift>(bits), one); // [1, 2)
  return hn::Sub(hn::BitCast(d, in12), hn::Set(d, T(1)));
}

// s or its neighbour on the error's side (see chooseNeighbour).
template <RoundingMode M, class D, class VU>
HWY_INLINE hn::Vec<D> ChooseNeighbour(D d, hn::Vec<D> s, hn::Mask<D> errPositive,
                                      hn::Vec<D> errAbs, hn::Vec<D> scale,
                                      VU bits) {
  using T = hn::TFromD<D>;
  const hn::RebindToUnsigned<D> du;
  const hn::RebindToSigned<D> di;
  const auto sNegative = hn::RebindMask(d, hn::Lt(hn::BitCast(di, s), hn::Zero(di)));
  const auto away = hn::Xor(errPositive, sNegative); // error has the sign of s
  const auto step = hn::IfThenElse(hn::RebindMask(du, away), hn::Set(du, 1),
                                   hn::Set(du, static_cast<hn::TFromD<decltype(du)>>(-1)));
  const auto n = hn::BitCast(d, hn::Add(hn::BitCast(du, s), step));
  hn::Mask<D> up;
  if constexpr (M == RoundingMode::SR) {
    const auto gap = hn::Abs(hn::Sub(n, s));
    up = hn::Gt(errAbs, hn::Mul(hn::Mul(Uniform(d, bits), gap), scale));
  } else {
    const auto topBit = hn::RebindMask(
        d, hn::Lt(hn::BitCast(di, bits), hn::Zero(di))); // draw >> (w-1)
    up = hn::And(hn::Ne(errAbs, hn::Zero(d)), topBit);
  }
  (void)sizeof(T);
  return hn::IfThenElse(up, n, s);
}

template <class D> HWY_INLINE hn::Mask<D> Unsafe(D d, hn::Vec<D> v) {
  using T = hn::TFromD<D>;
  const auto m = hn::Abs(v);
  // NaN compares false: unsafe.
  return hn::Not(hn::And(hn::Ge(m, hn::Set(d, SafeRange<T>::kLow)),
                         hn::Le(m, hn::Set(d, SafeRange<T>::kHigh))));
}

// The vector result of one operation, and the lanes the scalar path redoes.
template <RoundingMode M, StochasticOp Op, class D, class VU>
HWY_INLINE hn::Vec<D> OpVector(D d, hn::Vec<D> a, hn::Vec<D> b, hn::Vec<D> c,
                               VU bits, hn::Mask<D> &redo) {
  const auto zero = hn::Zero(d);
  const auto one = hn::Set(d, hn::TFromD<D>(1));
  if constexpr (Op == StochasticOp::Add || Op == StochasticOp::Sub) {
    if constexpr (Op == StochasticOp::Sub)
      b = hn::Neg(b);
    const auto s = hn::Add(a, b);
    const auto bb = hn::Sub(s, a);
    const auto err = hn::Add(hn::Sub(a, hn::Sub(s, bb)), hn::Sub(b, bb));
    // Near underflow u * gap would round: inexact lanes there are redone.
    redo = hn::AndNot(hn::Eq(err, zero), Unsafe(d, s));
    return ChooseNeighbour<M>(d, s, hn::Gt(err, zero), hn::Abs(err), one, bits);
  } else if constexpr (Op == StochasticOp::Mul) {
    const auto s = hn::Mul(a, b);
    const auto err = hn::MulSub(a, b, s);
    redo = Unsafe(d, s);
    return ChooseNeighbour<M>(d, s, hn::Gt(err, zero), hn::Abs(err), one, bits);
  } else if constexpr (Op == StochasticOp::Div) {
    const auto s = hn::Div(a, b);
    const auto r = hn::NegMulAdd(s, b, a);
    redo = hn::Or(Unsafe(d, s), hn::Or(Unsafe(d, a), Unsafe(d, b)));
    const auto errPositive = hn::Xor(hn::Gt(r, zero), hn::Lt(b, zero));
    return ChooseNeighbour<M>(d, s, errPositive, hn::Abs(r), hn::Abs(b), bits);
  } else if constexpr (Op == StochasticOp::Sqrt) {
    const auto s = hn::Sqrt(a);
    const auto r = hn::NegMulAdd(s, s, a);
    redo = Unsafe(d, a);
    return ChooseNeighbour<M>(d, s, hn::Gt(r, zero), hn::Abs(r), hn::Add(s, s),
                              bits);
  } else {
    const auto s = hn::MulAdd(a, b, c);
    const auto p = hn::Mul(a, b);
    const auto err = ErrFma(a, b, c, s, p);
    redo = hn::Or(Unsafe(d, s), hn::Or(Unsafe(d, p), Unsafe(d, c)));
    return ChooseNeighbour<M>(d, s, hn::Gt(err, zero), hn::Abs(err), one, bits);
  }
}

// The scalar path for one element with a given draw.
template <RoundingMode M, StochasticOp Op, class T>
HWY_INLINE T OpScalar(T a, T b, T c, uint64_t draw) {
  using F = StochasticFast<T, M>;
  if constexpr (Op == StochasticOp::Add)
    return F::add(a, b, draw);
  else if constexpr (Op == StochasticOp::Sub)
    return F::add(a, -b, draw);
  else if constexpr (Op == StochasticOp::Mul)
    return F::mul(a, b, draw);
  else if constexpr (Op == StochasticOp::Div)
    return F::div(a, b, draw);
  else if constexpr (Op == StochasticOp::Sqrt)
    return F::sqrt(a, draw);
  else
    return F::fma(a, b, c, draw);
}

// r[i] = op(a[i], b[i], c[i]) for n elements; b/c unused by unary ops.
template <RoundingMode M, StochasticOp Op, class T>
HWY_NOINLINE void StochasticArray(T *HWY_RESTRICT r, const T *a, const T *b,
                                  const T *c, size_t n, ThreadStreams &st) {
  size_t i = 0;
#if HWY_NATIVE_FMA
  const hn::ScalableTag<T> d;
  const hn::ScalableTag<uint64_t> du64;
  const hn::RebindToUnsigned<decltype(d)> du;
  const size_t lanes = hn::Lanes(d);
  if (n >= lanes && hn::Lanes(du64) <= kMaxVectorLanes) {
    LaneRng<decltype(du64)> rng(st.vector);
    HWY_ALIGN hn::TFromD<decltype(du)> drawLanes[hn::MaxLanes(du)];
    for (; i + lanes <= n; i += lanes) {
      const auto va = hn::LoadU(d, a + i);
      const auto vb = Op == StochasticOp::Sqrt ? va : hn::LoadU(d, b + i);
      const auto vc = Op == StochasticOp::Fma ? hn::LoadU(d, c + i) : va;
      const auto bits = DrawBits(d, rng);
      hn::Mask<decltype(d)> redo;
      const auto v = OpVector<M, Op>(d, va, vb, vc, bits, redo);
      hn::StoreU(v, d, r + i);
      if (HWY_UNLIKELY(!hn::AllFalse(d, redo))) {
        hn::Store(bits, du, drawLanes);
        for (size_t j = 0; j < lanes; j++) {
          // Widen the lane's draw to the top of a u64, as scalar draws are.
          uint64_t draw = static_cast<uint64_t>(drawLanes[j])
                          << (64 - 8 * sizeof(T));
          r[i + j] = OpScalar<M, Op>(a[i + j], Op == StochasticOp::Sqrt ? T(0) : b[i + j],
                                     Op == StochasticOp::Fma ? c[i + j] : T(0), draw);
        }
      }
    }
  }
#endif
  // The one tail path (and the whole array on ISAs without FMA).
  for (; i < n; i++)
    r[i] = OpScalar<M, Op>(a[i], Op == StochasticOp::Sqrt ? T(0) : b[i],
                           Op == StochasticOp::Fma ? c[i] : T(0),
                           prism_rng_next(st.scalar));
}

} // namespace HWY_NAMESPACE
} // namespace prism
HWY_AFTER_NAMESPACE();

#endif // PRISM_STOCHASTIC_KERNELS_INL_H
