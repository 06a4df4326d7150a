// formats.cpp - see formats.h.
#include "formats.h"

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace prism::sample {

namespace {
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back()))
    s.remove_suffix(1);
  return s;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size())
    return false;
  for (std::size_t i = 0; i < suffix.size(); i++) {
    char a = s[s.size() - suffix.size() + i];
    if (a >= 'A' && a <= 'Z')
      a = char(a - 'A' + 'a');
    if (a != suffix[i])
      return false;
  }
  return true;
}

std::string shown(std::string_view tok) {
  std::string s(tok.substr(0, 40));
  for (char &c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      c = '?';
  return tok.size() > 40 ? s + "..." : s;
}

constexpr std::string_view kNpyMagic("\x93NUMPY", 6);
} // namespace

std::optional<InputFormat> parse_format_name(std::string_view n) {
  if (n == "auto") return InputFormat::Auto;
  if (n == "text") return InputFormat::Text;
  if (n == "csv") return InputFormat::Csv;
  if (n == "npy") return InputFormat::Npy;
  if (n == "f32") return InputFormat::F32;
  if (n == "f64") return InputFormat::F64;
  if (n == "none") return InputFormat::None;
  return std::nullopt;
}

const char *format_name(InputFormat f) {
  switch (f) {
  case InputFormat::Auto: return "auto";
  case InputFormat::Text: return "text";
  case InputFormat::Csv: return "csv";
  case InputFormat::Npy: return "npy";
  case InputFormat::F32: return "f32";
  case InputFormat::F64: return "f64";
  case InputFormat::None: return "none";
  }
  return "?";
}

bool parse_number(std::string_view token, double &out) {
  if (token.empty() || token.size() > 512)
    return false;
  char buf[520];
  std::memcpy(buf, token.data(), token.size());
  buf[token.size()] = 0;
  char *end;
  errno = 0;
  double v = std::strtod(buf, &end);
  if (end != buf + token.size())
    return false;
  // Overflow gives +-inf and underflow a subnormal or 0, both with ERANGE:
  // the nearest double is what a program printing that literal meant.
  out = v;
  return true;
}

InputFormat detect_format(std::string_view data, std::string_view path) {
  if (data.substr(0, kNpyMagic.size()) == kNpyMagic || ends_with(path, ".npy"))
    return InputFormat::Npy;
  if (ends_with(path, ".f32"))
    return InputFormat::F32;
  if (ends_with(path, ".f64"))
    return InputFormat::F64;
  if (ends_with(path, ".csv"))
    return InputFormat::Csv;
  bool comma = false;
  for (char ch : data) {
    auto c = static_cast<unsigned char>(ch);
    if (c == ',')
      comma = true;
    else if ((c < 0x20 && !is_blank(ch)) || c >= 0x7f)
      throw FormatError("output is binary data and its format is not known: "
                        "pass --input npy, f32 or f64");
  }
  return comma ? InputFormat::Csv : InputFormat::Text;
}

Values parse_values(std::string_view data, InputFormat format,
                    std::string_view path) {
  if (format == InputFormat::Auto)
    format = detect_format(data, path);
  switch (format) {
  case InputFormat::Text: return parse_text(data);
  case InputFormat::Csv: return parse_csv(data);
  case InputFormat::Npy: return parse_npy(data);
  case InputFormat::F32:
  case InputFormat::F64: return parse_raw(data, format);
  case InputFormat::None: {
    Values v;
    v.format = InputFormat::None;
    return v;
  }
  case InputFormat::Auto: break;
  }
  throw FormatError("unknown input format");
}

Values parse_text(std::string_view data) {
  Values out;
  out.format = InputFormat::Text;
  std::size_t i = 0, line = 1;
  while (i < data.size()) {
    if (is_blank(data[i])) {
      line += data[i] == '\n';
      i++;
      continue;
    }
    std::size_t j = i;
    while (j < data.size() && !is_blank(data[j]))
      j++;
    std::string_view tok = data.substr(i, j - i);
    double v;
    if (!parse_number(tok, v))
      throw FormatError("line " + std::to_string(line) + ": '" + shown(tok) +
                        "' is not a number (text input: numbers separated by "
                        "white space)");
    out.values.push_back(v);
    i = j;
  }
  return out;
}

