// report.cpp - see report.h.
#include "report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdarg>
#include <sstream>

#ifndef PRISM_VERSION
#define PRISM_VERSION "0.1.0"
#endif

namespace prism::sample {

namespace {
std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char *f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  int n = std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  if (n < 0)
    return {};
  if (static_cast<std::size_t>(n) < sizeof buf)
    return buf;
  std::string s(static_cast<std::size_t>(n) + 1, '\0');
  va_start(ap, f);
  std::vsnprintf(s.data(), s.size(), f, ap);
  va_end(ap);
  s.resize(static_cast<std::size_t>(n));
  return s;
}

std::string g17(double v) { return fmt("%.17g", v); }

std::string bits_text(const std::optional<double> &b) {
  return b ? fmt("%.1f", *b) : "-";
}
std::string bits_text(const std::optional<int> &b) {
  return b ? fmt("%d", *b) : "-";
}

std::string json_opt(const std::optional<double> &b) {
  return b ? json_number(*b) : "null";
}
std::string json_opt(const std::optional<int> &b) {
  return b ? std::to_string(*b) : "null";
}

const char *error_name(ErrorMode m) {
  return m == ErrorMode::Relative ? "relative" : "absolute";
}

std::string seeds_text(const Study &s) {
  if (s.samples == 1)
    return std::to_string(s.seed);
  return std::to_string(s.seed) + ".." + std::to_string(s.seed + s.samples - 1);
}

std::string command_text(const Study &s) {
  std::string r;
  for (const auto &a : s.command) {
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;#~") ==
                                   std::string::npos;
    if (!r.empty())
      r += ' ';
    if (plain) {
      r += a;
    } else {
      r += '\'';
      for (char c : a)
        r += c == '\'' ? std::string("'\\''") : std::string(1, c);
      r += '\'';
    }
  }
  return r;
}

std::vector<double> run_seconds(const Study &s) {
  std::vector<double> t;
  for (const auto &r : s.runs)
    if (!r.failed)
      t.push_back(r.seconds);
  return t;
}

// Indices of the outputs to list as "worst": by CNH bits, or in categorical
// mode by agreement with the reference.
std::vector<std::size_t> worst_outputs(const Study &s, std::size_t k) {
  if (!s.dice)
    return s.summary.worst.size() > k
               ? std::vector<std::size_t>(s.summary.worst.begin(),
                                          s.summary.worst.begin() + long(k))
               : s.summary.worst;
  std::vector<std::size_t> idx(s.elements.size());
  for (std::size_t j = 0; j < idx.size(); j++)
    idx[j] = j;
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    double x = s.dice->agreement[a], y = s.dice->agreement[b];
    return x < y || (x == y && a < b);
  });
  std::vector<std::size_t> out;
  for (std::size_t j : idx) {
    if (out.size() == k || s.dice->agreement[j] >= 1)
      break;
    out.push_back(j);
  }
  return out;
}
} // namespace

std::string output_label(const Study &s, std::size_t j) {
  if (j < s.names.size() && !s.names[j].empty())
    return s.names[j];
  return std::to_string(j);
}

std::string json_string(std::string_view in) {
  std::string r = "\"";
  for (unsigned char c : in) {
    switch (c) {
    case '"': r += "\\\""; break;
    case '\\': r += "\\\\"; break;
    case '\n': r += "\\n"; break;
    case '\r': r += "\\r"; break;
    case '\t': r += "\\t"; break;
    case '\b': r += "\\b"; break;
    case '\f': r += "\\f"; break;
    default:
      if (c < 0x20)
        r += fmt("\\u%04x", c);
      else
        r += static_cast<char>(c);
    }
  }
  return r + "\"";
}

std::string json_number(double v) {
  if (std::isnan(v))
    return "\"NaN\"";
  if (std::isinf(v))
    return v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  // Shortest text that reads back as the same double.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string html_escape(std::string_view in) {
  std::string r;
  for (char c : in) {
    switch (c) {
    case '&': r += "&amp;"; break;
    case '<': r += "&lt;"; break;
    case '>': r += "&gt;"; break;
    case '"': r += "&quot;"; break;
    case '\'': r += "&#39;"; break;
    default: r += c;
    }
  }
  return r;
}

