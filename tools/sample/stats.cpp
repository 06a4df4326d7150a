// stats.cpp - see stats.h. Quantiles come from Boost.Math.
#include "stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <stdexcept>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

namespace prism::sample {

namespace {
double chi2_lower(std::size_t n, double confidence) {
  if (n < 2)
    throw std::invalid_argument("CNH needs at least 2 samples");
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("confidence must be in (0, 1)");
  boost::math::chi_squared chi2(static_cast<double>(n - 1));
  return boost::math::quantile(chi2, (1 - confidence) / 2);
}

double clampd(double v, int precision) {
  if (std::isnan(v))
    return 0;
  return std::min<double>(std::max(v, 0.0), precision);
}

// Bits for which the CNH formula applies to sigma_hat: the SPEC's zero-sigma
// rule. sigma_hat = 0 with Z not all 0 (every run gives the same value, which
// differs from the reference) uses max|Z| instead, so a constant bias does not
// read as "all bits". All Z = 0 is handled by the caller (Status::Exact).
double sigma_for_cnh(std::span<const double> z) {
  // Test equality itself: the rounded mean of equal values far from the
  // reference can leave a std of a few ulps instead of 0.
  bool all_equal = std::all_of(z.begin(), z.end(),
                               [&](double v) { return v == z.front(); });
  if (!all_equal)
    return std_ddof0(z);
  double s = 0;
  for (double v : z)
    s = std::max(s, std::fabs(v));
  return s;
}
} // namespace

double cnh_delta(std::size_t n, double probability, double confidence) {
  if (!(probability > 0 && probability < 1))
    throw std::invalid_argument("probability must be in (0, 1)");
  double chi2 = chi2_lower(n, confidence);
  double phi = boost::math::quantile(boost::math::normal(), (probability + 1) / 2);
  return 0.5 * std::log2(static_cast<double>(n - 1) / chi2) + std::log2(phi);
}

double cnh_contributing_delta(std::size_t n, double probability,
                              double confidence) {
  if (!(probability > 0.5 && probability < 1))
    throw std::invalid_argument("contributing probability must be in (0.5, 1)");
  double chi2 = chi2_lower(n, confidence);
  return 0.5 * std::log2(static_cast<double>(n - 1) / chi2) +
         std::log2(probability - 0.5) +
         std::log2(2 * std::sqrt(2 * std::numbers::pi));
}

std::size_t plan_samples(double probability, double confidence) {
  if (!(probability > 0 && probability < 1) ||
      !(confidence > 0 && confidence < 1))
    throw std::invalid_argument("probability and confidence must be in (0, 1)");
  // Smallest n with p^n <= 1 - conf: n successes out of n then reject
  // "P(success) < p" at level 1 - conf.
  double n = std::log(1 - confidence) / std::log(probability);
  // Guard against n being an integer up to rounding in the division.
  double r = std::round(n);
  if (std::fabs(n - r) < 1e-9 * std::max(1.0, r))
    n = r;
  return static_cast<std::size_t>(std::ceil(n));
}

int error_exponent(double reference, ErrorMode mode) {
  if (mode == ErrorMode::Relative || reference == 0 || !std::isfinite(reference))
    return 1;
  // floor(log2|y|) + 1 == the exponent frexp returns (|y| = f 2^E, f in [.5,1)).
  int e;
  std::frexp(reference, &e);
  return e;
}

double error_of(double x, double reference, ErrorMode mode) {
  if (x == reference)
    return 0;
  return mode == ErrorMode::Relative ? x / reference - 1 : x - reference;
}

double mean_of(std::span<const double> v) {
  if (v.empty())
    return std::numeric_limits<double>::quiet_NaN();
  double s = 0;
  for (double x : v)
    s += x;
  return s / static_cast<double>(v.size());
}

double std_ddof0(std::span<const double> v) {
  if (v.empty())
    return std::numeric_limits<double>::quiet_NaN();
  double m = mean_of(v), s = 0;
  for (double x : v)
    s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

double cnh_bits(std::span<const double> z, int e, double delta, int precision) {
  double sigma = sigma_for_cnh(z);
  if (sigma == 0)
    return precision;
  return clampd(-std::log2(sigma) + (e - 1) - delta, precision);
}

int general_bits(std::span<const double> z, int e, int precision) {
  // max{k in [0, mant] : for all i, |Z_i| <= 2^(-k + e - 1)}. With
  // m = max|Z_i| = f 2^E (f in [1/2, 1)): log2 m = E - 1 exactly when f = 1/2,
  // otherwise lies in (E - 1, E); so k_max = e - E when m is a power of two and
  // e - 1 - E otherwise.
  double m = 0;
  for (double v : z)
    m = std::max(m, std::fabs(v));
  if (m == 0)
    return precision;
  if (!std::isfinite(m))
    return 0;
  int E;
  double f = std::frexp(m, &E);
  long k = (f == 0.5) ? long(e) - E : long(e) - 1 - E;
  return static_cast<int>(std::clamp<long>(k, 0, precision));
}

int general_contributing_bits(std::span<const double> z, int e, int precision) {
  // Largest k in [0, mant] such that for every k' <= k and every i,
  // floor(2^(k' - (e - 1)) |Z_i|) is even (the k'-th bit of the error is 0).
  int best = -1;
  for (int k = 0; k <= precision; k++) {
    bool ok = true;
    for (double v : z) {
      double t = std::floor(std::ldexp(std::fabs(v), k - (e - 1)));
      if (!std::isfinite(t) || std::fmod(t, 2.0) != 0) {
        ok = false;
        break;
      }
    }
    if (!ok)
      break;
    best = k;
  }
  return std::max(best, 0);
}

double parker_bits(std::span<const double> x, int precision) {
  double mu = mean_of(x), sigma = std_ddof0(x);
  if (sigma == 0)
    return precision;
  if (mu == 0 || !std::isfinite(mu) || !std::isfinite(sigma))
    return 0;
  return clampd(-std::log2(std::fabs(sigma / mu)), precision);
}

const char *status_name(Status s) {
  switch (s) {
  case Status::Ok: return "ok";
  case Status::Exact: return "exact";
  case Status::ZeroReference: return "zero-reference";
  case Status::NanSome: return "nan-in-some-runs";
  case Status::NanAll: return "nan";
  }
  return "?";
}

Analyzer::Analyzer(std::size_t n, const Settings &settings)
    : settings_(settings), delta_(cnh_delta(n, settings.probability,
                                                    settings.confidence)),
      cdelta_(cnh_contributing_delta(n, settings.contributing_probability,
                                     settings.confidence)) {}

ElementStats Analyzer::operator()(std::span<const double> x, double y) const {
  const int mant = settings_.precision;
  ElementStats r;
  r.reference = y;
  // Moments over the samples that are not NaN.
  std::vector<double> &z = z_;
  z.clear();
  for (double v : x) {
    if (std::isnan(v))
      r.nan_runs++;
    else
      z.push_back(v);
  }
  if (z.empty()) {
    r.mean = r.std = r.min = r.max = std::numeric_limits<double>::quiet_NaN();
  } else {
    auto [lo, hi] = std::minmax_element(z.begin(), z.end());
    r.min = *lo;
    r.max = *hi;
    // Equal samples (infinities included): that value, no spread.
    r.mean = r.min == r.max ? r.min : mean_of(z);
    r.std = r.min == r.max ? 0.0 : std_ddof0(z);
  }
  auto set_all = [&](std::optional<double> bits) {
    r.sig_cnh = r.sig_parker = r.contrib_cnh = bits;
    if (bits) {
      r.sig_general = r.contrib_general = static_cast<int>(*bits);
    } else {
      r.sig_general.reset();
      r.contrib_general.reset();
    }
  };
  // NaN: in every run and the reference -> undefined; in some -> 0 bits.
  if (r.nan_runs == x.size() && std::isnan(y)) {
    r.status = Status::NanAll;
    set_all(std::nullopt);
    return r;
  }
  if (r.nan_runs > 0 || std::isnan(y)) {
    r.status = Status::NanSome;
    set_all(0.0);
    return r;
  }
  // Every sample equal to the reference (inf == inf included): all bits.
  if (std::all_of(x.begin(), x.end(), [&](double v) { return v == y; })) {
    r.status = Status::Exact;
    set_all(double(mant));
    return r;
  }
  // An infinity that not every run (and the reference) shares: nothing agrees.
  bool nonfinite = !std::isfinite(y);
  for (double v : x)
    nonfinite = nonfinite || !std::isfinite(v);
  if (nonfinite) {
    r.status = Status::NanSome;
    set_all(0.0);
    return r;
  }
  r.sig_parker = parker_bits(x, mant);
  if (settings_.error == ErrorMode::Relative && y == 0) {
    r.status = Status::ZeroReference;
    return r;
  }
  int e = error_exponent(y, settings_.error);
  z.clear();
  for (double v : x)
    z.push_back(error_of(v, y, settings_.error));
  r.sig_cnh = cnh_bits(z, e, delta_, mant);
  r.sig_general = general_bits(z, e, mant);
  r.contrib_cnh = cnh_bits(z, e, cdelta_, mant);
  r.contrib_general = general_contributing_bits(z, e, mant);
  r.status = Status::Ok;
  return r;
}

double mean_reference(std::span<const double> x) {
  for (double v : x)
    if (std::isnan(v))
      return std::numeric_limits<double>::quiet_NaN();
  if (!x.empty() && std::all_of(x.begin(), x.end(),
                                [&](double v) { return v == x[0]; }))
    return x[0]; // exactly, where sum/n could round
  return mean_of(x);
}

double median_of(std::vector<double> v) {
  if (v.empty())
    return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

Summary summarize(std::span<const ElementStats> elems, std::size_t worst) {
  Summary s;
  s.outputs = elems.size();
  std::vector<double> cnh, gen;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < elems.size(); i++) {
    if (!elems[i].sig_cnh)
      continue;
    cnh.push_back(*elems[i].sig_cnh);
    gen.push_back(*elems[i].sig_general);
    order.push_back(i);
  }
  s.defined = cnh.size();
  if (!cnh.empty()) {
    s.min = *std::min_element(cnh.begin(), cnh.end());
    s.mean = mean_of(cnh);
    s.median = median_of(cnh);
    s.general_min = *std::min_element(gen.begin(), gen.end());
    s.general_mean = mean_of(gen);
    s.general_median = median_of(gen);
  } else {
    s.min = s.mean = s.median = std::numeric_limits<double>::quiet_NaN();
    s.general_min = s.general_mean = s.general_median = s.min;
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    double x = *elems[a].sig_cnh, y = *elems[b].sig_cnh;
    return x < y || (x == y && a < b);
  });
  if (order.size() > worst)
    order.resize(worst);
  s.worst = std::move(order);
  return s;
}

// ---- categorical -----------------------------------------------------------
namespace {
// Labels compare by value; every NaN is one label, ordered last.
struct LabelLess {
  bool operator()(double a, double b) const {
    if (std::isnan(a))
      return false;
    if (std::isnan(b))
      return true;
    return a < b;
  }
};
bool same_label(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}
} // namespace

double dice_coefficient(std::span<const double> run, std::span<const double> ref,
                        double label) {
  std::size_t a = 0, b = 0, both = 0;
  for (std::size_t j = 0; j < run.size() && j < ref.size(); j++) {
    bool in_a = same_label(run[j], label), in_b = same_label(ref[j], label);
    a += in_a;
    b += in_b;
    both += in_a && in_b;
  }
  if (a + b == 0)
    return std::numeric_limits<double>::quiet_NaN();
  return 2.0 * double(both) / double(a + b);
}

DiceReport dice(const std::vector<std::span<const double>> &runs,
                std::span<const double> reference) {
  DiceReport rep;
  // counts[label] = {count in reference, count in run r} gathered per run.
  std::map<double, std::size_t, LabelLess> ref_count;
  for (double v : reference)
    ref_count[v]++;
  struct Acc {
    std::size_t runs = 0;
    double sum = 0, min = 1;
  };
  std::map<double, Acc, LabelLess> acc;
  for (auto &[l, c] : ref_count)
    acc[l];
  rep.per_run.reserve(runs.size());
  for (const auto &run : runs) {
    // Per label of this run or the reference: |A|, |B| and |A and B|.
    std::map<double, std::array<std::size_t, 3>, LabelLess> cnt;
    for (std::size_t j = 0; j < run.size() && j < reference.size(); j++) {
      cnt[run[j]][0]++;
      cnt[reference[j]][1]++;
      if (same_label(run[j], reference[j]))
        cnt[run[j]][2]++;
    }
    double sum = 0;
    for (auto &[l, c] : cnt) {
      double d = 2.0 * double(c[2]) / double(c[0] + c[1]);
      Acc &a = acc[l];
      a.runs++;
      a.sum += d;
      a.min = std::min(a.min, d);
      sum += d;
    }
    rep.per_run.push_back(cnt.empty() ? 1.0 : sum / double(cnt.size()));
  }
  double total = 0;
  for (auto &[l, a] : acc) {
    LabelDice ld;
    ld.label = l;
    auto it = ref_count.find(l);
    ld.reference_count = it == ref_count.end() ? 0 : it->second;
    ld.runs = a.runs;
    ld.mean = a.runs ? a.sum / double(a.runs) : 1.0;
    ld.min = a.runs ? a.min : 1.0;
    total += ld.mean;
    rep.labels.push_back(ld);
  }
  rep.mean_dice = rep.labels.empty() ? 1.0 : total / double(rep.labels.size());
  rep.agreement.assign(reference.size(), 0.0);
  for (std::size_t j = 0; j < reference.size(); j++) {
    std::size_t same = 0;
    for (const auto &run : runs)
      same += j < run.size() && same_label(run[j], reference[j]);
    rep.agreement[j] = runs.empty() ? 1.0 : double(same) / double(runs.size());
  }
  return rep;
}

std::vector<double> majority_labels(const std::vector<std::span<const double>> &runs) {
  std::vector<double> out;
  if (runs.empty())
    return out;
  std::size_t m = runs[0].size();
  out.resize(m);
  for (std::size_t j = 0; j < m; j++) {
    std::map<double, std::size_t, LabelLess> c;
    for (const auto &run : runs)
      c[run[j]]++;
    std::size_t best = 0;
    for (auto &[l, k] : c) // ascending: the first maximum is the smallest label
      if (k > best) {
        best = k;
        out[j] = l;
      }
  }
  return out;
}

} // namespace prism::sample