Values parse_csv(std::string_view data) {
  Values out;
  out.format = InputFormat::Csv;
  std::size_t line = 0, start = 0;
  bool first_content = true;
  while (start <= data.size()) {
    std::size_t nl = data.find('\n', start);
    if (nl == std::string_view::npos)
      nl = data.size();
    std::string_view row = data.substr(start, nl - start);
    start = nl + 1;
    line++;
    if (trim(row).empty()) {
      if (nl == data.size())
        break;
      continue;
    }
    std::vector<std::string_view> cells;
    std::size_t c0 = 0;
    while (true) {
      std::size_t comma = row.find(',', c0);
      std::string_view cell = trim(row.substr(c0, comma == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : comma - c0));
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
        cell = trim(cell.substr(1, cell.size() - 2));
      cells.push_back(cell);
      if (comma == std::string_view::npos)
        break;
      c0 = comma + 1;
    }
    // A first row without any number is a header.
    if (first_content) {
      first_content = false;
      bool any_number = false;
      double v;
      for (auto c : cells)
        any_number = any_number || parse_number(c, v);
      if (!any_number)
        continue;
    }
    for (std::size_t k = 0; k < cells.size(); k++) {
      if (cells[k].empty())
        continue; // empty cells (trailing commas, ragged rows) are skipped
      double v;
      if (!parse_number(cells[k], v))
        throw FormatError("line " + std::to_string(line) + ", column " +
                          std::to_string(k + 1) + ": '" + shown(cells[k]) +
                          "' is not a number");
      out.values.push_back(v);
    }
    if (nl == data.size())
      break;
  }
  return out;
}

namespace {
// Value of key 'name' in the NPY header dictionary, as raw text.
std::string_view npy_field(std::string_view header, std::string_view key) {
  std::string quoted1 = "'" + std::string(key) + "'";
  std::string quoted2 = "\"" + std::string(key) + "\"";
  std::size_t k = header.find(quoted1);
  std::size_t klen = quoted1.size();
  if (k == std::string_view::npos) {
    k = header.find(quoted2);
    klen = quoted2.size();
  }
  if (k == std::string_view::npos)
    throw FormatError("NPY header has no '" + std::string(key) + "'");
  std::size_t colon = header.find(':', k + klen);
  if (colon == std::string_view::npos)
    throw FormatError("malformed NPY header");
  std::string_view rest = trim(header.substr(colon + 1));
  if (!rest.empty() && rest.front() == '(') {
    std::size_t close = rest.find(')');
    if (close == std::string_view::npos)
      throw FormatError("malformed NPY shape");
    return rest.substr(0, close + 1);
  }
  if (!rest.empty() && (rest.front() == '\'' || rest.front() == '"')) {
    std::size_t close = rest.find(rest.front(), 1);
    if (close == std::string_view::npos)
      throw FormatError("malformed NPY header");
    return rest.substr(1, close - 1);
  }
  std::size_t end = rest.find_first_of(",}");
  return trim(rest.substr(0, end));
}

template <class T> T load(const char *p, bool swap) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if (swap) {
    if constexpr (sizeof(T) == 2) v = std::bit_cast<T>(__builtin_bswap16(std::bit_cast<uint16_t>(v)));
    else if constexpr (sizeof(T) == 4) v = std::bit_cast<T>(__builtin_bswap32(std::bit_cast<uint32_t>(v)));
    else if constexpr (sizeof(T) == 8) v = std::bit_cast<T>(__builtin_bswap64(std::bit_cast<uint64_t>(v)));
  }
  return v;
}
} // namespace

