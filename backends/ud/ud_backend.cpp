// ud_backend.cpp - up-down rounding at virtual precision t: an inexact result
// becomes RD(x) or RU(x) with probability 1/2 each; exact results stay exact.
#include "../common/virtual_precision.h"

using UdBackend = prism::VirtualPrecisionBackend<prism::RoundingMode::SRUniform>;
PRISM_DEFINE_BACKEND_ENTRY(UdBackend::table("ud"))