// ---- stdout table ------------------------------------------------------------
void write_table(std::FILE *out, const Study &s) {
  std::fprintf(out, "prism-sample: %zu runs of %s under %s (seeds %s), reference %s\n",
               s.used_samples, command_text(s).c_str(), s.backend.c_str(),
               seeds_text(s).c_str(), s.reference.c_str());
  if (s.dice) {
    std::fprintf(out, "%-14s %10s %10s %10s\n", "label", "ref count", "mean Dice",
                 "min Dice");
    for (const auto &l : s.dice->labels)
      std::fprintf(out, "%-14s %10zu %10.6f %10.6f\n", fmt("%.17g", l.label).c_str(),
                   l.reference_count, l.mean, l.min);
    std::size_t unstable = 0;
    for (double a : s.dice->agreement)
      unstable += a < 1;
    std::fprintf(out, "mean Dice %.6f over %zu labels; %zu of %zu outputs differ "
                      "from the reference in some run\n",
                 s.dice->mean_dice, s.dice->labels.size(), unstable,
                 s.elements.size());
    return;
  }
  std::fprintf(out, "%s error, %d-bit outputs; CNH p=%g conf=%g\n",
               error_name(s.stats.error), s.stats.precision, s.stats.probability,
               s.stats.confidence);
  std::vector<std::size_t> rows;
  bool all = s.elements.size() <= 20;
  if (all) {
    for (std::size_t j = 0; j < s.elements.size(); j++)
      rows.push_back(j);
  } else {
    rows = worst_outputs(s, 10);
    std::fprintf(out, "worst %zu of %zu outputs (all of them in --json / --html):\n",
                 rows.size(), s.elements.size());
  }
  int w = 6; // the output column fits the longest name shown (up to 32)
  for (std::size_t j : rows)
    w = std::max(w, std::min(32, int(output_label(s, j).size())));
  if (!rows.empty())
    std::fprintf(out, "%-*s %24s %24s %9s %6s %7s %6s %7s  %s\n", w, "output",
                 "reference", "mean", "std", "CNH", "general", "Parker",
                 "contrib", "note");
  for (std::size_t j : rows) {
    const ElementStats &e = s.elements[j];
    std::string note = e.status == Status::Ok ? "" : status_name(e.status);
    if (e.nan_runs)
      note += fmt(" (%zu NaN runs)", e.nan_runs);
    std::string label = output_label(s, j);
    if (label.size() > 32)
      label = label.substr(0, 31) + "~";
    std::fprintf(out, "%-*s %24.17g %24.17g %9.2e %6s %7s %6s %7s  %s\n", w,
                 label.c_str(), e.reference, e.mean, e.std,
                 bits_text(e.sig_cnh).c_str(), bits_text(e.sig_general).c_str(),
                 bits_text(e.sig_parker).c_str(), bits_text(e.contrib_cnh).c_str(),
                 note.c_str());
  }
  const Summary &m = s.summary;
  if (m.defined)
    std::fprintf(out,
                 "significant bits (CNH) over %zu output(s): min %.1f, median %.1f, "
                 "mean %.1f; general: min %.0f, median %.1f, mean %.1f\n",
                 m.defined, m.min, m.median, m.mean, m.general_min,
                 m.general_median, m.general_mean);
  if (m.defined < m.outputs)
    std::fprintf(out, "%zu output%s no significant bits defined (NaN or zero "
                      "reference)\n", m.outputs - m.defined,
                 m.outputs - m.defined == 1 ? " has" : "s have");
}

