// config.h - PRISM_* environment parsing and validation.
#pragma once

#include "prism/backend.h"

#include <string>

namespace prism {

struct RuntimeConfig {
  std::string backend = "ieee"; // name or path
  bool seed_given = false;
  std::string probes;           // PRISM_PROBES
  bool inline_fast = true;      // PRISM_INLINE: sr/ud through inline clones
  prism_config backend_cfg{};   // passed to the backend's init
  std::string format, rounding; // storage for backend_cfg's strings
};

// Parses the environment. On a bad value, returns false and sets `error` to
// one line naming the variable, the value and what is accepted.
bool parseEnvironment(RuntimeConfig &cfg, std::string &error,
                      std::string &warnings);

// Validates a chop format name (PRISM_FORMAT); exposed for tests.
bool isValidFormat(const std::string &name);

} // namespace prism
