// config.cpp - PRISM_* environment parsing: every variable of SPEC.md, with
// one-line errors that name the variable, the value and what is accepted.
#include "config.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>

extern char **environ;

namespace prism {
namespace {

const char *kKnownVariables[] = {
    "PRISM_BACKEND",    "PRISM_PRECISION_BINARY32", "PRISM_PRECISION_BINARY64",
    "PRISM_SEED",       "PRISM_FORMAT",             "PRISM_ROUNDING",
    "PRISM_SUBNORMALS", "PRISM_OVERFLOW",           "PRISM_FLIP_PROB",
    "PRISM_VERBOSE",    "PRISM_PROBES",             "PRISM_SAMPLE_INDEX",
    "PRISM_INLINE"};

const char *kFormats[] = {"binary16", "fp16",     "half",  "bfloat16", "bf16",
                          "tf32",     "e4m3",     "e5m2",  "e3m2",     "e2m3",
                          "e2m1",     "binary32", "fp32",  "single",   "binary64",
                          "fp64",     "double"};
const char *kRoundings[] = {"rne", "ru",  "rd",  "rz", "sr",
                            "sr-uniform", "rnz", "rna", "ro"};

std::string line(const char *var, const std::string &value,
                 const std::string &accepted) {
  return std::string("prism: invalid ") + var + "='" + value +
         "' (accepted: " + accepted + ")";
}

bool parseInt(const char *s, long lo, long hi, long &out) {
  if (!*s)
    return false;
  char *end;
  errno = 0;
  long v = std::strtol(s, &end, 10);
  if (errno || *end || v < lo || v > hi)
    return false;
  out = v;
  return true;
}

template <size_t N> bool oneOf(const std::string &v, const char *(&list)[N]) {
  for (const char *s : list)
    if (v == s)
      return true;
  return false;
}

template <size_t N> std::string joined(const char *(&list)[N]) {
  std::string r;
  for (const char *s : list)
    r += (r.empty() ? "" : ", ") + std::string(s);
  return r;
}

} // namespace

bool isValidFormat(const std::string &name) {
  if (oneOf(name, kFormats))
    return true;
  std::smatch m;
  static const std::regex custom("e([0-9]+)m([0-9]+)");
  static const std::regex fixed("fixed:([0-9]+)\\.([0-9]+)");
  if (std::regex_match(name, m, custom)) {
    long x = std::atol(m[1].str().c_str()), y = std::atol(m[2].str().c_str());
    return x >= 2 && x <= 11 && y >= 0 && y <= 52;
  }
  if (std::regex_match(name, m, fixed)) {
    long i = std::atol(m[1].str().c_str()), f = std::atol(m[2].str().c_str());
    return i >= 1 && f >= 0 && i + f <= 64;
  }
  return false;
}

bool parseEnvironment(RuntimeConfig &cfg, std::string &error,
                      std::string &warnings) {
  prism_config &bc = cfg.backend_cfg;
  bc.precision_binary32 = 24;
  bc.precision_binary64 = 53;
  bc.subnormals = 1;
  bc.overflow_saturate = 0;
  bc.flip_prob = 0.0;
  long v;

  if (const char *s = std::getenv("PRISM_BACKEND")) {
    if (!*s) {
      error = line("PRISM_BACKEND", s, "ieee, sr, ud, chop, or a path to a backend .so");
      return false;
    }
    cfg.backend = s;
  }
  if (const char *s = std::getenv("PRISM_PRECISION_BINARY32")) {
    if (!parseInt(s, 1, 24, v)) {
      error = line("PRISM_PRECISION_BINARY32", s, "an integer from 1 to 24");
      return false;
    }
    bc.precision_binary32 = (int)v;
  }
  if (const char *s = std::getenv("PRISM_PRECISION_BINARY64")) {
    if (!parseInt(s, 1, 53, v)) {
      error = line("PRISM_PRECISION_BINARY64", s, "an integer from 1 to 53");
      return false;
    }
    bc.precision_binary64 = (int)v;
  }
  if (const char *s = std::getenv("PRISM_SEED")) {
    char *end;
    errno = 0;
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    unsigned long long seed = std::strtoull(hex ? s + 2 : s, &end, hex ? 16 : 10);
    if (!std::isxdigit(static_cast<unsigned char>(hex ? s[2] : *s)) ||
        (!hex && !std::isdigit(static_cast<unsigned char>(*s))) || *end ||
        errno) {
      error = line("PRISM_SEED", s, "an unsigned 64-bit integer, decimal or 0x hex");
      return false;
    }
    bc.seed = seed;
    cfg.seed_given = true;
  }
  if (const char *s = std::getenv("PRISM_FORMAT")) {
    if (!isValidFormat(s)) {
      error = line("PRISM_FORMAT", s,
                   joined(kFormats) +
                       ", eXmY with 2<=X<=11 and 0<=Y<=52, or fixed:I.F");
      return false;
    }
    cfg.format = s;
  }
  if (const char *s = std::getenv("PRISM_ROUNDING")) {
    if (!oneOf(std::string(s), kRoundings)) {
      error = line("PRISM_ROUNDING", s, joined(kRoundings));
      return false;
    }
    cfg.rounding = s;
  }
  if (const char *s = std::getenv("PRISM_SUBNORMALS")) {
    std::string x = s;
    if (x != "on" && x != "off") {
      error = line("PRISM_SUBNORMALS", s, "on, off");
      return false;
    }
    bc.subnormals = x == "on";
  }
  if (const char *s = std::getenv("PRISM_OVERFLOW")) {
    std::string x = s;
    if (x != "inf" && x != "saturate") {
      error = line("PRISM_OVERFLOW", s, "inf, saturate");
      return false;
    }
    bc.overflow_saturate = x == "saturate";
  }
  if (const char *s = std::getenv("PRISM_FLIP_PROB")) {
    char *end;
    errno = 0;
    double p = std::strtod(s, &end);
    if (!*s || *end || errno || !(p >= 0.0 && p <= 1.0)) {
      error = line("PRISM_FLIP_PROB", s, "a probability from 0 to 1");
      return false;
    }
    bc.flip_prob = p;
  }
  if (const char *s = std::getenv("PRISM_VERBOSE")) {
    if (!parseInt(s, 0, 1, v)) {
      error = line("PRISM_VERBOSE", s, "0, 1");
      return false;
    }
    bc.verbose = (int)v;
  }
  if (const char *s = std::getenv("PRISM_INLINE")) {
    if (std::strcmp(s, "on") != 0 && std::strcmp(s, "off") != 0) {
      error = line("PRISM_INLINE", s, "on, off");
      return false;
    }
    cfg.inline_fast = std::strcmp(s, "on") == 0;
  }
  if (const char *s = std::getenv("PRISM_PROBES"))
    cfg.probes = s;
  if (const char *s = std::getenv("PRISM_SAMPLE_INDEX")) {
    if (!parseInt(s, 0, 1L << 40, v)) {
      error = line("PRISM_SAMPLE_INDEX", s, "a non-negative integer");
      return false;
    }
  }
  bc.format = cfg.format.empty() ? nullptr : cfg.format.c_str();
  bc.rounding = cfg.rounding.empty() ? nullptr : cfg.rounding.c_str();

  for (char **e = environ; e && *e; ++e) {
    if (std::strncmp(*e, "PRISM_", 6) != 0)
      continue;
    std::string name(*e, std::strcspn(*e, "="));
    bool known = false;
    for (const char *k : kKnownVariables)
      known |= name == k;
    if (!known)
      warnings += "prism: warning: unknown variable " + name +
                  " ignored (a typo?)\n";
  }
  return true;
}

} // namespace prism