Values parse_npy(std::string_view data) {
  if (data.size() < 10 || data.substr(0, kNpyMagic.size()) != kNpyMagic)
    throw FormatError("not an NPY file (no \\x93NUMPY magic)");
  unsigned major = static_cast<unsigned char>(data[6]);
  std::size_t hlen, hstart;
  if (major == 1) {
    hlen = static_cast<unsigned char>(data[8]) |
           (std::size_t(static_cast<unsigned char>(data[9])) << 8);
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (data.size() < 12)
      throw FormatError("truncated NPY header");
    hlen = 0;
    for (int b = 0; b < 4; b++)
      hlen |= std::size_t(static_cast<unsigned char>(data[8 + b])) << (8 * b);
    hstart = 12;
  } else {
    throw FormatError("unsupported NPY version " + std::to_string(major));
  }
  if (data.size() < hstart + hlen)
    throw FormatError("truncated NPY header");
  std::string_view header = data.substr(hstart, hlen);
  std::string descr(npy_field(header, "descr"));
  std::string_view fortran = npy_field(header, "fortran_order");
  std::string_view shape = npy_field(header, "shape");
  if (fortran != "False")
    throw FormatError("NPY array is in Fortran order; only C order is read");
  std::size_t count = 1;
  {
    std::string_view s = shape.substr(1, shape.size() - 2);
    std::size_t i = 0;
    while (i < s.size()) {
      std::size_t j = s.find(',', i);
      if (j == std::string_view::npos)
        j = s.size();
      std::string_view d = trim(s.substr(i, j - i));
      if (!d.empty()) {
        std::size_t dim = 0;
        for (char c : d) {
          if (c < '0' || c > '9')
            throw FormatError("malformed NPY shape " + std::string(shape));
          dim = dim * 10 + std::size_t(c - '0');
        }
        count *= dim;
      }
      i = j + 1;
    }
  }
  if (descr.size() < 3)
    throw FormatError("unsupported NPY dtype '" + descr + "'");
  char order = descr[0], kind = descr[1];
  int size = std::atoi(descr.c_str() + 2);
  bool swap = order == '>'; // little-endian host
  if (order != '<' && order != '>' && order != '|' && order != '=')
    throw FormatError("unsupported NPY dtype '" + descr + "'");
  bool ok = (kind == 'f' && (size == 4 || size == 8)) ||
            ((kind == 'i' || kind == 'u') &&
             (size == 1 || size == 2 || size == 4 || size == 8)) ||
            (kind == 'b' && size == 1);
  if (!ok)
    throw FormatError("unsupported NPY dtype '" + descr +
                      "' (float32, float64, integers and bool are read)");
  std::string_view body = data.substr(hstart + hlen);
  if (body.size() < count * std::size_t(size))
    throw FormatError("NPY data is truncated: shape " + std::string(shape) +
                      " needs " + std::to_string(count * size) + " bytes, found " +
                      std::to_string(body.size()));
  Values out;
  out.format = InputFormat::Npy;
  out.precision = (kind == 'f' && size == 4) ? 24 : 53;
  out.values.resize(count);
  const char *p = body.data();
  for (std::size_t i = 0; i < count; i++, p += size) {
    double v = 0;
    if (kind == 'f')
      v = size == 4 ? double(load<float>(p, swap)) : load<double>(p, swap);
    else if (kind == 'i')
      v = size == 1 ? double(load<int8_t>(p, false))
          : size == 2 ? double(load<int16_t>(p, swap))
          : size == 4 ? double(load<int32_t>(p, swap))
                      : double(load<int64_t>(p, swap));
    else
      v = size == 1 ? double(load<uint8_t>(p, false))
          : size == 2 ? double(load<uint16_t>(p, swap))
          : size == 4 ? double(load<uint32_t>(p, swap))
                      : double(load<uint64_t>(p, swap));
    out.values[i] = v;
  }
  return out;
}

Values parse_raw(std::string_view data, InputFormat f) {
  std::size_t size = f == InputFormat::F32 ? 4 : 8;
  if (data.size() % size)
    throw FormatError(std::to_string(data.size()) + " bytes is not a whole " +
                      "number of " + (size == 4 ? "f32" : "f64") + " values");
  Values out;
  out.format = f;
  out.precision = size == 4 ? 24 : 53;
  out.values.resize(data.size() / size);
  for (std::size_t i = 0; i < out.values.size(); i++)
    out.values[i] = size == 4 ? double(load<float>(data.data() + 4 * i, false))
                              : load<double>(data.data() + 8 * i, false);
  return out;
}

std::vector<std::pair<std::string, double>> parse_probes(std::string_view data) {
  std::vector<std::pair<std::string, double>> out;
  std::size_t start = 0, line = 0;
  while (start < data.size()) {
    std::size_t nl = data.find('\n', start);
    if (nl == std::string_view::npos)
      nl = data.size();
    std::string_view row = trim(data.substr(start, nl - start));
    start = nl + 1;
    line++;
    if (row.empty())
      continue;
    std::size_t sp = row.find_last_of(" \t");
    double v;
    if (sp == std::string_view::npos || !parse_number(row.substr(sp + 1), v))
      throw FormatError("probe line " + std::to_string(line) + ": '" + shown(row) +
                        "' is not 'name value'");
    out.emplace_back(std::string(trim(row.substr(0, sp))), v);
  }
  return out;
}

} // namespace prism::sample
