// stochastic_vector.h - whole-array sr/ud at full precision, dispatched once
// to the best ISA of the machine (stochastic_vector.cpp, Highway).
#pragma once

#include "format_spec.h"
#include "stochastic_streams.h"

namespace prism {

void stochasticArray(RoundingMode m, StochasticOp op, float *r, const float *a,
                     const float *b, const float *c, size_t n, ThreadStreams &st);
void stochasticArray(RoundingMode m, StochasticOp op, double *r, const double *a,
                     const double *b, const double *c, size_t n,
                     ThreadStreams &st);

} // namespace prism
