// chop_ref.h - the chop suite's independent reference for SPEC.md's "chop"
// rounding semantics, and the helpers the suite's tests share.
//
// The reference never calls the code under test (backends/common): the format
// table is written again from SPEC.md; the operation's result comes from MPFR
// correctly rounded toward zero at 128 bits with its ternary value as a sticky
// bit (128 truncated bits + sticky decide every rounding onto a grid of at
// most 54 bits, for every mode and every tie); the grid rounding, the overflow
// rules and the zero signs are then integer arithmetic on that significand.
//
// Where SPEC.md is silent, the reference decides (and the suite checks):
//   - fixed:I.F has one uniform spacing 2^-F: PRISM_SUBNORMALS does not apply
//     to it; +-inf saturate to xmax and -2^(I-1); zero signs follow IEEE like
//     every other format (a negative result rounded to 0 is -0);
//   - ro (and rne's tie-break) use the parity of the grid index n of RD: with
//     subnormals off, (0, 2^emin) rounds to odd 2^emin (index 1), and the tie
//     2^(emin-1) goes to 0 under rne; with p = 1 (e5m0) an inexact result
//     in [2^e, 2^(e+1)) rounds to odd 2^e;
//   - an exact infinity (1/0, inf + 1) is not an overflow: it stays inf under
//     every mode unless the overflow setting or the format saturates it;
//   - sr and sr-uniform overflow as "every other mode" (to inf);
//   - a format wider than float (p > 24 or exponent range beyond float's:
//     binary64, e11m40, fixed:16.15...) cannot be stored in float: the
//     backend stops a program at its first float operation (exit status 2,
//     one line); such formats are checked on double storage only.
#pragma once

#include "backends/common/chop_rounder.h"
#include "backends/common/exact.h"
#include "backends/common/format_table.h"
#include "prism/rng.h"

#include <mpfr.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace chop_test {

using prism::RoundingMode;
using u128 = unsigned __int128;

// ------------------------------------------------------------------ MPFR

class Mpfr {
public:
  explicit Mpfr(mpfr_prec_t prec = 128) { mpfr_init2(v_, prec); }
  ~Mpfr() { mpfr_clear(v_); }
  Mpfr(const Mpfr &) = delete;
  Mpfr &operator=(const Mpfr &) = delete;
  operator mpfr_ptr() { return v_; }
  operator mpfr_srcptr() const { return v_; }
  mpfr_ptr operator->() { return v_; }
  mpfr_srcptr operator->() const { return v_; }

private:
  mpfr_t v_;
};

// ------------------------------------------------------------- operations

enum class Op { Add, Sub, Mul, Div, Fma, Sqrt, Trunc };
constexpr Op kAllOps[] = {Op::Add, Op::Sub, Op::Mul, Op::Div,
                          Op::Fma, Op::Sqrt, Op::Trunc};

inline const char *opName(Op op) {
  switch (op) {
  case Op::Add: return "add";
  case Op::Sub: return "sub";
  case Op::Mul: return "mul";
  case Op::Div: return "div";
  case Op::Fma: return "fma";
  case Op::Sqrt: return "sqrt";
  case Op::Trunc: return "trunc";
  }
  return "?";
}

inline int arity(Op op) {
  return op == Op::Fma ? 3 : (op == Op::Sqrt || op == Op::Trunc) ? 1 : 2;
}

// Operands held as doubles: float operands convert exactly; Trunc's operand is
// a genuine double and its result a float.
struct Inputs {
  double a = 0, b = 0, c = 0;
};

