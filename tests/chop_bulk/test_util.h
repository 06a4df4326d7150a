// test_util.h - shared helpers of the bulk chop API tests: the scalar
// reference (ChopRounder), input sets around every code of a format, and the
// Highway targets the library can be forced to.
#pragma once

#include "backends/common/chop_rounder.h"
#include "prism/chop.h"

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace chop_bulk_test {

template <class T> struct Bits;
template <> struct Bits<float> { using U = uint32_t; };
template <> struct Bits<double> { using U = uint64_t; };
template <class T> using UOf = typename Bits<T>::U;

template <class T> UOf<T> bitsOf(T v) { return std::bit_cast<UOf<T>>(v); }
template <class T> T fromBits(UOf<T> u) { return std::bit_cast<T>(u); }

// The scalar reference of the bulk API, as the chop backend configures it.
inline prism::ChopRounder referenceRounder(const prism_chop_options &o) {
  prism::ChopRounder r;
  r.fmt = *prism::parseChopFormat(o.format);
  r.fmt.grid.subnormals = o.subnormals_off == 0;
  r.mode = o.rounding ? *prism::parseRoundingMode(o.rounding)
                      : prism::RoundingMode::RNE;
  r.saturate = o.saturate != 0;
  r.flip_prob = o.flip_prob;
  return r;
}

// The grid ChopRounder::round rounds on (fixed point ignores subnormals=off).
inline prism::FormatSpec referenceGrid(const prism::ChopRounder &r) {
  prism::FormatSpec g = r.fmt.grid;
  if (r.fmt.fixed)
    g.subnormals = true;
  return g;
}

template <class T>
T referenceRound(const prism::ChopRounder &r, T x, uint64_t *rng) {
  return r.round(prism::ExactValue<T>{x, 0, 0, 0}, rng);
}

template <class T>
int chopArray(const T *in, T *out, size_t n, const prism_chop_options &o) {
  if constexpr (sizeof(T) == 4)
    return prism_chop_f32(in, out, n, &o);
  else
    return prism_chop_f64(in, out, n, &o);
}

// The Highway targets compiled into the library that this CPU runs (AVX2,
// SSE4, SSSE3, EMU128 on Zen 3). Forcing one makes HWY_DYNAMIC_DISPATCH in
// libprism-chop pick it (libhwy's chosen target is shared).
inline std::vector<int64_t> cpuTargets() {
  std::vector<int64_t> t;
  for (int64_t target : hwy::SupportedAndGeneratedTargets())
    t.push_back(target);
  return t;
}

struct TargetScope {
  explicit TargetScope(int64_t target) {
    hwy::SetSupportedTargetsForTest(target);
  }
  ~TargetScope() { hwy::SetSupportedTargetsForTest(0); }
};

// Inputs around every value of a format's grid (sampled for wide formats):
// each grid value, +-1 and +-2 storage ulps, the midpoint to the next grid
// value and +-1 ulp of it; both signs; the overflow binade; specials; random
// bit patterns.
template <class T>
std::vector<T> gridInputs(const prism::ChopFormat &f, uint64_t seed,
                          size_t random_count = 20000) {
  using U = UOf<T>;
  std::mt19937_64 gen(seed);
  std::vector<T> out;
  const int p = f.grid.precision;
  const int emin = f.grid.emin, emax = f.grid.emax;
  auto push = [&](double v) {
    T t = static_cast<T>(v);
    if (!std::isfinite(t))
      return;
    const T inf = std::numeric_limits<T>::infinity();
    T around[] = {t, std::nextafter(t, inf), std::nextafter(t, -inf),
                  std::nextafter(std::nextafter(t, inf), inf),
                  std::nextafter(std::nextafter(t, -inf), -inf)};
    for (T a : around)
      if (std::isfinite(a)) {
        out.push_back(a);
        out.push_back(-a);
      }
  };
  // Mantissas k in [2^(p-1), 2^p) (all, or a sample for wide formats).
  const long long kLo = 1ll << (p - 1), kHi = 1ll << p;
  const long long binades = static_cast<long long>(emax) - emin + 2;
  const bool sampleK = p > 12 || binades * kLo > 80000;
  std::vector<long long> ks;
  if (!sampleK) {
    for (long long k = kLo; k < kHi; ++k)
      ks.push_back(k);
  } else {
    for (long long k : {kLo, kLo + 1, kLo + 2, kHi - 1, kHi - 2, kHi - 3})
      if (k >= kLo && k < kHi)
        ks.push_back(k);
    std::uniform_int_distribution<long long> dk(kLo, kHi - 1);
    for (int i = 0; i < 40; ++i)
      ks.push_back(dk(gen));
  }
  // Exponents: all (narrow ranges) or the ends and a sample.
  std::vector<int> es;
  for (int e = emin; e <= emax + 1; ++e)
    if (emax - emin < 120 || e < emin + 40 || e > emax - 40 || gen() % 16 == 0)
      es.push_back(e);
  for (int e : es)
    for (long long k : ks) {
      const double g = std::ldexp(static_cast<double>(k), e - p + 1);
      const double gn = std::ldexp(static_cast<double>(k + 1), e - p + 1);
      push(g);
      push(0.5 * (g + gn));
    }
  // Subnormals of the target (and values below them).
  const long long subCount = std::min<long long>(kLo, 4096);
  for (long long i = 0; i <= subCount; ++i) {
    const long long k =
        sampleK ? (i < subCount / 2 ? i : kLo - 1 - (i - subCount / 2)) : i;
    const double g = std::ldexp(static_cast<double>(k), emin - p + 1);
    push(g);
    push(g + std::ldexp(0.5, emin - p + 1));
  }
  for (int j = 1; j <= 40; ++j) {
    push(std::ldexp(1.0, emin - p + 1 - j));
    push(std::ldexp(1.5, emin - p + 1 - j));
    push(std::ldexp(1.0, emin - j));
  }
  // Overflow edges (and fixed point's negative end).
  push(f.xmax);
  if (f.fixed) {
    push(-f.fixed_min);
    push(-f.fixed_min - std::ldexp(0.5, -f.fraction_bits));
    push(-f.fixed_min + std::ldexp(0.5, -f.fraction_bits));
  }
  push(std::ldexp(1.0, emax + 1));
  push(std::ldexp(1.0, emax + 2));
  push(f.xmax + std::ldexp(1.0, emax - p)); // midpoint above xmax
  // Storage specials.
  const T inf = std::numeric_limits<T>::infinity();
  for (T s :
       {T(0), -T(0), inf, -inf, std::numeric_limits<T>::max(),
        -std::numeric_limits<T>::max(), std::numeric_limits<T>::denorm_min(),
        -std::numeric_limits<T>::denorm_min(), std::numeric_limits<T>::min(),
        T(1), T(-1)})
    out.push_back(s);
  const U expAll = bitsOf(inf);
  const U sign = U(1) << (sizeof(U) * 8 - 1);
  for (U payload : {U(1), U(2), expAll >> 1 & ~(expAll), U(12345)}) {
    out.push_back(fromBits<T>(expAll | payload));        // signaling NaN
    out.push_back(fromBits<T>(expAll | payload | sign)); // negative NaN
  }
  out.push_back(std::numeric_limits<T>::quiet_NaN());
  out.push_back(-std::numeric_limits<T>::quiet_NaN());
  // Random bit patterns (every exponent), and random values in range.
  for (size_t i = 0; i < random_count; ++i)
    out.push_back(fromBits<T>(static_cast<U>(gen())));
  std::uniform_real_distribution<double> m(1.0, 2.0);
  std::uniform_int_distribution<int> de(emin - p - 4, emax + 2);
  for (size_t i = 0; i < random_count; ++i) {
    T t = static_cast<T>(std::ldexp(m(gen), de(gen)));
    if (std::isfinite(t))
      out.push_back(gen() & 1 ? t : -t);
  }
  return out;
}

inline std::string bitsHex(uint64_t u) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(u));
  return buf;
}

inline std::string targetName(int64_t t) { return hwy::TargetName(t); }

} // namespace chop_bulk_test