// ---- JSON -----------------------------------------------------------------
void write_json(std::ostream &o, const Study &s) {
  o << "{\n";
  o << "  \"tool\": \"prism-sample\",\n";
  o << "  \"version\": " << json_string(PRISM_VERSION) << ",\n";
  o << "  \"started\": " << json_string(s.started) << ",\n";
  o << "  \"settings\": {\n";
  o << "    \"command\": [";
  for (std::size_t i = 0; i < s.command.size(); i++)
    o << (i ? ", " : "") << json_string(s.command[i]);
  o << "],\n";
  o << "    \"backend\": " << json_string(s.backend) << ",\n";
  o << "    \"samples\": " << s.samples << ",\n";
  o << "    \"jobs\": " << s.jobs << ",\n";
  o << "    \"seed\": " << s.seed << ",\n";
  o << "    \"reference\": " << json_string(s.reference) << ",\n";
  o << "    \"error\": " << json_string(error_name(s.stats.error)) << ",\n";
  o << "    \"precision\": " << s.stats.precision << ",\n";
  o << "    \"probability\": " << json_number(s.stats.probability) << ",\n";
  o << "    \"confidence\": " << json_number(s.stats.confidence) << ",\n";
  o << "    \"contributing_probability\": "
    << json_number(s.stats.contributing_probability) << ",\n";
  o << "    \"input\": " << json_string(s.input) << ",\n";
  o << "    \"capture\": " << (s.capture.empty() ? "null" : json_string(s.capture))
    << ",\n";
  o << "    \"probes\": " << (s.probes ? "true" : "false") << ",\n";
  o << "    \"categorical\": " << (s.categorical ? "true" : "false") << ",\n";
  o << "    \"keep_going\": " << (s.keep_going ? "true" : "false") << ",\n";
  o << "    \"environment\": {";
  for (std::size_t i = 0; i < s.environment.size(); i++)
    o << (i ? ", " : "") << json_string(s.environment[i].first) << ": "
      << json_string(s.environment[i].second);
  o << "}\n  },\n";
  o << "  \"timings\": {\n";
  o << "    \"total_seconds\": " << json_number(s.total_seconds) << ",\n";
  o << "    \"reference_seconds\": "
    << (s.reference_run ? json_number(s.reference_run->seconds) : "null") << ",\n";
  auto t = run_seconds(s);
  o << "    \"run_seconds_min\": "
    << (t.empty() ? "null" : json_number(*std::min_element(t.begin(), t.end())))
    << ",\n";
  o << "    \"run_seconds_median\": "
    << (t.empty() ? "null" : json_number(median_of(t))) << ",\n";
  o << "    \"run_seconds_max\": "
    << (t.empty() ? "null" : json_number(*std::max_element(t.begin(), t.end())))
    << "\n  },\n";
  o << "  \"runs\": [\n";
  for (std::size_t i = 0; i < s.runs.size(); i++) {
    const RunInfo &r = s.runs[i];
    o << "    {\"index\": " << r.index << ", \"seed\": " << r.seed
      << ", \"seconds\": " << json_number(r.seconds) << ", \"status\": "
      << (r.failed ? "\"failed\"" : "\"ok\"");
    if (r.failed)
      o << ", \"failure\": " << json_string(r.failure);
    o << "}" << (i + 1 < s.runs.size() ? "," : "") << "\n";
  }
  o << "  ],\n";
  o << "  \"used_samples\": " << s.used_samples << ",\n";
  o << "  \"outputs\": [\n";
  for (std::size_t j = 0; j < s.elements.size(); j++) {
    const ElementStats &e = s.elements[j];
    o << "    {\"index\": " << j;
    if (j < s.names.size() && !s.names[j].empty())
      o << ", \"name\": " << json_string(s.names[j]);
    o << ", \"reference\": " << json_number(e.reference)
      << ", \"mean\": " << json_number(e.mean) << ", \"std\": " << json_number(e.std)
      << ", \"min\": " << json_number(e.min) << ", \"max\": " << json_number(e.max)
      << ", \"nan_runs\": " << e.nan_runs << ", \"status\": \""
      << status_name(e.status) << "\""
      << ", \"sig_bits_cnh\": " << json_opt(e.sig_cnh)
      << ", \"sig_bits_general\": " << json_opt(e.sig_general)
      << ", \"sig_bits_parker\": " << json_opt(e.sig_parker)
      << ", \"contributing_bits\": " << json_opt(e.contrib_cnh)
      << ", \"contributing_bits_general\": " << json_opt(e.contrib_general);
    if (s.dice)
      o << ", \"agreement\": " << json_number(s.dice->agreement[j]);
    o << "}" << (j + 1 < s.elements.size() ? "," : "") << "\n";
  }
  o << "  ],\n";
  o << "  \"probes\": [";
  for (std::size_t p = 0; p < s.probe_list.size(); p++) {
    o << (p ? ",\n    " : "\n    ") << "{\"name\": "
      << json_string(s.probe_list[p].name) << ", \"outputs\": [";
    for (std::size_t k = 0; k < s.probe_list[p].elements.size(); k++)
      o << (k ? ", " : "") << s.probe_list[p].elements[k];
    o << "]}";
  }
  o << (s.probe_list.empty() ? "],\n" : "\n  ],\n");
  const Summary &m = s.summary;
  auto opt_num = [&](double v) { return m.defined ? json_number(v) : "null"; };
  o << "  \"summary\": {\n";
  o << "    \"outputs\": " << m.outputs << ",\n";
  o << "    \"defined\": " << m.defined << ",\n";
  o << "    \"sig_bits_cnh\": {\"min\": " << opt_num(m.min)
    << ", \"median\": " << opt_num(m.median) << ", \"mean\": " << opt_num(m.mean)
    << "},\n";
  o << "    \"sig_bits_general\": {\"min\": " << opt_num(m.general_min)
    << ", \"median\": " << opt_num(m.general_median)
    << ", \"mean\": " << opt_num(m.general_mean) << "},\n";
  o << "    \"worst\": [";
  for (std::size_t k = 0; k < m.worst.size(); k++) {
    std::size_t j = m.worst[k];
    o << (k ? ", " : "") << "{\"index\": " << j;
    if (j < s.names.size() && !s.names[j].empty())
      o << ", \"name\": " << json_string(s.names[j]);
    o << ", \"sig_bits_cnh\": " << json_opt(s.elements[j].sig_cnh)
      << ", \"sig_bits_general\": " << json_opt(s.elements[j].sig_general) << "}";
  }
  o << "]\n  }";
  if (s.dice) {
    o << ",\n  \"categorical\": {\n    \"mean_dice\": "
      << json_number(s.dice->mean_dice) << ",\n    \"labels\": [";
    for (std::size_t k = 0; k < s.dice->labels.size(); k++) {
      const LabelDice &l = s.dice->labels[k];
      o << (k ? ",\n      " : "\n      ") << "{\"label\": " << json_number(l.label)
        << ", \"reference_count\": " << l.reference_count << ", \"runs\": " << l.runs
        << ", \"dice_mean\": " << json_number(l.mean)
        << ", \"dice_min\": " << json_number(l.min) << "}";
    }
    o << "\n    ],\n    \"per_run_dice\": [";
    for (std::size_t k = 0; k < s.dice->per_run.size(); k++)
      o << (k ? ", " : "") << json_number(s.dice->per_run[k]);
    o << "]\n  }";
  }
  o << ",\n  \"notes\": [";
  for (std::size_t k = 0; k < s.notes.size(); k++)
    o << (k ? ", " : "") << json_string(s.notes[k]);
  o << "]\n}\n";
}

