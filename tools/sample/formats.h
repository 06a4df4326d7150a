// formats.h - reading the outputs of one run: text, CSV, NPY, raw f32/f64,
// and PRISM_PROBES files. Errors are thrown as FormatError with a one-line
// message (no file name: the caller says which run and file it was).
#ifndef PRISM_SAMPLE_FORMATS_H
#define PRISM_SAMPLE_FORMATS_H

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prism::sample {

enum class InputFormat { Auto, Text, Csv, Npy, F32, F64, None };

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "text", "csv", "npy", "f32", "f64", "none", "auto".
std::optional<InputFormat> parse_format_name(std::string_view name);
const char *format_name(InputFormat f);

// Auto-detection: NPY magic or a .npy name -> npy; .f32 / .f64 -> raw;
// .csv or a comma in the data -> csv; bytes that cannot be text -> error
// (raw binary has no signature: name the format with --input); else text.
InputFormat detect_format(std::string_view data, std::string_view path);

struct Values {
  std::vector<double> values;
  InputFormat format = InputFormat::Text;
  int precision = 53; // 24 for float32 data (f32, npy <f4), else 53
};

Values parse_values(std::string_view data, InputFormat format,
                    std::string_view path = {});

Values parse_text(std::string_view data);
Values parse_csv(std::string_view data);
Values parse_npy(std::string_view data);
Values parse_raw(std::string_view data, InputFormat f32_or_f64);

// A number in C syntax: decimal or hex float, nan, inf (any case, signed).
bool parse_number(std::string_view token, double &out);

// PRISM_PROBES lines "name value" in the order they were written; the name is
// everything before the last blank. Empty data gives no probes.
std::vector<std::pair<std::string, double>> parse_probes(std::string_view data);

} // namespace prism::sample

#endif // PRISM_SAMPLE_FORMATS_H
