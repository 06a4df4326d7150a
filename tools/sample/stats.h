// stats.h - the statistics of prism-sample: significant and contributing bits
// of a sample of program outputs against a reference (Sohier et al. 2021,
// "Confidence intervals for stochastic arithmetic", ACM TOMS 47(2)), Parker's
// -log2|sigma/mu|, Sorensen-Dice for categorical outputs, and sample planning.
// SPEC.md "Significant bits (prism-sample)" is the contract; docs/SAMPLING.md
// explains every rule below.
#ifndef PRISM_SAMPLE_STATS_H
#define PRISM_SAMPLE_STATS_H

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace prism::sample {

enum class ErrorMode { Relative, Absolute };

struct Settings {
  ErrorMode error = ErrorMode::Relative;
  int precision = 53;              // declared significand bits (24 or 53): "mant"
  double probability = 0.95;       // p of the CNH significant bits
  double confidence = 0.95;        // 1 - alpha
  double contributing_probability = 0.51; // p of the CNH contributing bits
};

// [1/2 log2((n-1)/chi2_lo) + log2 PhiInv((p+1)/2)], chi2_lo =
// chi2.ppf((1-conf)/2, n-1): what CNH subtracts from -log2 sigma. n >= 2.
double cnh_delta(std::size_t n, double probability, double confidence);
// The contributing-bits counterpart: [1/2 log2((n-1)/chi2_lo) +
// log2(p - 1/2) + log2(2 sqrt(2 pi))], p > 1/2.
double cnh_contributing_delta(std::size_t n, double probability,
                              double confidence);
// Samples the general method needs so that its bits hold with probability p
// at confidence conf: ceil(ln(1-conf) / ln p).
std::size_t plan_samples(double probability, double confidence);

// e of the SPEC: 1 for relative error; floor(log2|y|)+1 for absolute error
// (1 when y is 0 or not finite).
int error_exponent(double reference, ErrorMode mode);
// Z_i (X_i/Y - 1 or X_i - Y); X_i == Y gives exactly 0 (so inf == inf does).
double error_of(double x, double reference, ErrorMode mode);

// Population standard deviation (ddof 0), two-pass.
double std_ddof0(std::span<const double> v);
double mean_of(std::span<const double> v);
// The --reference mean value of one element: NaN if a sample is NaN, the common
// value when all samples are equal (exactly), the mean otherwise.
double mean_reference(std::span<const double> x);

// The single formulas on an error vector Z (no NaN; see analyze() for the
// element-level rules). All results are clamped to [0, precision].
double cnh_bits(std::span<const double> z, int e, double delta, int precision);
int general_bits(std::span<const double> z, int e, int precision);
int general_contributing_bits(std::span<const double> z, int e, int precision);
double parker_bits(std::span<const double> x, int precision);

// What happened to one output element.
enum class Status {
  Ok,            // statistics computed
  Exact,         // every sample equals the reference: all bits significant
  ZeroReference, // relative error with a zero reference: bits undefined
  NanSome,       // NaN (or inf) in some runs only: no bit can be trusted (0)
  NanAll,        // NaN in every run and in the reference: bits undefined
};
const char *status_name(Status s);

struct ElementStats {
  double reference = 0, mean = 0, std = 0, min = 0, max = 0; // over non-NaN X
  std::size_t nan_runs = 0;  // samples that are NaN
  Status status = Status::Ok;
  std::optional<double> sig_cnh, sig_parker, contrib_cnh;
  std::optional<int> sig_general, contrib_general;
};

// Computes every statistic of one output element from its n samples (one per
// run) and its reference. Precomputes the deltas once for a given n.
class Analyzer {
public:
  Analyzer(std::size_t n, const Settings &settings);
  ElementStats operator()(std::span<const double> samples,
                          double reference) const;
  const Settings &settings() const { return settings_; }
  double delta() const { return delta_; }
  double contributing_delta() const { return cdelta_; }

private:
  Settings settings_;
  double delta_, cdelta_;
  mutable std::vector<double> z_; // scratch
};

// Summary over the outputs whose CNH bits are defined.
struct Summary {
  std::size_t outputs = 0, defined = 0;
  double min = 0, median = 0, mean = 0;  // of sig_cnh
  double general_min = 0, general_median = 0, general_mean = 0;
  std::vector<std::size_t> worst; // indices, fewest CNH bits first (<= 10)
};
Summary summarize(std::span<const ElementStats> elems, std::size_t worst = 10);
double median_of(std::vector<double> v);

// ---- categorical outputs -------------------------------------------------
struct LabelDice {
  double label = 0;
  std::size_t reference_count = 0; // elements with this label in the reference
  std::size_t runs = 0;            // runs where the Dice of the label is defined
  double mean = 0, min = 0;        // over those runs
};
struct DiceReport {
  std::vector<LabelDice> labels;      // ascending label (NaN last)
  double mean_dice = 0;               // mean over labels of LabelDice::mean
  std::vector<double> per_run;        // mean over the labels of each run
  std::vector<double> agreement;      // per element: fraction of runs == ref
};
// Dice of label L for run r: 2|A and B| / (|A| + |B|), A = {j : run[j] = L},
// B = {j : ref[j] = L}; undefined (skipped) when both are empty.
double dice_coefficient(std::span<const double> run, std::span<const double> ref,
                        double label);
DiceReport dice(const std::vector<std::span<const double>> &runs,
                std::span<const double> reference);
// Per element the most frequent label over the runs (ties: smallest label):
// the categorical "mean" reference.
std::vector<double> majority_labels(const std::vector<std::span<const double>> &runs);

} // namespace prism::sample

#endif // PRISM_SAMPLE_STATS_H