// ---- HTML -----------------------------------------------------------------
namespace {
struct Frame {
  double x0, x1, y0, y1;
  double W = 760, H = 300, ml = 64, mr = 18, mt = 34, mb = 46;
  double X(double x) const { return ml + (x - x0) / (x1 - x0) * (W - ml - mr); }
  double Y(double y) const { return H - mb - (y - y0) / (y1 - y0) * (H - mt - mb); }
};

// Round tick values covering [lo, hi]; integer: never a fractional step.
std::vector<double> nice_ticks(double lo, double hi, int want = 6,
                               bool integer = false) {
  std::vector<double> t;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
    return {lo};
  double raw = (hi - lo) / want, mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  if (integer)
    step = std::max(step, 1.0);
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    t.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
  return t;
}

std::string tick_label(double v, double step) {
  if (step >= 1 && std::fabs(v) < 1e6)
    return fmt("%.0f", v);
  return fmt("%.3g", v);
}

// Opening tag, frame, axes, ticks and labels.
std::string svg_open(const std::string &id, const Frame &f, const std::string &title,
                     const std::string &xlabel, const std::string &ylabel,
                     const std::vector<double> &xt, const std::vector<double> &yt) {
  std::string s = fmt("<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
                      "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                      "role=\"img\">\n",
                      html_escape(id).c_str(), f.W, f.H, f.W, f.H);
  s += "<title>" + html_escape(title) + "</title>\n";
  s += fmt("<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
           f.W, f.H);
  s += fmt("<text x=\"%.0f\" y=\"20\" class=\"ct\">%s</text>\n", f.ml,
           html_escape(title).c_str());
  double xs = xt.size() > 1 ? xt[1] - xt[0] : 1, ys = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double v : yt) {
    s += fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
             "<text x=\"%.1f\" y=\"%.1f\" class=\"yt\">%s</text>\n",
             f.ml, f.W - f.mr, f.Y(v), f.Y(v), f.ml - 6, f.Y(v) + 4,
             tick_label(v, ys).c_str());
  }
  for (double v : xt)
    s += fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"ax\"/>"
             "<text x=\"%.1f\" y=\"%.1f\" class=\"xt\">%s</text>\n",
             f.X(v), f.X(v), f.H - f.mb, f.H - f.mb + 5, f.X(v), f.H - f.mb + 18,
             tick_label(v, xs).c_str());
  s += fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"ax\"/>\n",
           f.ml, f.W - f.mr, f.H - f.mb, f.H - f.mb);
  s += fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"ax\"/>\n",
           f.ml, f.ml, f.mt, f.H - f.mb);
  s += fmt("<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%s</text>\n",
           (f.ml + f.W - f.mr) / 2, f.H - 8, html_escape(xlabel).c_str());
  s += fmt("<text transform=\"translate(14 %.1f) rotate(-90)\" class=\"yl\">%s</text>\n",
           (f.mt + f.H - f.mb) / 2, html_escape(ylabel).c_str());
  return s;
}

