// chop_vector.h - the chop backend's vector entry points on whole arrays
// (chop_vector.cpp: Highway, one copy per ISA, picked once by
// HWY_DYNAMIC_DISPATCH).
//
// Each lane's exact result is taken as s + e: s = RN(x) in double and e its
// error-free remainder (float operations are computed on double lanes, where
// add/mul/fma are exact or TwoSum-exact and div/sqrt remainders are exact;
// double operations use TwoSum, the FMA product error, the div/sqrt
// remainders and ErrFma). s is then rounded to odd at double precision using
// only the sign of e (the neighbour on x's side when e != 0 and s is even),
// and that value is rounded once to the target by the bulk API's integer
// kernel (bulk/chop_kernels-inl.h). Round-to-odd at q bits followed by any
// rounding to p <= q - 2 bits equals that rounding of x itself (Boldo and
// Melquiond 2008), for every mode: the target's grid points and midpoints are
// double numbers, and x and RO(x) lie on the same side of each. Hence there
// is no double rounding, and the result is bit for bit the scalar core's
// (deterministic modes; sr-uniform is exact; sr resolves the position of x
// to 2^-(53-p) of a spacing, at least 2^-24: p <= 29 on double lanes).
//
// Lanes whose transforms could under- or overflow (double operations with
// operands or results outside [2^-914, DBL_MAX/2], zeros of mul/div/sqrt
// excepted), and exact zero sums under rd (whose sign is -0), are redone by
// the scalar reference (ChopRounder over exact.h).
#pragma once

#include "backends/chop/bulk/bulk_params.h"
#include "backends/common/chop_rounder.h"

#include <cstddef>
#include <cstdint>

namespace prism::chopvec {

enum class Op { Add, Sub, Mul, Div, Fma, Sqrt };

// Words of a thread's vector RNG state for sr / sr-uniform: xoshiro256++ in
// up to kLanes u64 lanes, word-major (s[w * kLanes + lane]).
constexpr size_t kLanes = bulk::kStreams;
constexpr size_t kRngWords = 4 * kLanes;

struct Plan {
  ChopRounder rounder;              // the scalar reference (redone lanes)
  bulk::KernelParams<uint64_t> kp;  // the target on double storage
  bool f32 = false;                 // float operations may take the kernels
  bool f64 = false;                 // double operations may (p <= 51;
                                    // sr: p <= 29)
  bool random = false;              // sr, sr-uniform: lane_rng is used
};

// Builds the plan of a configured rounder (no soft errors: with
// PRISM_FLIP_PROB > 0 the backend stays lane by lane).
Plan makePlan(const ChopRounder &r);

// r[i] = op(a[i], b[i], c[i]) rounded to the target, i < n (b, c unused by
// unary operations). lane_rng: kRngWords words (random modes), else unused;
// scalar_rng: the thread's scalar stream for redone lanes (random modes).
// Returns false when this ISA has no vector path (no hardware FMA): the
// caller then goes lane by lane.
bool apply(const Plan &p, Op op, float *r, const float *a, const float *b,
           const float *c, size_t n, uint64_t *lane_rng, uint64_t *scalar_rng);
bool apply(const Plan &p, Op op, double *r, const double *a, const double *b,
           const double *c, size_t n, uint64_t *lane_rng, uint64_t *scalar_rng);
// double -> float.
bool truncate(const Plan &p, float *r, const double *a, size_t n,
              uint64_t *lane_rng);

} // namespace prism::chopvec
