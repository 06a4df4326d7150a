// report.h - what a prism-sample study found, and its three renderings: the
// stdout table, the JSON file and the self-contained HTML page (inline SVG).
#ifndef PRISM_SAMPLE_REPORT_H
#define PRISM_SAMPLE_REPORT_H

#include "formats.h"
#include "stats.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace prism::sample {

struct RunInfo {
  long index = 0;          // 0-based sample index; -1 for the reference run
  uint64_t seed = 0;       // PRISM_SEED (unused for the reference run)
  double seconds = 0;      // wall time
  bool failed = false;
  std::string failure;     // one line when failed
};

struct Probe {
  std::string name;
  std::vector<std::size_t> elements; // output indices, in occurrence order
};

struct Study {
  // Settings.
  std::vector<std::string> command;
  std::string backend = "sr";
  std::size_t samples = 10, jobs = 1;
  uint64_t seed = 1;
  std::string reference = "ieee"; // "ieee" or "mean"
  Settings stats;
  std::string input = "text";     // format actually read
  std::string capture;            // empty: stdout
  bool categorical = false, probes = false, keep_going = false;
  std::vector<std::pair<std::string, std::string>> environment; // PRISM_* passed
  std::string started;            // local time, ISO 8601

  // Results.
  std::vector<RunInfo> runs;      // the samples, by index
  std::optional<RunInfo> reference_run;
  double total_seconds = 0;
  std::size_t used_samples = 0;   // successful runs the statistics use
  std::vector<std::string> names; // per output: "" (positional) or probe name
  std::vector<ElementStats> elements;
  std::vector<Probe> probe_list;
  Summary summary;
  std::optional<DiceReport> dice;
  // Samples of output j are (*values)[r][j] for the used runs r; the
  // reference is elements[j].reference.
  const std::vector<std::vector<double>> *values = nullptr;
  std::vector<std::string> notes; // warnings worth keeping in the reports
};

// Display name of output j: its probe name, or its index.
std::string output_label(const Study &s, std::size_t j);

void write_table(std::FILE *out, const Study &s);
void write_json(std::ostream &out, const Study &s);
void write_html(std::ostream &out, const Study &s);

// JSON string literal of s (quotes included), escaping per RFC 8259.
std::string json_string(std::string_view s);
// A JSON number, or "NaN"/"Infinity"/"-Infinity" as strings (JSON has none).
std::string json_number(double v);
std::string html_escape(std::string_view s);

} // namespace prism::sample

#endif // PRISM_SAMPLE_REPORT_H