std::string histogram_svg(const Study &s) {
  int mant = s.stats.precision;
  std::vector<std::size_t> bins(std::size_t(mant) + 1, 0);
  for (const auto &e : s.elements)
    if (e.sig_cnh)
      bins[std::size_t(std::clamp(int(std::floor(*e.sig_cnh)), 0, mant))]++;
  std::size_t top = std::max<std::size_t>(1, *std::max_element(bins.begin(), bins.end()));
  Frame f{0, double(mant + 1), 0, double(top) * 1.1};
  std::string svg = svg_open("chart-histogram", f,
                             "Significant bits (CNH) over all outputs",
                             "significant bits (floor)", "outputs",
                             nice_ticks(0, mant, 8, true),
                             nice_ticks(0, double(top), 5, true));
  double bw = f.X(1) - f.X(0);
  for (int b = 0; b <= mant; b++) {
    if (!bins[std::size_t(b)])
      continue;
    double y = f.Y(double(bins[std::size_t(b)]));
    svg += fmt("<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
               "height=\"%.1f\"><title>%d bits: %zu outputs</title></rect>\n",
               f.X(b) + 0.5, y, std::max(bw - 1, 1.0), f.Y(0) - y, b,
               bins[std::size_t(b)]);
  }
  return svg + "</svg>\n";
}

std::string by_index_svg(const Study &s) {
  int mant = s.stats.precision;
  std::size_t n = s.elements.size();
  Frame f{-0.5, std::max(double(n) - 0.5, 0.5), 0, double(mant) + 1};
  std::string svg = svg_open("chart-by-index", f, "Significant bits by output index",
                             "output index", "significant bits",
                             nice_ticks(0, std::max(double(n) - 1, 1.0), 8, true),
                             nice_ticks(0, mant, 6, true));
  // Up to 1500 outputs: one point each; beyond, per bucket the minimum (the
  // outputs to worry about) and the mean.
  const std::size_t kMax = 1500;
  std::size_t buckets = std::min(n, kMax);
  std::string cnh_min, cnh_mean, gen;
  for (std::size_t b = 0; b < buckets; b++) {
    std::size_t lo = b * n / buckets, hi = (b + 1) * n / buckets;
    double mn = mant, sum = 0, gmin = mant;
    std::size_t cnt = 0;
    for (std::size_t j = lo; j < hi; j++) {
      if (!s.elements[j].sig_cnh)
        continue;
      mn = std::min(mn, *s.elements[j].sig_cnh);
      gmin = std::min(gmin, double(*s.elements[j].sig_general));
      sum += *s.elements[j].sig_cnh;
      cnt++;
    }
    if (!cnt)
      continue;
    double x = f.X((double(lo) + double(hi) - 1) / 2);
    cnh_min += fmt("%s%.1f,%.1f", cnh_min.empty() ? "" : " ", x, f.Y(mn));
    cnh_mean += fmt("%s%.1f,%.1f", cnh_mean.empty() ? "" : " ", x,
                    f.Y(sum / double(cnt)));
    gen += fmt("%s%.1f,%.1f", gen.empty() ? "" : " ", x, f.Y(gmin));
    if (n <= 200)
      svg += fmt("<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>"
                 "output %s: %.2f bits (CNH)</title></circle>\n",
                 x, f.Y(mn), html_escape(output_label(s, lo)).c_str(), mn);
  }
  svg += "<polyline class=\"l1\" points=\"" + cnh_min + "\"/>\n";
  svg += "<polyline class=\"l2\" points=\"" + gen + "\"/>\n";
  if (n > kMax)
    svg += "<polyline class=\"l3\" points=\"" + cnh_mean + "\"/>\n";
  double lx = f.W - f.mr - 250;
  svg += fmt("<rect x=\"%.0f\" y=\"28\" width=\"250\" height=\"%d\" class=\"legend\"/>"
             "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"40\" y2=\"40\" class=\"l1\"/>"
             "<text x=\"%.0f\" y=\"44\" class=\"lg\">CNH%s</text>"
             "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"56\" y2=\"56\" class=\"l2\"/>"
             "<text x=\"%.0f\" y=\"60\" class=\"lg\">general%s</text>\n",
             lx, n > kMax ? 52 : 36, lx + 8, lx + 30, lx + 36,
             n > kMax ? " (bucket minimum)" : "", lx + 8, lx + 30, lx + 36,
             n > kMax ? " (bucket minimum)" : "");
  if (n > kMax)
    svg += fmt("<line x1=\"%.0f\" x2=\"%.0f\" y1=\"72\" y2=\"72\" class=\"l3\"/>"
               "<text x=\"%.0f\" y=\"76\" class=\"lg\">CNH (bucket mean)</text>\n",
               lx + 8, lx + 30, lx + 36);
  return svg + "</svg>\n";
}

