// chop_kernels-inl.h - the one generic vector kernel of the bulk chop API:
// round float/double lanes to a narrower IEEE-like grid (any p, emin, emax,
// subnormals on/off, overflow rules and specials of bulk_params.h) with any of
// the nine modes, by integer arithmetic on the storage bits; fixed point is
// the same grid with an asymmetric range. Re-included once
// per Highway target by chop_kernels.cpp (foreach_target).
//
// Per group of kStreams 64-bit lanes (16 floats / 8 doubles) the kernel
// checks whether every lane lies in the "safe band" (0 or [lo_safe, xmax]):
// there the spacing is the constant 2^d0 ulps and nothing can overflow, so the
// rounding is `(u + bias) & ~m0` on the signed bits. Otherwise the group takes
// the general per-lane path (variable spacing below 2^emin, tiny values,
// overflow, inf, NaN). sr and sr-uniform draw one random word per lane from
// kStreams xoshiro256++ streams held in vector lanes; the word of an element
// does not depend on the vector width (prism/chop.h).

#if defined(PRISM_CHOP_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef PRISM_CHOP_KERNELS_INL_H_
#undef PRISM_CHOP_KERNELS_INL_H_
#else
#define PRISM_CHOP_KERNELS_INL_H_
#endif

#include <hwy/highway.h>

#include "backends/chop/bulk/bulk_params.h"
#include "backends/common/vector_eft-inl.h"

#include <bit>
#include <cstring>
#include <limits>
#include <type_traits>

