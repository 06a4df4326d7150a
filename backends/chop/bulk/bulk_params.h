// bulk_params.h - what the vector kernels of the bulk chop API need to know
// about a target format, precomputed once per call from a ChopRounder, as bit
// patterns of the storage type (float: uint32_t, double: uint64_t).
//
// The kernels work on the magnitude bits a = |x| of the storage value. With
// M stored fraction bits and exponent field E, the target's spacing at |x| is
// 2^d storage ulps, d = d0 + max(et - max(E, 1), 0), d0 = M + 1 - p: rounding
// adds a mode-dependent bias below bit d and clears the d low bits (a carry
// into the exponent field is the binade change, and overflow makes inf bits).
// Where that spacing exceeds the storage significand (|x| below the smallest
// target spacing 2^qt, "tiny"), the result is 0 or 2^qt.
//
// Fixed point fixed:I.F is the same grid (p = I+F+1, emin = I: every |x| < 2^I
// lies in its "subnormal" range of spacing 2^-F) with an asymmetric range:
// negative results saturate at -2^(I-1) instead of -xmax.
#pragma once

#include "backends/common/chop_rounder.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace prism::bulk {

// Number of 64-bit xoshiro256++ streams of a block's vector RNG (see
// prism/chop.h); the state is 4 arrays of kStreams words: s[w * 8 + k].
constexpr int kStreams = 8;
constexpr int kRngWords = 4 * kStreams;

template <class U> struct KernelParams {
  int mode;       // prism::RoundingMode as int
  int d0;         // discarded storage bits in the target's normal range
                  // (-1 for fixed:I.F with I+F = storage p; the general
                  // path clamps d at 0, such values saturate anyway)
  int d0_fast;    // max(d0, 0), the fast path's constant shift
  U m0;           // 2^d0_fast - 1
  U lsb_mask;     // 1 when 0 < d0 < M (RNE's tie reads the kept last bit)
  U rne_base;     // RNE bias without the last bit: 2^(d0-1) - 1, or 2^(d0-1)
                  // when d0 = M (p = 1: the kept bit is the hidden 1, odd)
  U ro_add;       // RO's last bit 2^d0, or 0 when d0 = M (already odd)
  int et;         // biased storage exponent of 2^emin of the target
  U lo_safe;      // 0 < a < lo_safe: spacing varies (or tiny) -> general path
  U xmax;         // bits of the largest finite target value
  U xmax_neg;     // largest magnitude of a negative result (fixed: 2^(I-1))
  U tiny_bound;   // a < tiny_bound: result 0 or 2^qt (0: never)
  U tiny_one;     // bits of 2^qt
  U tiny_half;    // bits of 2^(qt-1)
  int tiny_dbase; // spacing of a tiny a in storage ulps: 2^(tiny_dbase -
                  // max(E,1))
  U ovf_pos, ovf_neg; // result of a finite x whose rounding exceeds xmax
  U inf_pos, inf_neg; // result of +-inf
};

template <class T> struct StorageBits;
template <> struct StorageBits<float> {
  using U = uint32_t;
  static constexpr int M = 23, W = 32, bias = 127;
};
template <> struct StorageBits<double> {
  using U = uint64_t;
  static constexpr int M = 52, W = 64, bias = 1023;
};

template <class T> inline typename StorageBits<T>::U bitsOf(T v) {
  return std::bit_cast<typename StorageBits<T>::U>(v);
}

template <class T>
inline KernelParams<typename StorageBits<T>::U>
makeKernelParams(const ChopRounder &r) {
  using B = StorageBits<T>;
  using U = typename B::U;
  // As ChopRounder::round: fixed point's uniform grid lies wholly in the
  // "subnormal" range of its encoding, which subnormals=off does not flush.
  FormatSpec g = r.fmt.grid;
  if (r.fmt.fixed)
    g.subnormals = true;
  KernelParams<U> k{};
  k.mode = static_cast<int>(r.mode);
  k.d0 = B::M + 1 - g.precision;
  k.d0_fast = k.d0 < 0 ? 0 : k.d0;
  k.m0 = (U(1) << k.d0_fast) - 1;
  k.lsb_mask = k.d0_fast > 0 && k.d0_fast < B::M ? 1 : 0;
  k.rne_base = (k.m0 >> 1) + (k.d0_fast == B::M ? 1 : 0);
  k.ro_add = k.d0_fast == B::M ? 0 : k.m0 + 1;
  k.et = g.emin + B::bias;
  const int eminT = 1 - B::bias;
  int qt;
  if (g.subnormals) {
    qt = g.emin - g.precision + 1;
    k.tiny_bound = qt > eminT ? bitsOf(std::ldexp(T(1), qt)) : 0;
  } else {
    qt = g.emin;
    k.tiny_bound = bitsOf(std::ldexp(T(1), qt));
  }
  k.tiny_one = bitsOf(std::ldexp(T(1), qt));
  k.tiny_half = bitsOf(std::ldexp(T(1), qt - 1));
  k.tiny_dbase = qt + B::bias + B::M;
  // Below 2^emin the spacing varies (et >= 2), or is tiny (subnormals off),
  // or the fast path's p = 1 shortcut (hidden bit = kept bit) does not hold.
  k.lo_safe = (k.et >= 2 || !g.subnormals || k.d0 == B::M)
                  ? bitsOf(std::ldexp(T(1), g.emin))
                  : 0;
  const T xmax = static_cast<T>(r.fmt.xmax);
  k.xmax = bitsOf(xmax);
  k.xmax_neg = r.fmt.fixed ? bitsOf(static_cast<T>(-r.fmt.fixed_min)) : k.xmax;
  const U sign = U(1) << (B::W - 1);
  const U inf = bitsOf(std::numeric_limits<T>::infinity());
  const U nan = bitsOf(std::numeric_limits<T>::quiet_NaN());
  const bool alwaysMax = r.saturate || r.fmt.specials == SpecialValues::None;
  auto overflow = [&](bool toMax, bool neg) -> U {
    if (toMax)
      return k.xmax | (neg ? sign : 0);
    if (r.fmt.specials == SpecialValues::NanOnly)
      return nan;
    return inf | (neg ? sign : 0);
  };
  k.ovf_pos = overflow(alwaysMax || r.overflowsToMax(false), false);
  k.ovf_neg = overflow(alwaysMax || r.overflowsToMax(true), true);
  k.inf_pos = overflow(alwaysMax, false);
  k.inf_neg = overflow(alwaysMax, true);
  if (r.fmt.fixed) // saturates at [fixed_min, xmax], inf included
    k.ovf_neg = k.inf_neg = k.xmax_neg | sign;
  return k;
}

// Vector kernels (chop_kernels.cpp, dynamic dispatch): round n elements; rng
// is the block's kRngWords-word vector RNG state (sr, sr-uniform), advanced.
void roundBlock(const KernelParams<uint32_t> &p, const float *in, float *out,
                size_t n, uint64_t *rng);
void roundBlock(const KernelParams<uint64_t> &p, const double *in, double *out,
                size_t n, uint64_t *rng);

} // namespace prism::bulk