// One probe: its significant bits per occurrence, or for a probe written once
// its value in every run (as the deviation from the reference).
std::string probe_svg(const Study &s, const Probe &p, std::size_t k) {
  std::string id = fmt("chart-probe-%zu", k);
  int mant = s.stats.precision;
  if (p.elements.size() > 1) {
    double n = double(p.elements.size());
    Frame f{-0.5, n - 0.5, 0, double(mant) + 1};
    f.H = 240;
    std::string svg = svg_open(id, f, "probe " + p.name + ": significant bits per call",
                               "call (occurrence)", "significant bits",
                               nice_ticks(0, n - 1, 8, true),
                               nice_ticks(0, mant, 6, true));
    std::string line;
    for (std::size_t i = 0; i < p.elements.size(); i++) {
      const ElementStats &e = s.elements[p.elements[i]];
      if (!e.sig_cnh)
        continue;
      line += fmt("%s%.1f,%.1f", line.empty() ? "" : " ", f.X(double(i)),
                  f.Y(*e.sig_cnh));
      if (p.elements.size() <= 200)
        svg += fmt("<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"><title>"
                   "call %zu: %.2f bits</title></circle>\n",
                   f.X(double(i)), f.Y(*e.sig_cnh), i, *e.sig_cnh);
    }
    return svg + "<polyline class=\"l1\" points=\"" + line + "\"/>\n</svg>\n";
  }
  std::size_t j = p.elements.empty() ? 0 : p.elements[0];
  const ElementStats &e = s.elements[j];
  std::vector<double> dev;
  if (s.values)
    for (const auto &run : *s.values)
      if (j < run.size())
        dev.push_back(run[j] - e.reference);
  double lo = 0, hi = 0;
  for (double d : dev)
    if (std::isfinite(d)) {
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
  if (hi == lo) {
    double pad = e.reference != 0 && std::isfinite(e.reference)
                     ? std::fabs(e.reference) * 0x1p-52
                     : 1e-300;
    lo -= pad;
    hi += pad;
  }
  double pad = (hi - lo) * 0.08;
  double nr = std::max<double>(double(dev.size()), 1);
  Frame f{-0.5, nr - 0.5, lo - pad, hi + pad};
  f.H = 240;
  f.ml = 80;
  std::string title = "probe " + p.name + ": value - reference per run";
  if (e.sig_cnh)
    title += fmt(" (%.1f significant bits)", *e.sig_cnh);
  std::string svg = svg_open(id, f, title, "run", "value - reference",
                             nice_ticks(0, nr - 1, 8, true), nice_ticks(lo, hi, 5));
  svg += fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"ref\"/>\n",
             f.ml, f.W - f.mr, f.Y(0), f.Y(0));
  for (std::size_t r = 0; r < dev.size(); r++)
    if (std::isfinite(dev[r]))
      svg += fmt("<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>run %zu: "
                 "%.17g</title></circle>\n",
                 f.X(double(r)), f.Y(dev[r]), r, dev[r] + e.reference);
  return svg + "</svg>\n";
}

std::string dice_svg(const Study &s) {
  const auto &labels = s.dice->labels;
  double n = double(std::max<std::size_t>(labels.size(), 1));
  Frame f{-0.5, n - 0.5, 0, 1.05};
  std::string svg = svg_open("chart-dice", f, "Sorensen-Dice per label (mean over runs)",
                             "label", "Dice", {}, nice_ticks(0, 1, 5));
  double bw = std::max((f.X(1) - f.X(0)) * 0.7, 1.0);
  for (std::size_t i = 0; i < labels.size(); i++) {
    double x = f.X(double(i));
    double y = f.Y(labels[i].mean);
    svg += fmt("<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
               "height=\"%.1f\"><title>label %.17g: mean %.6f, min %.6f</title></rect>\n",
               x - bw / 2, y, bw, f.Y(0) - y, labels[i].label, labels[i].mean,
               labels[i].min);
    if (labels.size() <= 40)
      svg += fmt("<text x=\"%.1f\" y=\"%.1f\" class=\"xt\">%s</text>\n", x,
                 f.H - f.mb + 18, fmt("%.6g", labels[i].label).c_str());
  }
  return svg + "</svg>\n";
}