HWY_BEFORE_NAMESPACE();
namespace prism {
namespace bulk {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using prism::HWY_NAMESPACE::XoshiroNext;

constexpr bool IsRandom(int mode) {
  return mode == static_cast<int>(RoundingMode::SR) ||
         mode == static_cast<int>(RoundingMode::SRUniform);
}

template <class T, int kMode> struct Kernel {
  using B = StorageBits<T>;
  using U = typename B::U;
  using S = std::make_signed_t<U>;
  using D64 = hn::CappedTag<uint64_t, kStreams>;
  using D = hn::Repartition<T, D64>;
  using DU = hn::RebindToUnsigned<D>;
  using DS = hn::RebindToSigned<D>;
  using VU = hn::Vec<DU>;
  using VS = hn::Vec<DS>;
  using V64 = hn::Vec<D64>;
  static constexpr size_t kN64 = hn::MaxLanes(D64());
  static constexpr size_t kNV = kStreams / kN64;             // vectors/group
  static constexpr size_t kGroup = kStreams * 8 / sizeof(T); // elements
  static constexpr bool kRandom = IsRandom(kMode);
  static constexpr int kM = B::M, kW = B::W;

  const KernelParams<U> &p;
  D d;
  DU du;
  DS ds;
  D64 d64;
  // Loop constants (members of a local object that never escapes: they live
  // in registers; General() is static so that `this` is not captured).
  int d0;
  VU abs_mask, m0, halfm1, half, lsb_mask, rne_base, ro_add;
  VS xmax_s, lo_s, lo_bias, zero_s;
  V64 s0[kNV], s1[kNV], s2[kNV], s3[kNV];

  explicit Kernel(const KernelParams<U> &params) : p(params) {
    d0 = p.d0_fast;
    abs_mask = hn::Set(du, static_cast<U>(~(U(1) << (kW - 1))));
    m0 = hn::Set(du, p.m0);
    halfm1 = hn::Set(du, static_cast<U>(p.m0 >> 1));
    half = hn::Set(du, static_cast<U>((p.m0 + 1) >> 1));
    lsb_mask = hn::Set(du, p.lsb_mask);
    rne_base = hn::Set(du, p.rne_base);
    ro_add = hn::Set(du, p.ro_add);
    xmax_s = hn::Set(ds, static_cast<S>(p.xmax));
    const U msb = U(1) << (kW - 1);
    lo_bias = hn::Set(ds, static_cast<S>(msb - 1));
    lo_s = hn::Set(ds, static_cast<S>(p.lo_safe + msb - 1));
    zero_s = hn::Zero(ds);
  }

  void loadRng(const uint64_t *rng) {
    for (size_t v = 0; v < kNV; ++v) {
      s0[v] = hn::LoadU(d64, rng + 0 * kStreams + v * kN64);
      s1[v] = hn::LoadU(d64, rng + 1 * kStreams + v * kN64);
      s2[v] = hn::LoadU(d64, rng + 2 * kStreams + v * kN64);
      s3[v] = hn::LoadU(d64, rng + 3 * kStreams + v * kN64);
    }
  }
  void storeRng(uint64_t *rng) const {
    for (size_t v = 0; v < kNV; ++v) {
      hn::StoreU(s0[v], d64, rng + 0 * kStreams + v * kN64);
      hn::StoreU(s1[v], d64, rng + 1 * kStreams + v * kN64);
      hn::StoreU(s2[v], d64, rng + 2 * kStreams + v * kN64);
      hn::StoreU(s3[v], d64, rng + 3 * kStreams + v * kN64);
    }
  }

  // Lanes outside the safe band {0} U [lo_safe, xmax].
  template <bool kLow> HWY_INLINE hn::Mask<DS> Special(VU u) const {
    const VS as = hn::BitCast(ds, hn::And(u, abs_mask));
    auto m = hn::Gt(as, xmax_s);
    if (kLow) {
      // 0 < a < lo as one signed compare: g = a - 1 + 2^(W-1) (wrapping)
      // orders 1, 2, ... from the most negative value and sends 0 to the top.
      const VS g = hn::Add(as, lo_bias);
      m = hn::Or(m, hn::Lt(g, lo_s));
    }
    return m;
  }

  // Safe band: constant spacing 2^d0, no overflow; works on the signed bits.
  HWY_INLINE VU Fast(VU u, VU rnd) const {
    using RM = RoundingMode;
    switch (static_cast<RM>(kMode)) {
    case RM::RNE: {
      const VU lsb = hn::And(hn::ShiftRightSame(u, d0), lsb_mask);
      return hn::AndNot(m0, hn::Add(u, hn::Add(rne_base, lsb)));
    }
    case RM::RNZ:
      return hn::AndNot(m0, hn::Add(u, halfm1));
    case RM::RNA:
      return hn::AndNot(m0, hn::Add(u, half));
    case RM::RZ:
      return hn::AndNot(m0, u);
    case RM::RU: {
      const VU neg = hn::BitCast(du, hn::BroadcastSignBit(hn::BitCast(ds, u)));
      return hn::AndNot(m0, hn::Add(u, hn::AndNot(neg, m0)));
    }
    case RM::RD: {
      const VU neg = hn::BitCast(du, hn::BroadcastSignBit(hn::BitCast(ds, u)));
      return hn::AndNot(m0, hn::Add(u, hn::And(neg, m0)));
    }
    case RM::RO:
      return hn::Or(
          hn::AndNot(m0, u),
          hn::IfThenElseZero(hn::Ne(hn::And(u, m0), hn::Zero(du)), ro_add));
    case RM::SR:
      return hn::AndNot(m0, hn::Add(u, hn::And(rnd, m0)));
    case RM::SRUniform: {
      const VU top =
          hn::BitCast(du, hn::BroadcastSignBit(hn::BitCast(ds, rnd)));
      return hn::AndNot(m0, hn::Add(u, hn::And(top, m0)));
    }
    }
    return u;
  }

  // Every lane: variable spacing, tiny values, overflow, inf and NaN.
  static HWY_NOINLINE VU General(const KernelParams<U> &p, VU u, VU rnd) {
    using RM = RoundingMode;
    const DU du;
    const DS ds;
    const VU abs_mask = hn::Set(du, static_cast<U>(~(U(1) << (kW - 1))));
    const VS xmax_s = hn::Set(ds, static_cast<S>(p.xmax));
    const VS zero_s = hn::Zero(ds);
    const VU one = hn::Set(du, 1);
    const VU sign = hn::AndNot(abs_mask, u);
    const VU a = hn::And(u, abs_mask);
    const VS as = hn::BitCast(ds, a);
    const auto negm = hn::RebindMask(du, hn::Lt(hn::BitCast(ds, u), zero_s));
    const VS E = hn::BitCast(ds, hn::ShiftRight<kM>(a));
    const VS E1 = hn::Max(E, hn::Set(ds, 1));
    const VS dsub = hn::Max(hn::Sub(hn::Set(ds, p.et), E1), zero_s);
    const VS dd = hn::Min(hn::Max(hn::Add(dsub, hn::Set(ds, p.d0)), zero_s),
                          hn::Set(ds, kM));
    const VU ddu = hn::BitCast(du, dd);
    const VU m = hn::Sub((one << ddu), one);
    // The kept last bit, read from the significand (hidden bit included: it
    // is the last kept bit when d = M).
    const VU implicit = hn::IfThenElseZero(
        hn::RebindMask(du, hn::Gt(E, zero_s)), hn::Set(du, U(1) << kM));
    const VU sig = hn::Or(hn::And(a, hn::Set(du, (U(1) << kM) - 1)), implicit);
    const VU lsb = hn::And(sig >> ddu, hn::And(m, one));
    const auto inexact = hn::Ne(hn::And(a, m), hn::Zero(du));
    VU r;
    switch (static_cast<RM>(kMode)) {
    case RM::RNE:
      r = hn::AndNot(m, hn::Add(a, hn::Add(hn::ShiftRight<1>(m), lsb)));
      break;
    case RM::RNZ:
      r = hn::AndNot(m, hn::Add(a, hn::ShiftRight<1>(m)));
      break;
    case RM::RNA:
      r = hn::AndNot(m, hn::Add(a, hn::ShiftRight<1>(hn::Add(m, one))));
      break;
    case RM::RZ:
      r = hn::AndNot(m, a);
      break;
    case RM::RU:
      r = hn::AndNot(m, hn::Add(a, hn::IfThenZeroElse(negm, m)));
      break;
    case RM::RD:
      r = hn::AndNot(m, hn::Add(a, hn::IfThenElseZero(negm, m)));
      break;
    case RM::RO: {
      const auto even = hn::Eq(lsb, hn::Zero(du));
      r = hn::Add(hn::AndNot(m, a),
                  hn::IfThenElseZero(hn::And(inexact, even), hn::Add(m, one)));
      break;
    }
    case RM::SR:
      r = hn::AndNot(m, hn::Add(a, hn::And(rnd, m)));
      break;
    case RM::SRUniform: {
      const VU top =
          hn::BitCast(du, hn::BroadcastSignBit(hn::BitCast(ds, rnd)));
      r = hn::AndNot(m, hn::Add(a, hn::And(top, m)));
      break;
    }
    }

    if (p.tiny_bound != 0) {
      // |x| below the smallest spacing 2^qt: the result is 0 or 2^qt. (No
      // branch on whether any lane is tiny: mixed data would mispredict it.)
      const auto tiny = hn::Lt(as, hn::Set(ds, static_cast<S>(p.tiny_bound)));
      const auto nonzero = hn::RebindMask(du, hn::Gt(as, zero_s));
      const VS half_s = hn::Set(ds, static_cast<S>(p.tiny_half));
      hn::Mask<DU> up;
      switch (static_cast<RM>(kMode)) {
      case RM::RNE:
      case RM::RNZ:
        up = hn::RebindMask(du, hn::Gt(as, half_s));
        break;
      case RM::RNA:
        up = hn::RebindMask(du, hn::Gt(as, hn::Sub(half_s, hn::Set(ds, 1))));
        break;
      case RM::RZ:
        up = hn::FirstN(du, 0);
        break;
      case RM::RU:
        up = hn::AndNot(negm, nonzero);
        break;
      case RM::RD:
        up = hn::And(negm, nonzero);
        break;
      case RM::RO:
        up = nonzero;
        break;
      case RM::SR: {
        // P(up) = |x| / 2^qt = sig / 2^dt; threshold sig * 2^(W - dt).
        const VS dt = hn::Sub(hn::Set(ds, p.tiny_dbase), E1);
        const VS w = hn::Set(ds, kW);
        const VU shl = hn::BitCast(du, hn::Max(hn::Sub(w, dt), zero_s));
        const VU shr = hn::BitCast(
            du, hn::Min(hn::Max(hn::Sub(dt, w), zero_s), hn::Set(ds, kW - 1)));
        const VU thr = ((sig << shl) >> shr);
        up = hn::Lt(rnd, thr);
        break;
      }
      case RM::SRUniform:
        up = hn::And(nonzero,
                     hn::RebindMask(du, hn::Lt(hn::BitCast(ds, rnd), zero_s)));
        break;
      }
      const VU rt = hn::IfThenElseZero(up, hn::Set(du, p.tiny_one));
      r = hn::IfThenElse(hn::RebindMask(du, tiny), rt, r);
    }

    const VU inf =
        hn::Set(du, std::bit_cast<U>(std::numeric_limits<T>::infinity()));
    const VS inf_s = hn::BitCast(ds, inf);
    const auto is_inf = hn::RebindMask(du, hn::Eq(as, inf_s));
    const VS limit =
        hn::IfThenElse(hn::RebindMask(ds, negm),
                       hn::Set(ds, static_cast<S>(p.xmax_neg)), xmax_s);
    const auto ovf = hn::RebindMask(du, hn::Gt(hn::BitCast(ds, r), limit));
    const VU ovf_val = hn::IfThenElse(
        negm,
        hn::IfThenElse(is_inf, hn::Set(du, p.inf_neg), hn::Set(du, p.ovf_neg)),
        hn::IfThenElse(is_inf, hn::Set(du, p.inf_pos), hn::Set(du, p.ovf_pos)));
    VU res = hn::IfThenElse(ovf, ovf_val, hn::Or(r, sign));
    const auto is_nan = hn::RebindMask(du, hn::Gt(as, inf_s));
    return hn::IfThenElse(is_nan, u, res);
  }

  template <bool kLow>
  HWY_INLINE void Group(const T *in, T *out) { // in == out is allowed
    const size_t N = hn::Lanes(du);
    VU u[kNV], rnd[kNV];
    for (size_t v = 0; v < kNV; ++v)
      u[v] = hn::BitCast(du, hn::LoadU(d, in + v * N));
    if constexpr (kRandom) {
      for (size_t v = 0; v < kNV; ++v)
        rnd[v] = hn::BitCast(du, XoshiroNext(s0[v], s1[v], s2[v], s3[v]));
    }
    auto sp = Special<kLow>(u[0]);
    for (size_t v = 1; v < kNV; ++v)
      sp = hn::Or(sp, Special<kLow>(u[v]));
    if (HWY_LIKELY(hn::AllFalse(ds, sp))) {
      for (size_t v = 0; v < kNV; ++v)
        hn::StoreU(hn::BitCast(d, Fast(u[v], kRandom ? rnd[v] : hn::Zero(du))),
                   d, out + v * N);
    } else {
      for (size_t v = 0; v < kNV; ++v)
        hn::StoreU(
            hn::BitCast(d, General(p, u[v], kRandom ? rnd[v] : hn::Zero(du))),
            d, out + v * N);
    }
  }

  template <bool kLow>
  HWY_INLINE void Run(const T *in, T *out, size_t n, uint64_t *rng) {
    if constexpr (kRandom)
      loadRng(rng);
    size_t i = 0;
    for (; i + kGroup <= n; i += kGroup)
      Group<kLow>(in + i, out + i);
    if (i < n) {
      // The last partial group, padded with zeros: it still advances every
      // stream once, as on any other vector width.
      HWY_ALIGN T buf[kGroup] = {};
      std::memcpy(buf, in + i, (n - i) * sizeof(T));
      Group<kLow>(buf, buf);
      std::memcpy(out + i, buf, (n - i) * sizeof(T));
    }
    if constexpr (kRandom)
      storeRng(rng);
  }
};

template <class T, int kMode>
HWY_NOINLINE void RoundMode(const KernelParams<typename StorageBits<T>::U> &p,
                            const T *in, T *out, size_t n, uint64_t *rng) {
  Kernel<T, kMode> k(p);
  if (p.lo_safe != 0)
    k.template Run<true>(in, out, n, rng);
  else
    k.template Run<false>(in, out, n, rng);
}

template <class T>
HWY_INLINE void RoundAny(const KernelParams<typename StorageBits<T>::U> &p,
                         const T *in, T *out, size_t n, uint64_t *rng) {
  using RM = RoundingMode;
  switch (static_cast<RM>(p.mode)) {
#define PRISM_CHOP_MODE_CASE(m)                                                \
  case RM::m:                                                                  \
    return RoundMode<T, static_cast<int>(RM::m)>(p, in, out, n, rng);
    PRISM_CHOP_MODE_CASE(RNE)
    PRISM_CHOP_MODE_CASE(RU)
    PRISM_CHOP_MODE_CASE(RD)
    PRISM_CHOP_MODE_CASE(RZ)
    PRISM_CHOP_MODE_CASE(SR)
    PRISM_CHOP_MODE_CASE(SRUniform)
    PRISM_CHOP_MODE_CASE(RNZ)
    PRISM_CHOP_MODE_CASE(RNA)
    PRISM_CHOP_MODE_CASE(RO)
#undef PRISM_CHOP_MODE_CASE
  }
}

void RoundF32(const KernelParams<uint32_t> &p, const float *in, float *out,
              size_t n, uint64_t *rng) {
  RoundAny<float>(p, in, out, n, rng);
}
void RoundF64(const KernelParams<uint64_t> &p, const double *in, double *out,
              size_t n, uint64_t *rng) {
  RoundAny<double>(p, in, out, n, rng);
}

} // namespace HWY_NAMESPACE
} // namespace bulk
} // namespace prism
HWY_AFTER_NAMESPACE();

#endif // PRISM_CHOP_KERNELS_INL_H_