inline std::string hex(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

template <class T> const char *typeName() {
  return std::is_same_v<T, float> ? "float" : "double";
}

template <class T> std::string describe(Op op, const Inputs &in) {
  std::string s = std::string(opName(op)) + "<" + typeName<T>() + ">(" + hex(in.a);
  if (arity(op) >= 2)
    s += ", " + hex(in.b);
  if (arity(op) == 3)
    s += ", " + hex(in.c);
  return s + ")";
}

// The code under test: the error-free transform of exact.h for op.
template <class T> prism::ExactValue<T> coreExact(Op op, const Inputs &in) {
  const T a = static_cast<T>(in.a), b = static_cast<T>(in.b),
          c = static_cast<T>(in.c);
  switch (op) {
  case Op::Add: return prism::exactAdd(a, b);
  case Op::Sub: return prism::exactSub(a, b);
  case Op::Mul: return prism::exactMul(a, b);
  case Op::Div: return prism::exactDiv(a, b);
  case Op::Fma: return prism::exactFma(a, b, c);
  case Op::Sqrt: return prism::exactSqrt(a);
  case Op::Trunc:
    if constexpr (std::is_same_v<T, float>)
      return prism::exactTrunc(in.a);
    break;
  }
  return {std::numeric_limits<T>::quiet_NaN(), 0, 0, 0};
}

// Operands as the storage type sees them (Trunc keeps its double).
template <class T> Inputs storageInputs(Op op, Inputs in) {
  if (op == Op::Trunc)
    return in;
  in.a = static_cast<T>(in.a);
  in.b = static_cast<T>(in.b);
  in.c = static_cast<T>(in.c);
  return in;
}

// MPFR's op(in) rounded with rnd into y; returns the ternary value.
inline int mpfrOp(mpfr_ptr y, Op op, const Inputs &in, mpfr_rnd_t rnd) {
  Mpfr a(53), b(53), c(53);
  mpfr_set_d(a, in.a, MPFR_RNDN); // exact
  mpfr_set_d(b, in.b, MPFR_RNDN);
  mpfr_set_d(c, in.c, MPFR_RNDN);
  switch (op) {
  case Op::Add: return mpfr_add(y, a, b, rnd);
  case Op::Sub: return mpfr_sub(y, a, b, rnd);
  case Op::Mul: return mpfr_mul(y, a, b, rnd);
  case Op::Div: return mpfr_div(y, a, b, rnd);
  case Op::Fma: return mpfr_fma(y, a, b, c, rnd);
  case Op::Sqrt: return mpfr_sqrt(y, a, rnd);
  case Op::Trunc: return mpfr_set(y, a, rnd);
  }
  return 0;
}

// The exact result of an operation, as the reference needs it:
// |x| = (sig + sticky*tiny) * 2^exp with sig in [2^127, 2^128).
struct Exact {
  enum Class { Nan, Inf, Zero, Finite } cls = Nan;
  bool neg = false;       // sign of x; for an exact zero, its IEEE sign
  bool zeroNegRD = false; // sign of an exact zero under roundTowardNegative
  u128 sig = 0;
  long exp = 0;
  bool sticky = false;
  long binade() const { return exp + 127; } // |x| in [2^b, 2^(b+1))
};

inline Exact exactOf(Op op, const Inputs &in) {
  Exact x;
  Mpfr y(128);
  const int tern = mpfrOp(y, op, in, MPFR_RNDZ);
  if (mpfr_nan_p(y)) {
    x.cls = Exact::Nan;
    return x;
  }
  x.neg = mpfr_signbit(y);
  if (mpfr_inf_p(y)) {
    x.cls = Exact::Inf; // an exact infinity (RZ never rounds to one)
    return x;
  }
  if (mpfr_zero_p(y)) {
    // RZ of a nonzero value is never 0 at 128 bits in MPFR's exponent range.
    x.cls = Exact::Zero;
    Mpfr n(128), d(128);
    mpfrOp(n, op, in, MPFR_RNDN);
    mpfrOp(d, op, in, MPFR_RNDD);
    x.neg = mpfr_signbit(n);
    x.zeroNegRD = mpfr_signbit(d);
    return x;
  }
  x.cls = Exact::Finite;
  x.sticky = tern != 0;
  mpz_t z;
  mpz_init(z);
  x.exp = mpfr_get_z_2exp(z, y);
  mpz_abs(z, z);
  uint64_t limbs[2] = {0, 0};
  size_t count = 0;
  mpz_export(limbs, &count, -1, sizeof(uint64_t), 0, 0, z); // <= 128 bits
  mpz_clear(z);
  x.sig = (static_cast<u128>(limbs[1]) << 64) | limbs[0];
  while (!(x.sig >> 127)) {
    x.sig <<= 1;
    --x.exp;
  }
  return x;
}

// ------------------------------------------------------ the format table

enum class Kind { Ieee, NanOnly, NoSpecials, Fixed };

// A target format, written from SPEC.md independently of format_table.h.
struct TFormat {
  std::string name;
  int p = 0, emin = 0, emax = 0; // IEEE-like grid: p counts the hidden bit
  double xmax = 0;               // largest finite magnitude
  Kind kind = Kind::Ieee;
  int I = 0, F = 0; // fixed:I.F
  double fixedMin() const { return -std::ldexp(1.0, I - 1); }
  int fractionBits() const { return kind == Kind::Fixed ? F : p - 1; }
  // Float storage can hold every value of the format (else the backend stops
  // a program at its first float operation).
  bool fitsFloat() const {
    if (kind == Kind::Fixed)
      return I + F <= 24;
    return p <= 24 && emin >= -126 && emax <= 127;
  }
};

inline TFormat ieeeFormat(const std::string &name, int p, int emin, int emax,
                          double xmax, Kind k = Kind::Ieee) {
  TFormat f;
  f.name = name;
  f.p = p;
  f.emin = emin;
  f.emax = emax;
  f.xmax = xmax;
  f.kind = k;
  return f;
}

// Custom eXmY: X exponent bits, Y stored significand bits, IEEE-like.
inline TFormat customFormat(int X, int Y) {
  const int emax = (1 << (X - 1)) - 1;
  return ieeeFormat("e" + std::to_string(X) + "m" + std::to_string(Y), Y + 1,
                    1 - emax, emax, std::ldexp(2.0 - std::ldexp(1.0, -Y), emax));
}

inline TFormat fixedFormat(int I, int F) {
  TFormat f;
  f.name = "fixed:" + std::to_string(I) + "." + std::to_string(F);
  f.kind = Kind::Fixed;
  f.I = I;
  f.F = F;
  f.xmax = std::ldexp(1.0, I - 1) - std::ldexp(1.0, -F);
  return f;
}

inline TFormat formatByName(const std::string &n) {
  if (n == "binary16") return ieeeFormat(n, 11, -14, 15, 65504.0);
  if (n == "bfloat16") return ieeeFormat(n, 8, -126, 127, 0x1.fep127);
  if (n == "tf32") return ieeeFormat(n, 11, -126, 127, 0x1.ffcp127);
  if (n == "e5m2") return ieeeFormat(n, 3, -14, 15, 57344.0);
  if (n == "e4m3") return ieeeFormat(n, 4, -6, 8, 448.0, Kind::NanOnly);
  if (n == "e3m2") return ieeeFormat(n, 3, -2, 4, 28.0, Kind::NoSpecials);
  if (n == "e2m3") return ieeeFormat(n, 4, 0, 2, 7.5, Kind::NoSpecials);
  if (n == "e2m1") return ieeeFormat(n, 2, 0, 2, 6.0, Kind::NoSpecials);
  if (n == "binary32") return ieeeFormat(n, 24, -126, 127, FLT_MAX);
  if (n == "binary64") return ieeeFormat(n, 53, -1022, 1023, DBL_MAX);
  unsigned a, b;
  char tail;
  if (std::sscanf(n.c_str(), "e%um%u%c", &a, &b, &tail) == 2)
    return customFormat(static_cast<int>(a), static_cast<int>(b));
  if (std::sscanf(n.c_str(), "fixed:%u.%u%c", &a, &b, &tail) == 2)
    return fixedFormat(static_cast<int>(a), static_cast<int>(b));
  std::fprintf(stderr, "chop_ref: unknown format %s\n", n.c_str());
  std::abort();
}

// Every format of the brief.
inline const std::vector<std::string> &allFormatNames() {
  static const std::vector<std::string> k = {
      "binary16", "bfloat16", "tf32",  "e5m2",  "e4m3",      "e3m2",
      "e2m3",     "e2m1",     "binary32", "binary64", "e3m4", "e6m9",
      "e8m7",     "e11m40",   "e5m0",  "e2m0",  "fixed:8.8", "fixed:16.15",
      "fixed:4.20", "fixed:1.0", "fixed:2.51", "fixed:53.0"};
  return k;
}

// --------------------------------------------------------------- modes

constexpr RoundingMode kDeterministic[] = {
    RoundingMode::RNE, RoundingMode::RU,  RoundingMode::RD, RoundingMode::RZ,
    RoundingMode::RNZ, RoundingMode::RNA, RoundingMode::RO};

inline const char *modeName(RoundingMode m) {
  switch (m) {
  case RoundingMode::RNE: return "rne";
  case RoundingMode::RU: return "ru";
  case RoundingMode::RD: return "rd";
  case RoundingMode::RZ: return "rz";
  case RoundingMode::SR: return "sr";
  case RoundingMode::SRUniform: return "sr-uniform";
  case RoundingMode::RNZ: return "rnz";
  case RoundingMode::RNA: return "rna";
  case RoundingMode::RO: return "ro";
  }
  return "?";
}

inline RoundingMode modeByName(const std::string &s) {
  for (RoundingMode m : {RoundingMode::RNE, RoundingMode::RU, RoundingMode::RD,
                         RoundingMode::RZ, RoundingMode::SR,
                         RoundingMode::SRUniform, RoundingMode::RNZ,
                         RoundingMode::RNA, RoundingMode::RO})
    if (s == modeName(m))
      return m;
  std::abort();
}

struct Setting {
  RoundingMode mode = RoundingMode::RNE;
  bool subnormals = true;
  bool saturate = false;
};

inline std::string describe(const TFormat &f, const Setting &s) {
  return f.name + " " + modeName(s.mode) + " sub=" + (s.subnormals ? "on" : "off") +
         " ovf=" + (s.saturate ? "saturate" : "inf");
}

// ------------------------------------------------------- grid reference

// Where x lies on the grid: RD(|x|) = n * 2^q, and |x| against the midpoint.
struct GridPos {
  bool huge = false; // fixed point: |x| >= 2^I, beyond any rounding
  u128 n = 0;
  long q = 0;
  int vsHalf = -1; // sign of (|x| - RD) - spacing/2
  bool exact = false;
  double frac = 0; // (|x| - RD) / spacing, approximately (for sr)
};

inline GridPos gridPos(const Exact &x, const TFormat &f, bool subnormals) {
  GridPos g;
  const long e = x.binade();
  if (f.kind == Kind::Fixed) {
    if (e >= f.I) {
      g.huge = true;
      return g;
    }
    g.q = -f.F; // uniform spacing; subnormals do not apply to fixed point
  } else if (e >= f.emin) {
    g.q = e - f.p + 1;
  } else {
    g.q = subnormals ? f.emin - f.p + 1 : f.emin; // grid {0, 2^emin} when off
  }
  const long s = g.q - x.exp; // |x| / 2^q = sig / 2^s; s > 0 always here
  if (s <= 0) {
    std::fprintf(stderr, "chop_ref: unexpected shift %ld\n", s);
    std::abort();
  }
  u128 rem;
  u128 half;
  bool remBelowHalfStrict = false;
  if (s >= 129) {
    g.n = 0;
    rem = x.sig;
    half = 0;
    remBelowHalfStrict = true; // sig * 2^-s < 2^(128-s) <= 1/2
    g.frac = std::ldexp(static_cast<double>(x.sig), static_cast<int>(-std::min<long>(s, 2000)));
  } else if (s == 128) {
    g.n = 0;
    rem = x.sig;
    half = static_cast<u128>(1) << 127;
    g.frac = std::ldexp(static_cast<double>(x.sig), -128);
  } else {
    g.n = x.sig >> s;
    rem = x.sig & ((static_cast<u128>(1) << s) - 1);
    half = static_cast<u128>(1) << (s - 1);
    g.frac = std::ldexp(static_cast<double>(rem), static_cast<int>(-s));
  }
  g.exact = rem == 0 && !x.sticky;
  if (remBelowHalfStrict)
    g.vsHalf = -1;
  else if (rem != half)
    g.vsHalf = rem > half ? 1 : -1;
  else
    g.vsHalf = x.sticky ? 1 : 0;
  return g;
}

// Magnitude rounds up (away from zero)?
inline bool magnitudeUp(const GridPos &g, bool neg, RoundingMode m) {
  if (g.exact)
    return false;
  const bool odd = (g.n & 1) != 0;
  switch (m) {
  case RoundingMode::RNE: return g.vsHalf > 0 || (g.vsHalf == 0 && odd);
  case RoundingMode::RNZ: return g.vsHalf > 0;
  case RoundingMode::RNA: return g.vsHalf >= 0;
  case RoundingMode::RU: return !neg;
  case RoundingMode::RD: return neg;
  case RoundingMode::RZ: return false;
  case RoundingMode::RO: return !odd; // the neighbour with index n or n+1 odd
  default: break;
  }
  return false; // stochastic modes: only exact values get here
}

// The format's range and specials applied to a grid value v (sign included,
// |v| may be inf after exceeding double); s.mode decides an IEEE overflow.
inline double applyRange(double v, bool exactInf, const TFormat &f,
                         const Setting &s) {
  const bool neg = std::signbit(v);
  if (f.kind == Kind::Fixed) {
    if (v > f.xmax)
      return f.xmax;
    if (v < f.fixedMin())
      return f.fixedMin();
    return v;
  }
  if (!(std::fabs(v) > f.xmax))
    return v;
  const double sxmax = neg ? -f.xmax : f.xmax;
  const double sinf = neg ? -HUGE_VAL : HUGE_VAL;
  if (s.saturate || f.kind == Kind::NoSpecials)
    return sxmax;
  bool toMax = false;
  if (!exactInf) {
    switch (s.mode) {
    case RoundingMode::RZ:
    case RoundingMode::RO: toMax = true; break;
    case RoundingMode::RU: toMax = neg; break;
    case RoundingMode::RD: toMax = !neg; break;
    default: break;
    }
  }
  if (toMax)
    return sxmax;
  return f.kind == Kind::NanOnly ? std::numeric_limits<double>::quiet_NaN() : sinf;
}

// The grid value n*2^q as a double (exact: n <= 2^54; inf past double).
inline double gridValue(u128 n, long q) {
  return std::ldexp(static_cast<double>(static_cast<uint64_t>(n)),
                    static_cast<int>(std::clamp<long>(q, -4000, 4000)));
}

inline double referenceOnGrid(const Exact &x, const GridPos &g,
                              const TFormat &f, const Setting &s);

// SPEC.md's chop result of x (deterministic modes), as a double.
inline double reference(const Exact &x, const TFormat &f, const Setting &s) {
  switch (x.cls) {
  case Exact::Nan: return std::numeric_limits<double>::quiet_NaN();
  case Exact::Inf: return applyRange(x.neg ? -HUGE_VAL : HUGE_VAL, true, f, s);
  case Exact::Zero: {
    const bool neg = s.mode == RoundingMode::RD ? x.zeroNegRD : x.neg;
    return neg ? -0.0 : 0.0;
  }
  case Exact::Finite: break;
  }
  return referenceOnGrid(x, gridPos(x, f, s.subnormals), f, s);
}

// The same with x's grid position already known (x finite and nonzero).
inline double referenceOnGrid(const Exact &x, const GridPos &g,
                              const TFormat &f, const Setting &s) {
  if (g.huge)
    return x.neg ? f.fixedMin() : f.xmax;
  const u128 m = g.n + (magnitudeUp(g, x.neg, s.mode) ? 1 : 0);
  double v = gridValue(m, g.q);
  if (x.neg)
    v = -v; // a nonzero x rounded to 0 keeps its sign (IEEE)
  return applyRange(v, false, f, s);
}

// RD and RU neighbours (signed, after the range rules of a nearest mode) and
// P(RU) for the stochastic tests. `exact` if x is on the grid or special.
struct Neighbours {
  double down = 0, up = 0, pUp = 0;
  bool exact = false;
};

inline Neighbours neighbours(const Exact &x, const TFormat &f, const Setting &s) {
  Neighbours nb;
  Setting sd = s, su = s;
  sd.mode = RoundingMode::RD;
  su.mode = RoundingMode::RU;
  if (x.cls != Exact::Finite) {
    Setting sn = s;
    sn.mode = RoundingMode::RNE;
    nb.down = nb.up = reference(x, f, sn);
    nb.exact = true;
    return nb;
  }
  const GridPos g = gridPos(x, f, s.subnormals);
  // Stochastic modes overflow like "every other mode": to inf (or NaN/xmax).
  Setting sn = s;
  sn.mode = RoundingMode::SR;
  if (g.huge || g.exact) {
    nb.down = nb.up = reference(x, f, sn);
    nb.exact = true;
    return nb;
  }
  const double lo = gridValue(g.n, g.q), hi = gridValue(g.n + 1, g.q);
  const double dlo = applyRange(x.neg ? -lo : lo, false, f, sn);
  const double dhi = applyRange(x.neg ? -hi : hi, false, f, sn);
  nb.down = x.neg ? dhi : dlo;
  nb.up = x.neg ? dlo : dhi;
  nb.pUp = x.neg ? 1.0 - g.frac : g.frac;
  return nb;
}

// The expected stored result of a deterministic mode in T.
template <class T> T expected(Op op, const Inputs &in, const TFormat &f,
                              const Setting &s) {
  const Exact x = exactOf(op, storageInputs<T>(op, in));
  if (std::is_same_v<T, float> && !f.fitsFloat()) {
    std::fprintf(stderr, "expected<float>: %s does not fit float\n", f.name.c_str());
    std::abort();
  }
  return static_cast<T>(reference(x, f, s)); // exact: on the grid
}

template <class T> bool sameBits(T x, T y) {
  if (std::isnan(x) || std::isnan(y))
    return std::isnan(x) && std::isnan(y);
  return std::memcmp(&x, &y, sizeof(T)) == 0;
}

// ------------------------------------------------------- code under test

inline prism::ChopRounder makeRounder(const std::string &name, const Setting &s,
                                      double flipProb = 0) {
  prism::ChopRounder r;
  auto f = prism::parseChopFormat(name);
  if (!f) {
    std::fprintf(stderr, "parseChopFormat(%s) failed\n", name.c_str());
    std::abort();
  }
  r.fmt = *f;
  r.fmt.grid.subnormals = s.subnormals; // what the backend does
  r.mode = s.mode;
  r.saturate = s.saturate;
  r.flip_prob = flipProb;
  return r;
}

template <class T>
T chopped(const prism::ChopRounder &r, Op op, const Inputs &in, uint64_t *rng) {
  return r.round(coreExact<T>(op, in), rng);
}

// --------------------------------------------------------- target codes

// A value's encoding in the target format: sign, exponent field, fraction
// field (fixed point: the two's complement integer in `fraction`).
struct Code {
  bool ok = false; // v is a finite value of the format
  bool sign = false;
  long expField = 0;
  int64_t fraction = 0;
};

inline Code encode(double v, const TFormat &f) {
  Code c;
  if (!std::isfinite(v))
    return c;
  if (f.kind == Kind::Fixed) {
    const double n = std::ldexp(v, f.F);
    if (n != std::floor(n) || v > f.xmax || v < f.fixedMin())
      return c;
    c.ok = true;
    c.fraction = static_cast<int64_t>(n);
    return c;
  }
  c.sign = std::signbit(v);
  const double a = std::fabs(v);
  if (a > f.xmax)
    return c;
  if (a == 0) {
    c.ok = true;
    return c;
  }
  int e = std::ilogb(a);
  double m;
  if (e < f.emin) {
    c.expField = 0;
    m = std::ldexp(a, f.p - 1 - f.emin);
  } else {
    c.expField = e - f.emin + 1;
    m = std::ldexp(a, f.p - 1 - e) - std::ldexp(1.0, f.p - 1);
  }
  if (m != std::floor(m) || m >= std::ldexp(1.0, f.p - 1))
    return c;
  c.ok = true;
  c.fraction = static_cast<int64_t>(m);
  return c;
}

// How the flipped value y differs from the unflipped x in the target code.
// Returns "" when y is x with exactly one stored fraction bit flipped (or an
// allowed exception), else what is wrong; *bit is the flipped bit's index.
inline std::string flipProblem(double x, double y, const TFormat &f,
                        int *bit) {
  *bit = -1;
  if (!std::isfinite(x) || f.fractionBits() == 0)
    return sameBits(x, y) ? "" : "changed a value that has no fraction to flip";
  const Code cx = encode(x, f);
  if (!cx.ok)
    return "unflipped value not in the format";
  if (f.kind == Kind::NanOnly && std::isnan(y)) {
    // e4m3: 1.111 x 2^8 is the NaN code; a flip into it gives NaN.
    const int64_t toNan = cx.fraction ^ ((int64_t{1} << f.fractionBits()) - 1);
    if (cx.expField == f.emax - f.emin + 1 && std::popcount(static_cast<uint64_t>(toNan)) == 1) {
      *bit = std::countr_zero(static_cast<uint64_t>(toNan));
      return "";
    }
    return "NaN from a flip that does not reach the NaN code";
  }
  const Code cy = encode(y, f);
  if (!cy.ok)
    return "flipped value not in the format";
  if (f.kind != Kind::Fixed && (cx.sign != cy.sign || cx.expField != cy.expField))
    return "sign or exponent changed";
  const uint64_t diff = static_cast<uint64_t>(cx.fraction ^ cy.fraction);
  if (std::popcount(diff) != 1)
    return std::to_string(std::popcount(diff)) + " bits differ";
  *bit = std::countr_zero(diff);
  if (*bit >= f.fractionBits())
    return "bit " + std::to_string(*bit) + " is outside the fraction field";
  return "";
}

// Every finite nonnegative value of a (small) format, ascending.
inline std::vector<double> enumerate(const TFormat &f) {
  std::vector<double> v;
  if (f.kind == Kind::Fixed) {
    for (int64_t n = 0; n < (int64_t{1} << (f.I + f.F - 1)); n++)
      v.push_back(std::ldexp(static_cast<double>(n), -f.F));
    return v;
  }
  v.push_back(0);
  for (int64_t k = 1; k < (int64_t{1} << (f.p - 1)); k++)
    v.push_back(std::ldexp(static_cast<double>(k), f.emin - f.p + 1));
  for (int e = f.emin; e <= f.emax; e++)
    for (int64_t m = int64_t{1} << (f.p - 1); m < (int64_t{1} << f.p); m++) {
      double x = std::ldexp(static_cast<double>(m), e - f.p + 1);
      if (x <= f.xmax)
        v.push_back(x);
    }
  return v;
}

// The grid point above xmax (unbounded exponent): where overflow starts.
inline double aboveMax(const TFormat &f) {
  if (f.kind == Kind::Fixed)
    return f.xmax + std::ldexp(1.0, -f.F);
  int e = std::ilogb(f.xmax);
  return f.xmax + std::ldexp(1.0, e - f.p + 1);
}

// ---------------------------------------------------------- generators

template <class T> struct Storage {
  static constexpr int digits = std::numeric_limits<T>::digits;
  static constexpr int emin = std::numeric_limits<T>::min_exponent - 1;
  static constexpr int emax = std::numeric_limits<T>::max_exponent - 1;
  static constexpr int minSubExp = emin - digits + 1;
};

// Reproducible operands (after tests/unit/gen.h): values across the whole
// range, short significands (exact results and exact midpoints), neighbours
// of powers of two, cancellation, and operands aimed at a chosen result
// exponent near a format's emin, in its subnormals, near its top, below it
// (underflow), above it (overflow) and beyond the storage range.
class Gen {
public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  uint64_t bits() { return rng_(); }
  int uniform(int lo, int hi) {
    return lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool coin(int oneIn = 2) { return rng_() % static_cast<uint64_t>(oneIn) == 0; }

  template <class T> T anyFinite() {
    for (;;) {
      T v;
      if constexpr (sizeof(T) == 4) {
        uint32_t b = static_cast<uint32_t>(rng_());
        std::memcpy(&v, &b, 4);
      } else {
        uint64_t b = rng_();
        std::memcpy(&v, &b, 8);
      }
      if (std::isfinite(v))
        return v;
    }
  }

  template <class T> T significand() {
    constexpr int d = Storage<T>::digits;
    switch (uniform(0, 5)) {
    case 0: { // few bits
      int k = uniform(1, 12);
      uint64_t m = (uint64_t{1} << (k - 1)) | (rng_() & ((uint64_t{1} << (k - 1)) - 1));
      return static_cast<T>(std::ldexp(static_cast<double>(m), 1 - k));
    }
    case 1: { // next to 1 or 2
      int j = uniform(0, 3);
      return coin() ? T(1) + T(j) * std::numeric_limits<T>::epsilon()
                    : T(2) - T(j + 1) * std::numeric_limits<T>::epsilon() / 2;
    }
    case 2: { // k bits, odd: a midpoint of a (k-1)-bit grid
      int k = uniform(2, d);
      uint64_t m = (uint64_t{1} << (k - 1)) | (rng_() & ((uint64_t{1} << (k - 1)) - 1)) | 1;
      return static_cast<T>(std::ldexp(static_cast<double>(m), 1 - k));
    }
    default: {
      uint64_t m = (uint64_t{1} << (d - 1)) | (rng_() & ((uint64_t{1} << (d - 1)) - 1));
      return static_cast<T>(std::ldexp(static_cast<double>(m), 1 - d));
    }
    }
  }

  template <class T> T withExponent(int e) {
    e = std::clamp(e, Storage<T>::minSubExp, Storage<T>::emax);
    T v = std::ldexp(significand<T>(), e);
    if (v == 0 || !std::isfinite(v))
      v = std::ldexp(T(1), e);
    return coin() ? -v : v;
  }

  // Result exponents worth testing for f.
  template <class T> int targetExponent(const TFormat &f) {
    constexpr int lo = Storage<T>::minSubExp, hi = Storage<T>::emax;
    int emin = f.emin, emax = f.emax, p = f.p;
    if (f.kind == Kind::Fixed) { // spacing 2^-F, top 2^(I-1)
      emin = f.I;
      emax = f.I - 1;
      p = f.I + f.F + 1;
    }
    switch (uniform(0, 7)) {
    case 0: return uniform(lo - 2, hi + 2);
    case 1: return uniform(-6, 6);
    case 2: return uniform(emin - p - 3, emin + 2);
    case 3: return uniform(emin - 2, emin + 1);
    case 4: return uniform(emax - 1, emax + 2);
    case 5: return uniform(hi - 2, hi + 2);
    case 6: return uniform(2 * lo, lo + 4);
    default: return uniform(emin - 2 * p - 8, emin - p - 1);
    }
  }

  template <class T> Inputs operands(Op op, int e) {
    constexpr int d = Storage<T>::digits;
    Inputs in;
    switch (op) {
    case Op::Add:
    case Op::Sub: {
      T a = withExponent<T>(e), b;
      switch (uniform(0, 4)) {
      case 0: b = withExponent<T>(e - uniform(-2, d + 3)); break;
      case 1: b = withExponent<T>(e - uniform(d, 2 * d + 8)); break;
      case 2: b = withExponent<T>(e - uniform(0, 3000)); break;
      case 3:
        b = a;
        for (int k = uniform(0, 4); k > 0; --k)
          b = std::nextafter(b, coin() ? std::numeric_limits<T>::infinity()
                                       : -std::numeric_limits<T>::infinity());
        if (coin())
          b = -b;
        break;
      default: b = anyFinite<T>(); break;
      }
      if (coin())
        std::swap(a, b);
      in = {a, b, 0};
      break;
    }
    case Op::Mul: {
      int e1 = uniform(e / 2 - 40, e / 2 + 40);
      in = {withExponent<T>(e1), withExponent<T>(e - e1), 0};
      break;
    }
    case Op::Div: {
      int e1 = uniform(-60, 60);
      if (coin(4))
        e1 = e < 0 ? uniform(Storage<T>::emax - 8, Storage<T>::emax)
                   : uniform(Storage<T>::minSubExp, Storage<T>::minSubExp + 8);
      in = {withExponent<T>(e + e1), withExponent<T>(e1), 0};
      break;
    }
    case Op::Fma: {
      int ep = e, ec = e;
      switch (uniform(0, 4)) {
      case 0: ec = e - uniform(-3, d + 3); break;
      case 1: ec = e - uniform(2 * d, 2 * d + 10); break;
      case 2: ep = e - uniform(2 * d, 2 * d + 10); break;
      case 3: ec = e - uniform(0, 400); ep = e - uniform(0, 400); break;
      default: break;
      }
      int e1 = uniform(ep / 2 - 30, ep / 2 + 30);
      T a = withExponent<T>(e1), b = withExponent<T>(ep - e1);
      T c = withExponent<T>(ec);
      if (coin(5))
        c = -(a * b);
      if (!std::isfinite(c) || c == 0)
        c = withExponent<T>(ec);
      in = {a, b, c};
      break;
    }
    case Op::Sqrt:
      in = {std::fabs(withExponent<T>(2 * e + uniform(0, 1))), 0, 0};
      break;
    case Op::Trunc: {
      double v = withExponent<double>(e);
      if (coin(3)) {
        int k = uniform(2, 30);
        uint64_t m = (uint64_t{1} << (k - 1)) | (rng_() & ((uint64_t{1} << (k - 1)) - 1)) | 1;
        v = std::ldexp(static_cast<double>(m), e - k + 1);
        if (v == 0 || !std::isfinite(v))
          v = std::ldexp(1.0, std::clamp(e, -1074, 1023));
        if (coin())
          v = -v;
      }
      in = {v, 0, 0};
      break;
    }
    }
    return in;
  }

  // Operands for f: aimed at f's interesting exponents, or anything.
  template <class T> Inputs forFormat(Op op, const TFormat &f) {
    Inputs in = coin(8) ? Inputs{anyFinite<T>(), anyFinite<T>(), anyFinite<T>()}
                        : operands<T>(op, targetExponent<T>(f));
    if (op == Op::Trunc && coin(8))
      in.a = anyFinite<double>();
    if (op == Op::Sqrt && !coin(20))
      in.a = std::fabs(in.a);
    return in;
  }

private:
  std::mt19937_64 rng_;
};

// Special operands: zeros, infinities, NaN, extremes.
template <class T> std::vector<double> specialValues() {
  using L = std::numeric_limits<T>;
  std::vector<double> v = {0.0, 1.0, 0.5, 3.0, L::infinity(), L::quiet_NaN(),
                           L::max(), L::min(), L::denorm_min(),
                           static_cast<double>(L::max()) / 2};
  const size_t n = v.size();
  for (size_t i = 0; i < n; i++)
    v.push_back(-v[i]);
  return v;
}

} // namespace chop_test