const char *kCss = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#1d2330;background:#f6f7f9;padding:0 16px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
.sub{color:#5a6375;margin:0 0 16px} code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
pre{background:#fff;border:1px solid #d5d9e0;padding:8px 10px;overflow-x:auto;white-space:pre-wrap}
.cards{display:flex;flex-wrap:wrap;gap:10px} .card{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:20px} .card span{color:#5a6375;font-size:12px}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:4px 0} th,td{border:1px solid #d5d9e0;padding:3px 8px;text-align:right}
th{background:#eef1f5} td.l,th.l{text-align:left}
svg{background:#fff;border:1px solid #d5d9e0;border-radius:6px;margin:6px 0;display:block;max-width:100%;height:auto}
.ct{font-size:14px;font-weight:600;fill:#1d2330} .xt{font-size:11px;fill:#5a6375;text-anchor:middle} .yt{font-size:11px;fill:#5a6375;text-anchor:end}
.xl,.yl{font-size:12px;fill:#1d2330;text-anchor:middle} .grid{stroke:#e6e9ee} .ax{stroke:#7a8394}
.bar{fill:#3b6fd8} .pt{fill:#d8553b} .l1{fill:none;stroke:#d8553b;stroke-width:1.5} .l2{fill:none;stroke:#3b6fd8;stroke-width:1.2;stroke-dasharray:5 3}
.l3{fill:none;stroke:#8a63c9;stroke-width:1} .ref{stroke:#3b6fd8;stroke-dasharray:4 3} .legend{fill:#fff;stroke:#d5d9e0} .lg{font-size:11px;fill:#1d2330}
.bad{color:#b3261e}
)";
} // namespace

void write_html(std::ostream &o, const Study &s) {
  const Summary &m = s.summary;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>prism-sample report: " << html_escape(command_text(s)) << "</title>\n"
    << "<style>" << kCss << "</style>\n</head>\n<body>\n";
  o << "<h1>prism-sample report</h1>\n<p class=\"sub\">How many bits of each output "
       "survive "
    << html_escape(s.backend) << " rounding: " << s.used_samples
    << " runs compared with the " << (s.reference == "ieee" ? "IEEE run" : "sample mean")
    << ". Started " << html_escape(s.started) << ".</p>\n";
  o << "<h2>Study</h2>\n<pre id=\"command\">" << html_escape(command_text(s))
    << "</pre>\n<table id=\"settings\">\n";
  auto row = [&](const std::string &k, const std::string &v) {
    o << "<tr><th class=\"l\">" << html_escape(k) << "</th><td class=\"l\">"
      << html_escape(v) << "</td></tr>\n";
  };
  row("backend", s.backend);
  row("runs", fmt("%zu requested, %zu used, %zu in parallel", s.samples,
                  s.used_samples, s.jobs));
  row("seeds (PRISM_SEED)", seeds_text(s));
  row("reference", s.reference == "ieee" ? "ieee (one run with PRISM_BACKEND=ieee)"
                                         : "mean of the samples");
  row("error", error_name(s.stats.error));
  row("precision", fmt("%d bits", s.stats.precision));
  row("CNH probability / confidence",
      fmt("%g / %g (contributing bits: probability %g)", s.stats.probability,
          s.stats.confidence, s.stats.contributing_probability));
  row("outputs read from", (s.capture.empty() ? std::string("stdout")
                                              : "file " + s.capture) +
                               " as " + s.input + (s.probes ? ", plus probes" : ""));
  for (const auto &[k, v] : s.environment)
    row(k, v);
  auto t = run_seconds(s);
  row("timings",
      fmt("total %.3f s", s.total_seconds) +
          (s.reference_run ? fmt("; reference run %.3f s", s.reference_run->seconds)
                           : std::string()) +
          (t.empty() ? std::string()
                     : fmt("; runs min %.3f s, median %.3f s, max %.3f s",
                           *std::min_element(t.begin(), t.end()), median_of(t),
                           *std::max_element(t.begin(), t.end()))));
  o << "</table>\n";
  for (const auto &n : s.notes)
    o << "<p class=\"bad\">" << html_escape(n) << "</p>\n";

  o << "<h2>Summary</h2>\n<div class=\"cards\" id=\"summary\">\n";
  auto card = [&](const std::string &v, const std::string &label) {
    o << "<div class=\"card\"><b>" << html_escape(v) << "</b><span>"
      << html_escape(label) << "</span></div>\n";
  };
  card(std::to_string(m.outputs), "outputs");
  if (s.dice) {
    card(fmt("%.4f", s.dice->mean_dice), "mean Sorensen-Dice");
    card(std::to_string(s.dice->labels.size()), "labels");
  }
  if (m.defined) {
    card(fmt("%.1f", m.min), "min significant bits (CNH)");
    card(fmt("%.1f", m.median), "median (CNH)");
    card(fmt("%.1f", m.mean), "mean (CNH)");
    card(fmt("%.0f", m.general_min), "min (general)");
  }
  if (m.defined < m.outputs)
    card(std::to_string(m.outputs - m.defined), "outputs without defined bits");
  o << "</div>\n";

  o << "<h2>Charts</h2>\n";
  if (s.dice)
    o << dice_svg(s);
  if (!s.elements.empty()) {
    o << histogram_svg(s);
    o << by_index_svg(s);
  }
  if (!s.probe_list.empty()) {
    o << "<h2>Probes</h2>\n";
    for (std::size_t k = 0; k < s.probe_list.size(); k++)
      o << probe_svg(s, s.probe_list[k], k);
  }

  auto worst = worst_outputs(s, 10);
  o << "<h2>Worst outputs</h2>\n<table id=\"worst\">\n<tr><th class=\"l\">output</th>"
       "<th>reference</th><th>mean</th><th>std</th><th>min</th><th>max</th>"
       "<th>CNH</th><th>general</th><th>Parker</th><th>contributing</th>"
    << (s.dice ? "<th>agreement</th>" : "") << "<th class=\"l\">status</th></tr>\n";
  for (std::size_t j : worst) {
    const ElementStats &e = s.elements[j];
    o << "<tr><td class=\"l\">" << html_escape(output_label(s, j)) << "</td><td>"
      << g17(e.reference) << "</td><td>" << g17(e.mean) << "</td><td>"
      << fmt("%.3e", e.std) << "</td><td>" << g17(e.min) << "</td><td>" << g17(e.max)
      << "</td><td>" << bits_text(e.sig_cnh) << "</td><td>"
      << bits_text(e.sig_general) << "</td><td>" << bits_text(e.sig_parker)
      << "</td><td>" << bits_text(e.contrib_cnh) << "</td>";
    if (s.dice)
      o << "<td>" << fmt("%.3f", s.dice->agreement[j]) << "</td>";
    o << "<td class=\"l\">" << status_name(e.status)
      << (e.nan_runs ? fmt(" (%zu NaN runs)", e.nan_runs) : std::string())
      << "</td></tr>\n";
  }
  o << "</table>\n";
  if (worst.empty())
    o << "<p>No output differs from the reference.</p>\n";

  o << "<h2>Runs</h2>\n<table id=\"runs\">\n<tr><th>run</th><th>PRISM_SEED</th>"
       "<th>seconds</th><th class=\"l\">status</th></tr>\n";
  if (s.reference_run)
    o << "<tr><td>reference</td><td>-</td><td>"
      << fmt("%.3f", s.reference_run->seconds) << "</td><td class=\"l\">ieee</td></tr>\n";
  std::size_t shown = 0;
  for (const auto &r : s.runs) {
    if (shown++ == 200) {
      o << "<tr><td colspan=\"4\" class=\"l\">... " << s.runs.size() - 200
        << " more in the JSON file</td></tr>\n";
      break;
    }
    o << "<tr><td>" << r.index << "</td><td>" << r.seed << "</td><td>"
      << fmt("%.3f", r.seconds) << "</td><td class=\"l\">"
      << (r.failed ? "<span class=\"bad\">" + html_escape(r.failure) + "</span>"
                   : std::string("ok"))
      << "</td></tr>\n";
  }
  o << "</table>\n";
  o << "<p class=\"sub\">Significant bits follow Sohier et al. 2021 (CNH: "
       "-log2 &sigma;&#770; + (e-1) - [&frac12; log2((n-1)/&chi;&sup2;) + log2 "
       "&Phi;<sup>-1</sup>((p+1)/2)]; general: largest k with every |Z<sub>i</sub>| "
       "&le; 2<sup>-k+e-1</sup>); Parker: -log2|&sigma;/&mu;|. Generated by "
       "prism-sample "
    << PRISM_VERSION << ".</p>\n</body>\n</html>\n";
}

} // namespace prism::sample
