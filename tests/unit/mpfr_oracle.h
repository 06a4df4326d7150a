// mpfr_oracle.h - the reference the unit tests compare the rounding core with.
//
// The exact result of an operation is computed by MPFR (exactly for add, sub,
// mul, fma and the double->float cast; correctly rounded to 320 bits for div
// and sqrt, with a guard that fails loudly if that could ever matter). Its
// rounding onto a FormatSpec grid uses MPFR's own correctly rounded
// operations: mpfr_set at precision p in the normal range (exponent unbounded
// above), mpfr_floor / mpfr_ceil / mpfr_rint on the fixed-spacing grid below
// 2^emin. Nothing here reuses the core's code or its output.
#pragma once

#include "backends/common/exact.h"
#include "backends/common/format_spec.h"
#include "backends/common/round_core.h"

#include <mpfr.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

namespace prism_test {

using prism::ExactValue;
using prism::FormatSpec;
using prism::RoundingMode;

class Mpfr {
public:
  explicit Mpfr(mpfr_prec_t prec = 64) { mpfr_init2(v_, prec); }
  ~Mpfr() { mpfr_clear(v_); }
  Mpfr(const Mpfr &) = delete;
  Mpfr &operator=(const Mpfr &) = delete;
  operator mpfr_ptr() { return v_; }
  operator mpfr_srcptr() const { return v_; }
  mpfr_ptr p() { return v_; }
  mpfr_srcptr p() const { return v_; }
  // MPFR's function-like macros (mpfr_sgn, mpfr_get_exp...) use `x->`.
  mpfr_ptr operator->() { return v_; }
  mpfr_srcptr operator->() const { return v_; }

private:
  mpfr_t v_;
};

inline std::string str(mpfr_srcptr x) {
  char buf[256];
  mpfr_snprintf(buf, sizeof buf, "%Ra", x);
  return buf;
}
inline std::string str(const Mpfr &x) { return str(x.p()); }
template <class T> std::string str(T v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", static_cast<double>(v));
  return buf;
}
inline std::string str(const FormatSpec &f) {
  return "{p=" + std::to_string(f.precision) + ",emin=" + std::to_string(f.emin) +
         ",emax=" + std::to_string(f.emax) + ",sub=" + (f.subnormals ? "on" : "off") +
         "}";
}

inline const char *modeName(RoundingMode m) {
  switch (m) {
  case RoundingMode::RNE: return "RNE";
  case RoundingMode::RU: return "RU";
  case RoundingMode::RD: return "RD";
  case RoundingMode::RZ: return "RZ";
  case RoundingMode::SR: return "SR";
  case RoundingMode::SRUniform: return "SRUniform";
  case RoundingMode::RNZ: return "RNZ";
  case RoundingMode::RNA: return "RNA";
  case RoundingMode::RO: return "RO";
  }
  return "?";
}

constexpr RoundingMode kDeterministicModes[] = {
    RoundingMode::RNE, RoundingMode::RU,  RoundingMode::RD, RoundingMode::RZ,
    RoundingMode::RNZ, RoundingMode::RNA, RoundingMode::RO};

// ---------------------------------------------------------------- operations

enum class Op { Add, Sub, Mul, Div, Fma, Sqrt, Trunc };

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

// Inputs are stored as doubles: float inputs convert exactly; Trunc's input is
// a genuine double and its result a float.
struct Inputs {
  double a = 0, b = 0, c = 0;
};

template <class T> std::string str(Op op, const Inputs &in) {
  std::string s = std::string(opName(op)) + "<" +
                  (std::is_same_v<T, float> ? "float" : "double") + ">(" +
                  str(in.a);
  if (op != Op::Sqrt && op != Op::Trunc)
    s += ", " + str(in.b);
  if (op == Op::Fma)
    s += ", " + str(in.c);
  return s + ")";
}

// The core's error-free transform for op.
template <class T> ExactValue<T> coreExact(Op op, const Inputs &in) {
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

// Enough bits for a*b+c of doubles exactly: 2^2048 down to 2^-2148.
constexpr mpfr_prec_t kExactPrec = 4400;
// div and sqrt are not exact; 320 bits are far more than any decision on a
// grid of at most 54 bits needs (a quotient or root of 53-bit numbers is never
// within 2^-200 relatively of a 54-bit number without being equal to it), and
// GridRef checks that an inexact reference never sits on a decision point.
constexpr mpfr_prec_t kInexactPrec = 320;

// x = op(in) with MPFR; returns the ternary value (0: exact). `rnd` only
// decides the sign of an exact zero (IEEE: -0 for x - x under RD only).
template <class T>
int mpfrExact(Mpfr &x, Op op, const Inputs &in, mpfr_rnd_t rnd) {
  Mpfr a(53), b(53), c(53);
  mpfr_set_d(a, in.a, MPFR_RNDN);
  mpfr_set_d(b, in.b, MPFR_RNDN);
  mpfr_set_d(c, in.c, MPFR_RNDN);
  mpfr_set_prec(x, (op == Op::Div || op == Op::Sqrt) ? kInexactPrec : kExactPrec);
  switch (op) {
  case Op::Add: return mpfr_add(x, a, b, rnd);
  case Op::Sub: return mpfr_sub(x, a, b, rnd);
  case Op::Mul: return mpfr_mul(x, a, b, rnd);
  case Op::Div: return mpfr_div(x, a, b, rnd);
  case Op::Fma: return mpfr_fma(x, a, b, c, rnd);
  case Op::Sqrt: return mpfr_sqrt(x, a, rnd);
  case Op::Trunc: return mpfr_set(x, a, rnd);
  }
  return 0;
}

inline mpfr_rnd_t zeroSignRounding(RoundingMode m) {
  return m == RoundingMode::RD ? MPFR_RNDD : MPFR_RNDN;
}

// ------------------------------------------------------------ storage types

template <class T> struct Storage {
  static constexpr int digits = std::numeric_limits<T>::digits;
  static constexpr int emin = std::numeric_limits<T>::min_exponent - 1;
  static constexpr int emax = std::numeric_limits<T>::max_exponent - 1;
  static constexpr int minSubExp = emin - digits + 1; // denorm_min = 2^this
};

// Exact conversion of a grid value to T: the core's grid is unbounded above,
// so a value of magnitude >= 2^(emax_T+1) becomes +-inf in storage, as the
// core documents. `xSign` gives the sign of a zero (IEEE: a nonzero result
// that rounds to zero keeps its sign).
template <class T> T toStorage(mpfr_srcptr v, int xSign, std::string *err) {
  if (mpfr_nan_p(v))
    return std::numeric_limits<T>::quiet_NaN();
  if (mpfr_zero_p(v))
    return xSign < 0 ? -T(0) : T(0);
  if (mpfr_inf_p(v) || mpfr_get_exp(v) - 1 > Storage<T>::emax)
    return mpfr_sgn(v) < 0 ? -std::numeric_limits<T>::infinity()
                           : std::numeric_limits<T>::infinity();
  T r;
  if constexpr (std::is_same_v<T, float>)
    r = mpfr_get_flt(v, MPFR_RNDN);
  else
    r = mpfr_get_d(v, MPFR_RNDN);
  Mpfr back(64);
  mpfr_set_d(back, static_cast<double>(r), MPFR_RNDN);
  if (err && !mpfr_equal_p(back, v))
    *err += "oracle: grid value " + str(v) + " not representable in storage; ";
  return r;
}

template <class T> bool sameBits(T x, T y) {
  if (std::isnan(x) || std::isnan(y))
    return std::isnan(x) && std::isnan(y);
  return std::memcmp(&x, &y, sizeof(T)) == 0;
}

// ------------------------------------------------------- the grid reference

// Where a nonzero finite x lies on a format's grid, all with MPFR.
struct GridRef {
  Mpfr d{64}, u{64}; // RD(x), RU(x): equal when x is on the grid
  Mpfr n{64};        // RNE(x): MPFR's RNDN, or mpfr_rint ties-to-even
  bool exact = false;
  int vsMid = 0;     // sign of x - (d+u)/2 (inexact only)
  int sign = 0;      // sign of x
  int q = 0;         // exponent of the grid spacing at x
  bool rneTieAmbiguous = false; // subnormals off: tie between 0 and 2^emin
  double pUp = 0;    // (x - d) / (u - d), for the sr tests
  std::string err;   // oracle self-check failures

  GridRef(mpfr_srcptr x, int ternary, const FormatSpec &f) {
    sign = mpfr_sgn(x);
    const mpfr_prec_t xp = mpfr_get_prec(x);
    long e = mpfr_get_exp(x) - 1; // |x| in [2^e, 2^(e+1))
    if (e >= f.emin) {
      q = static_cast<int>(e) - f.precision + 1;
      mpfr_set_prec(d, f.precision);
      mpfr_set_prec(u, f.precision);
      mpfr_set_prec(n, f.precision);
      mpfr_set(d, x, MPFR_RNDD);
      mpfr_set(u, x, MPFR_RNDU);
      mpfr_set(n, x, MPFR_RNDN);
    } else {
      q = f.subnormals ? f.emin - f.precision + 1 : f.emin;
      Mpfr y(xp);
      mpfr_mul_2si(y, x, -q, MPFR_RNDN); // exact
      mpfr_floor(d, y);
      mpfr_ceil(u, y);
      mpfr_rint(n, y, MPFR_RNDN); // ties to even
      mpfr_mul_2si(d, d, q, MPFR_RNDN);
      mpfr_mul_2si(u, u, q, MPFR_RNDN);
      mpfr_mul_2si(n, n, q, MPFR_RNDN);
      if (!f.subnormals) {
        Mpfr h(64);
        mpfr_set_si_2exp(h, sign, f.emin - 1, MPFR_RNDN);
        rneTieAmbiguous = mpfr_equal_p(h, x);
      }
    }
    exact = mpfr_equal_p(d, u);
    if (!exact) {
      Mpfr mid(128), t(xp + 64), w(128);
      mpfr_add(mid, d, u, MPFR_RNDN); // exact: at most 56 bits
      mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
      vsMid = mpfr_cmp(x, mid);
      mpfr_sub(t, x, d, MPFR_RNDN);
      mpfr_sub(w, u, d, MPFR_RNDN);
      mpfr_div(t, t, w, MPFR_RNDN);
      pUp = mpfr_get_d(t, MPFR_RNDN);
    }
    if (ternary != 0 && (exact || vsMid == 0))
      err += "oracle: inexact reference " + str(x) +
             " lies on a grid point or midpoint; raise kInexactPrec; ";
  }
};

// Parity of the integral significand of a grid value (0 is even).
inline bool oddSignificand(mpfr_srcptr v, const FormatSpec &f) {
  if (mpfr_zero_p(v))
    return false;
  long e = mpfr_get_exp(v) - 1;
  long q = e >= f.emin ? e - f.precision + 1 : f.emin - f.precision + 1;
  Mpfr m(128);
  mpfr_mul_2si(m, v, -q, MPFR_RNDN);
  mpfr_abs(m, m, MPFR_RNDN);
  return (mpfr_get_ui(m, MPFR_RNDN) & 1) != 0;
}

// Which of RD / RU a deterministic mode must return: {takeDown, takeUp}; both
// true means the specification allows either (documented ambiguous cases).
struct Choice {
  bool down, up;
};
inline Choice expectedChoice(const GridRef &g, RoundingMode m, const FormatSpec &f) {
  if (g.exact)
    return {true, false};
  const bool pos = g.sign > 0;
  switch (m) {
  case RoundingMode::RNE: {
    if (g.rneTieAmbiguous) // both 0 and 2^emin have an even significand
      return {true, true};
    bool isD = mpfr_equal_p(g.n, g.d);
    return {isD, !isD};
  }
  case RoundingMode::RU: return {false, true};
  case RoundingMode::RD: return {true, false};
  case RoundingMode::RZ: return {pos, !pos};
  case RoundingMode::RNZ:
    if (g.vsMid == 0)
      return {pos, !pos};
    return {g.vsMid < 0, g.vsMid > 0};
  case RoundingMode::RNA:
    if (g.vsMid == 0)
      return {!pos, pos};
    return {g.vsMid < 0, g.vsMid > 0};
  case RoundingMode::RO: {
    // Inexact: the neighbour whose last significand bit is 1. With p = 1 both
    // nonzero neighbours are odd, and with subnormals off 0 and 2^emin are
    // both even: either is accepted there.
    bool od = oddSignificand(g.d, f), ou = oddSignificand(g.u, f);
    if (od != ou)
      return {od, ou};
    return {true, true};
  }
  default: return {true, true};
  }
}

// ------------------------------------------------------------ fma helper

// exactFma's branch for an addend more than 2p+4 binades below the product:
// c is below the last bit of a*b and only its sign counts.
template <class T> bool fmaAddendNegligible(const Inputs &in) {
  const T a = static_cast<T>(in.a), b = static_cast<T>(in.b),
          c = static_cast<T>(in.c);
  return prism::isOrdinary(a) && prism::isOrdinary(b) && prism::isOrdinary(c) &&
         std::ilogb(c) < std::ilogb(a) + std::ilogb(b) - (2 * Storage<T>::digits + 4);
}

// ----------------------------------------------------------- one full check

struct CheckStats {
  long checked = 0, failures = 0;
  std::string firstFailures; // up to kMaxReported
  static constexpr int kMaxReported = 12;
  void fail(const std::string &s) {
    if (failures++ < kMaxReported)
      firstFailures += "  " + s + "\n";
  }
};

// Rounds op(in) with the core for every deterministic mode and compares with
// the MPFR reference, bit for bit (sign of zero included).
template <class T>
void checkDeterministic(Op op, const Inputs &in, const FormatSpec &f,
                        CheckStats &st) {
  const ExactValue<T> ev = coreExact<T>(op, in);
  Mpfr xn(64), xd(64);
  const int tern = mpfrExact<T>(xn, op, in, MPFR_RNDN);
  mpfrExact<T>(xd, op, in, MPFR_RNDD);
  uint64_t rng[4] = {1, 2, 3, 4};
  for (RoundingMode m : kDeterministicModes) {
    mpfr_srcptr x = m == RoundingMode::RD ? xd.p() : xn.p();
    const T got = prism::roundExact(ev, f, m, rng);
    std::string err;
    T want, alt;
    bool hasAlt = false;
    if (!mpfr_regular_p(x)) { // NaN, inf, exact zero
      want = toStorage<T>(x, mpfr_signbit(x) ? -1 : 1, &err);
    } else {
      GridRef g(x, tern, f);
      err += g.err;
      Choice ch = expectedChoice(g, m, f);
      want = toStorage<T>(ch.down ? g.d.p() : g.u.p(), g.sign, &err);
      if (ch.down && ch.up) {
        alt = toStorage<T>(g.u, g.sign, &err);
        hasAlt = true;
      }
    }
    st.checked++;
    if (!err.empty() || !(sameBits(got, want) || (hasAlt && sameBits(got, alt))))
      st.fail(str<T>(op, in) + " " + str(f) + " " + modeName(m) + ": exact " +
              str(x) + ", want " + str(want) + (hasAlt ? " or " + str(alt) : "") +
              ", got " + str(got) + (err.empty() ? "" : " [" + err + "]"));
  }
}

} // namespace prism_test
