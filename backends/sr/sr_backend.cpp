// sr_backend.cpp - stochastic rounding at virtual precision t: each result is
// RD(x) or RU(x) of the exact result x, RU with probability (x-RD)/(RU-RD).
#include "../common/virtual_precision.h"

using SrBackend = prism::VirtualPrecisionBackend<prism::RoundingMode::SR>;
PRISM_DEFINE_BACKEND_ENTRY(SrBackend::table("sr"))
