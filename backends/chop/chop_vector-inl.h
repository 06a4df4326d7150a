// chop_vector-inl.h - the chop backend's vector kernels (see chop_vector.h):
// the exact result as s + e on double lanes, round to odd at double
// precision, then the bulk API's kernel (bulk/chop_kernels-inl.h) rounds once
// to the target. Re-included once per Highway target by chop_vector.cpp.

#if defined(PRISM_CHOP_VECTOR_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef PRISM_CHOP_VECTOR_INL_H_
#undef PRISM_CHOP_VECTOR_INL_H_
#else
#define PRISM_CHOP_VECTOR_INL_H_
#endif

#include <hwy/highway.h>

#include "backends/chop/bulk/chop_kernels-inl.h"
#include "backends/chop/chop_vector.h"
#include "backends/common/exact.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

HWY_BEFORE_NAMESPACE();
namespace prism {
namespace chopvec {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace bk = prism::bulk::HWY_NAMESPACE;

// The scalar reference for one lane (the backend's own scalar operation).
template <class T>
HWY_INLINE T ScalarOp(const ChopRounder &r, Op op, T a, T b, T c,
                      uint64_t *rng) {
  switch (op) {
  case Op::Add:
    return r.round(exactAdd(a, b), rng);
  case Op::Sub:
    return r.round(exactSub(a, b), rng);
  case Op::Mul:
    return r.round(exactMul(a, b), rng);
  case Op::Div:
    return r.round(exactDiv(a, b), rng);
  case Op::Fma:
    return r.round(exactFma(a, b, c), rng);
  case Op::Sqrt:
    return r.round(exactSqrt(a), rng);
  }
  return a;
}

#if HWY_NATIVE_FMA

// Operands of double operations whose error-free transforms are exact
// (stochastic_fast.h's SafeRange<double>).
constexpr double kSafeLow = 0x1p-914;
constexpr double kSafeHigh = std::numeric_limits<double>::max() / 2;

template <class D> HWY_INLINE hn::Mask<D> Safe(D d, hn::Vec<D> v) {
  const auto m = hn::Abs(v); // NaN compares false: unsafe
  return hn::And(hn::Ge(m, hn::Set(d, kSafeLow)),
                 hn::Le(m, hn::Set(d, kSafeHigh)));
}

template <int kMode, Op kOp, class T> struct Lanes {
  using K = bk::Kernel<double, kMode>;
  using D = typename K::D;
  using DU = typename K::DU;
  using DS = typename K::DS;
  using D64 = typename K::D64;
  using DF = hn::Rebind<T, D>; // the storage lanes (float: half width)
  using V = hn::Vec<D>;
  using VU = hn::Vec<DU>;
  using V64 = hn::Vec<D64>;
  using M = hn::Mask<D>;
  static constexpr bool kFloat = sizeof(T) == 4;
  static constexpr bool kRandom = bk::IsRandom(kMode);
  static constexpr bool kRD = kMode == static_cast<int>(RoundingMode::RD);
  static constexpr size_t kMax = hn::MaxLanes(D());

  HWY_INLINE static V Load(const T *p) {
    if constexpr (kFloat)
      return hn::PromoteTo(D(), hn::LoadU(DF(), p));
    else
      return hn::LoadU(D(), p);
  }
  HWY_INLINE static void Store(V v, T *p) {
    if constexpr (kFloat)
      hn::StoreU(hn::DemoteTo(DF(), v), DF(), p);
    else
      hn::StoreU(v, D(), p);
  }

  // s = RN(x) on double lanes, the side of x (above: x > s, exact: x == s)
  // and the lanes the scalar reference must redo.
  HWY_INLINE static V Exact(V a, V b, V c, M &above, M &inexact, M &redo) {
    const D d;
    const V zero = hn::Zero(d);
    V s, e;
    if constexpr (kOp == Op::Add || kOp == Op::Sub || (kOp == Op::Fma && kFloat)) {
      V x = a, y = kOp == Op::Sub ? hn::Neg(b) : b;
      if constexpr (kOp == Op::Fma) {
        x = hn::Mul(a, b); // exact: 48 bits
        y = c;
      }
      s = hn::Add(x, y);
      const V bb = hn::Sub(s, x);
      e = hn::Add(hn::Sub(x, hn::Sub(s, bb)), hn::Sub(y, bb)); // TwoSum
      redo = kFloat ? hn::FirstN(d, 0) // float operands never overflow here
                    : hn::Not(hn::Le(hn::Abs(s), hn::Set(d, kSafeHigh)));
    } else if constexpr (kOp == Op::Mul) {
      s = hn::Mul(a, b);
      if constexpr (kFloat) {
        e = zero; // exact: 48 bits
        redo = hn::FirstN(d, 0);
      } else {
        e = hn::MulSub(a, b, s);
        const M zeroOperand = hn::Or(hn::Eq(a, zero), hn::Eq(b, zero));
        redo = hn::Not(hn::Or(Safe(d, s), hn::And(hn::Eq(s, zero), zeroOperand)));
      }
    } else if constexpr (kOp == Op::Div) {
      s = hn::Div(a, b);
      const V r = hn::NegMulAdd(s, b, a); // a - s*b, exact
      const M neg = hn::Lt(b, zero);
      above = hn::Xor(hn::Gt(r, zero), neg);
      inexact = hn::Or(hn::Gt(r, zero), hn::Lt(r, zero));
      if constexpr (kFloat) {
        redo = hn::FirstN(d, 0);
      } else {
        const M ok = hn::And(Safe(d, s), hn::And(Safe(d, a), Safe(d, b)));
        redo = hn::Not(hn::Or(ok, hn::And(hn::Eq(a, zero), Safe(d, b))));
      }
      return s;
    } else if constexpr (kOp == Op::Sqrt) {
      s = hn::Sqrt(a);
      e = hn::NegMulAdd(s, s, a); // a - s*s, exact
      redo = kFloat ? hn::FirstN(d, 0)
                    : hn::Not(hn::Or(Safe(d, a), hn::Eq(a, zero)));
    } else { // double fma: ErrFma (Boldo & Muller 2011)
      s = hn::MulAdd(a, b, c);
      const V p = hn::Mul(a, b);
      e = prism::HWY_NAMESPACE::ErrFma(a, b, c, s, p); // sign of the error
      redo = hn::Not(hn::And(Safe(d, s), hn::And(Safe(d, p), Safe(d, c))));
    }
    // NaN errors (inf and NaN operands) compare false: s is taken as exact.
    above = hn::Gt(e, zero);
    inexact = hn::Or(above, hn::Lt(e, zero));
    return s;
  }

  // Round to odd at double precision: the even s of an inexact lane moves
  // one ulp toward x (its magnitude bits +1 away from zero, -1 toward it).
  HWY_INLINE static VU RoundToOdd(V s, M above, M inexact) {
    const DU du;
    const DS ds;
    const VU u = hn::BitCast(du, s);
    const VU one = hn::Set(du, 1);
    const M neg = hn::RebindMask(D(), hn::Lt(hn::BitCast(ds, u), hn::Zero(ds)));
    const auto away = hn::RebindMask(du, hn::Xor(above, neg));
    const auto even = hn::Eq(hn::And(u, one), hn::Zero(du));
    const auto move = hn::And(hn::RebindMask(du, inexact), even);
    const VU step = hn::IfThenElse(away, one, hn::Set(du, ~uint64_t{0}));
    return hn::Add(u, hn::IfThenElseZero(move, step));
  }

  static void Run(const Plan &p, T *r, const T *a, const T *b, const T *c,
                  size_t n, uint64_t *lane_rng, uint64_t *scalar_rng) {
    const D d;
    const DU du;
    const DS ds;
    const D64 d64;
    const size_t N = hn::Lanes(d);
    K k(p.kp);
    V64 s0, s1, s2, s3;
    if constexpr (kRandom) {
      s0 = hn::LoadU(d64, lane_rng + 0 * kLanes);
      s1 = hn::LoadU(d64, lane_rng + 1 * kLanes);
      s2 = hn::LoadU(d64, lane_rng + 2 * kLanes);
      s3 = hn::LoadU(d64, lane_rng + 3 * kLanes);
    }
    const bool unary = kOp == Op::Sqrt;
    for (size_t i = 0; i < n; i += N) {
      const size_t m = std::min(N, n - i);
      const T *pa = a + i, *pb = unary ? pa : b + i,
              *pc = kOp == Op::Fma ? c + i : pa;
      HWY_ALIGN T ta[kMax], tb[kMax], tc[kMax];
      if (m < N) {
        // The partial vector: padding lanes compute 1 op 1 (never redone).
        for (size_t j = 0; j < N; ++j)
          ta[j] = tb[j] = tc[j] = T(1);
        std::memcpy(ta, pa, m * sizeof(T));
        if (!unary)
          std::memcpy(tb, pb, m * sizeof(T));
        if (kOp == Op::Fma)
          std::memcpy(tc, pc, m * sizeof(T));
        pa = ta;
        pb = tb;
        pc = tc;
      }
      const V va = Load(pa);
      const V vb = unary ? va : Load(pb);
      const V vc = kOp == Op::Fma ? Load(pc) : va;
      M above, inexact, redo;
      const V s = Exact(va, vb, vc, above, inexact, redo);
      if constexpr (kRD && (kOp == Op::Add || kOp == Op::Sub || kOp == Op::Fma))
        redo = hn::Or(redo, hn::Eq(s, hn::Zero(d))); // -0 of x - x under rd
      const VU u = RoundToOdd(s, above, inexact);
      VU rnd = hn::Zero(du);
      if constexpr (kRandom)
        rnd = hn::BitCast(du, bk::XoshiroNext(s0, s1, s2, s3));
      const auto sp = k.template Special<true>(u);
      const VU res = HWY_LIKELY(hn::AllFalse(ds, sp))
                         ? k.Fast(u, rnd)
                         : K::General(p.kp, u, rnd);
      const V out = hn::BitCast(d, res);
      if (HWY_LIKELY(m == N && hn::AllFalse(d, redo))) {
        Store(out, r + i);
        continue;
      }
      // Redone lanes read their operands before r (which may alias them) is
      // written.
      HWY_ALIGN T tr[kMax];
      HWY_ALIGN uint64_t flags[kMax];
      Store(out, tr);
      hn::Store(hn::VecFromMask(du, hn::RebindMask(du, redo)), du, flags);
      for (size_t j = 0; j < m; ++j)
        if (flags[j])
          tr[j] = ScalarOp<T>(p.rounder, kOp, pa[j], pb[j], pc[j], scalar_rng);
      std::memcpy(r + i, tr, m * sizeof(T));
    }
    if constexpr (kRandom) {
      hn::StoreU(s0, d64, lane_rng + 0 * kLanes);
      hn::StoreU(s1, d64, lane_rng + 1 * kLanes);
      hn::StoreU(s2, d64, lane_rng + 2 * kLanes);
      hn::StoreU(s3, d64, lane_rng + 3 * kLanes);
    }
  }
};

// double -> float: the double is exact; rounded on double lanes, then stored
// (the target fits float: the conversion is exact).
template <int kMode> struct Truncate {
  using K = bk::Kernel<double, kMode>;
  using D = typename K::D;
  using DF = hn::Rebind<float, D>;
  static constexpr size_t kMax = hn::MaxLanes(D());

  static void Run(const Plan &p, float *r, const double *a, size_t n,
                  uint64_t *lane_rng) {
    const D d;
    const typename K::DU du;
    const typename K::DS ds;
    const typename K::D64 d64;
    const size_t N = hn::Lanes(d);
    K k(p.kp);
    hn::Vec<typename K::D64> s0, s1, s2, s3;
    if constexpr (bk::IsRandom(kMode)) {
      s0 = hn::LoadU(d64, lane_rng + 0 * kLanes);
      s1 = hn::LoadU(d64, lane_rng + 1 * kLanes);
      s2 = hn::LoadU(d64, lane_rng + 2 * kLanes);
      s3 = hn::LoadU(d64, lane_rng + 3 * kLanes);
    }
    for (size_t i = 0; i < n; i += N) {
      const size_t m = std::min(N, n - i);
      HWY_ALIGN double ta[kMax] = {};
      HWY_ALIGN float tr[kMax];
      const double *pa = a + i;
      if (m < N) {
        std::memcpy(ta, pa, m * sizeof(double));
        pa = ta;
      }
      const auto u = hn::BitCast(du, hn::LoadU(d, pa));
      auto rnd = hn::Zero(du);
      if constexpr (bk::IsRandom(kMode))
        rnd = hn::BitCast(du, bk::XoshiroNext(s0, s1, s2, s3));
      const auto sp = k.template Special<true>(u);
      const auto res = HWY_LIKELY(hn::AllFalse(ds, sp))
                           ? k.Fast(u, rnd)
                           : K::General(p.kp, u, rnd);
      const auto out = hn::DemoteTo(DF(), hn::BitCast(d, res));
      if (HWY_LIKELY(m == N)) {
        hn::StoreU(out, DF(), r + i);
      } else {
        hn::StoreU(out, DF(), tr);
        std::memcpy(r + i, tr, m * sizeof(float));
      }
    }
    if constexpr (bk::IsRandom(kMode)) {
      hn::StoreU(s0, d64, lane_rng + 0 * kLanes);
      hn::StoreU(s1, d64, lane_rng + 1 * kLanes);
      hn::StoreU(s2, d64, lane_rng + 2 * kLanes);
      hn::StoreU(s3, d64, lane_rng + 3 * kLanes);
    }
  }
};

// Calls f(std::integral_constant<int, m>) for the plan's rounding mode m, so
// that each mode gets its own instantiation of the kernels.
template <class F> HWY_INLINE bool WithMode(const Plan &p, F &&f) {
  using RM = RoundingMode;
  switch (p.rounder.mode) {
#define PRISM_CHOPVEC_MODE(m)                                                  \
  case RM::m:                                                                  \
    f(std::integral_constant<int, static_cast<int>(RM::m)>());                 \
    return true;
    PRISM_CHOPVEC_MODE(RNE)
    PRISM_CHOPVEC_MODE(RU)
    PRISM_CHOPVEC_MODE(RD)
    PRISM_CHOPVEC_MODE(RZ)
    PRISM_CHOPVEC_MODE(SR)
    PRISM_CHOPVEC_MODE(SRUniform)
    PRISM_CHOPVEC_MODE(RNZ)
    PRISM_CHOPVEC_MODE(RNA)
    PRISM_CHOPVEC_MODE(RO)
#undef PRISM_CHOPVEC_MODE
  }
  return false;
}

template <Op kOp, class T>
bool ApplyOp(const Plan &p, T *r, const T *a, const T *b, const T *c,
             size_t n, uint64_t *lane_rng, uint64_t *scalar_rng) {
  return WithMode(p, [&](auto m) {
    Lanes<decltype(m)::value, kOp, T>::Run(p, r, a, b, c, n, lane_rng,
                                           scalar_rng);
  });
}

template <class T>
HWY_INLINE bool ApplyAny(const Plan &p, Op op, T *r, const T *a, const T *b,
                         const T *c, size_t n, uint64_t *lane_rng,
                         uint64_t *scalar_rng) {
  switch (op) {
  case Op::Add:
    return ApplyOp<Op::Add>(p, r, a, b, c, n, lane_rng, scalar_rng);
  case Op::Sub:
    return ApplyOp<Op::Sub>(p, r, a, b, c, n, lane_rng, scalar_rng);
  case Op::Mul:
    return ApplyOp<Op::Mul>(p, r, a, b, c, n, lane_rng, scalar_rng);
  case Op::Div:
    return ApplyOp<Op::Div>(p, r, a, b, c, n, lane_rng, scalar_rng);
  case Op::Fma:
    return ApplyOp<Op::Fma>(p, r, a, b, c, n, lane_rng, scalar_rng);
  case Op::Sqrt:
    return ApplyOp<Op::Sqrt>(p, r, a, b, c, n, lane_rng, scalar_rng);
  }
  return false;
}

bool ApplyF32(const Plan &p, Op op, float *r, const float *a, const float *b,
              const float *c, size_t n, uint64_t *lane_rng,
              uint64_t *scalar_rng) {
  return ApplyAny(p, op, r, a, b, c, n, lane_rng, scalar_rng);
}
bool ApplyF64(const Plan &p, Op op, double *r, const double *a,
              const double *b, const double *c, size_t n, uint64_t *lane_rng,
              uint64_t *scalar_rng) {
  return ApplyAny(p, op, r, a, b, c, n, lane_rng, scalar_rng);
}
bool TruncF64(const Plan &p, float *r, const double *a, size_t n,
              uint64_t *lane_rng) {
  return WithMode(p, [&](auto m) {
    Truncate<decltype(m)::value>::Run(p, r, a, n, lane_rng);
  });
}

#else // no hardware FMA: the remainders would not be exact

bool ApplyF32(const Plan &, Op, float *, const float *, const float *,
              const float *, size_t, uint64_t *, uint64_t *) {
  return false;
}
bool ApplyF64(const Plan &, Op, double *, const double *, const double *,
              const double *, size_t, uint64_t *, uint64_t *) {
  return false;
}
bool TruncF64(const Plan &, float *, const double *, size_t, uint64_t *) {
  return false;
}

#endif // HWY_NATIVE_FMA

} // namespace HWY_NAMESPACE
} // namespace chopvec
} // namespace prism
HWY_AFTER_NAMESPACE();

#endif // PRISM_CHOP_VECTOR_INL_H_
