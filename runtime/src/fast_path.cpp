// fast_path.cpp - the runtime side of the inline sr/ud clones (prism/fast.h):
// per-thread threshold buffers refilled in bulk, and the out-of-line
// operations the clones call for operands outside the fast path's safe range.
#include "fast_fill.h"
#include "prism/fast.h"
#include "prism/rng.h"
#include "runtime.h"
#include "stochastic_fast.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <pthread.h>
#include <type_traits>

#define PRISM_API extern "C" __attribute__((visibility("default")))

static_assert(offsetof(prism_fast_state, idx32) == PRISM_FAST_OFFSET_IDX32);
static_assert(offsetof(prism_fast_state, idx64) == PRISM_FAST_OFFSET_IDX64);
static_assert(offsetof(prism_fast_state, u64) == PRISM_FAST_OFFSET_U64);
static_assert(offsetof(prism_fast_state, u32) == PRISM_FAST_OFFSET_U32);
static_assert(offsetof(prism_fast_state, idx8) == PRISM_FAST_OFFSET_IDX8);
static_assert(offsetof(prism_fast_state, coins) == PRISM_FAST_OFFSET_COINS);
static_assert(alignof(prism_fast_state) == 64 && PRISM_FAST_OFFSET_U64 % 64 == 0);

PRISM_API __thread prism_fast_state *__prism_fast_tls_v2
    __attribute__((tls_model("initial-exec"))) = nullptr;

namespace prism {

FastKind g_fast_kind = FastKind::SR;

namespace {

struct FastThread {
  prism_fast_state state; // first: __prism_fast_tls_v2 points at it
  FastStreams streams;
  uint64_t generation = ~0ull;
};
// Heap-allocated per thread: libprism's own TLS must stay small, since the
// initial-exec access of instrumented code puts it in the static TLS block
// (which a dlopen()ed libprism gets only a small surplus of).
pthread_key_t g_fast_key;
pthread_once_t g_fast_key_once = PTHREAD_ONCE_INIT;

void freeFastThread(void *p) {
  __prism_fast_tls_v2 = nullptr;
  delete static_cast<FastThread *>(p);
}

FastThread &fastThread() {
  return *reinterpret_cast<FastThread *>(__prism_fast_tls_v2);
}

// Seeds the streams from the thread's runtime stream (PRISM_SEED and the
// thread's creation index), again after each prism_set_seed().
void reseedIfNeeded(FastThread &t) {
  uint64_t gen = seedGeneration();
  if (t.generation == gen)
    return;
  uint64_t *scalar = threadRngState();
  for (size_t k = 0; k < kFastStreams; k++) {
    uint64_t st[4];
    prism_rng_seed(st, prism_rng_next(scalar), 0);
    for (int w = 0; w < 4; w++)
      t.streams.s[w][k] = st[w];
  }
  t.generation = gen;
}

// Fresh random values for a buffer: thresholds or coins.
void generate(FastStreams &st, float *u, size_t n) {
  fillThresholds(st, u, n, g_fast_kind == FastKind::UD);
}
void generate(FastStreams &st, double *u, size_t n) {
  fillThresholds(st, u, n, g_fast_kind == FastKind::UD);
}
void generate(FastStreams &st, uint8_t *c, size_t n) { fillCoins(st, c, n); }

// Inside prism_disable() every slot asks for RN: a threshold never reached,
// or the coin that picks RN.
template <class T> constexpr T offValue() {
  if constexpr (std::is_same_v<T, uint8_t>)
    return PRISM_COIN_OFF;
  else
    return std::numeric_limits<T>::infinity();
}

template <class T> void fill(FastThread &t, T *u, size_t n) {
  if (t_disabled) {
    std::fill(u, u + n, offValue<T>());
    return;
  }
  reseedIfNeeded(t);
  generate(t.streams, u, n);
}

// A whole number of fill steps: 256 ud float thresholds per step (fast_fill).
static_assert(PRISM_FAST_SLOTS % (32 * kFastStreams) == 0);
static_assert(PRISM_FAST_COINS % (64 * kFastStreams) == 0);

// The draw the exact core expects for a threshold of the buffer: the same
// uniform under sr (its top bits), the same coin under ud.
template <class T> uint64_t drawOf(T u) {
  if (g_fast_kind == FastKind::UD)
    return u == 0 ? uint64_t(1) << 63 : 0;
  constexpr int kBits = std::is_same_v<T, float> ? 23 : 52;
  // The buffer holds u * 2^-kBits (prism/fast.h).
  return thresholdDraw<kBits>(static_cast<uint64_t>(std::ldexp(u, 2 * kBits)));
}

template <class T> using SrOps = StochasticFast<T, RoundingMode::SR>;
template <class T> using UdOps = StochasticFast<T, RoundingMode::SRUniform>;

} // namespace

// Every buffer used up: the next inline rounding of each kind refills it.
static void markEmpty(prism_fast_state &st) {
  st.idx32 = st.idx64 = PRISM_FAST_SLOTS;
  st.idx8 = PRISM_FAST_COINS;
}

// Forces a refill before the calling thread's next inline rounding, so that
// prism_disable/enable/set_seed take effect at once.
void invalidateFastBuffer() {
  if (__prism_fast_tls_v2)
    markEmpty(*__prism_fast_tls_v2);
}

} // namespace prism

using namespace prism;

PRISM_API prism_fast_state *__prism_fast_enter(void) {
  pthread_once(&g_fast_key_once,
               [] { pthread_key_create(&g_fast_key, freeFastThread); });
  auto *t = new FastThread;
  markEmpty(t->state);
  pthread_setspecific(g_fast_key, t);
  __prism_fast_tls_v2 = &t->state;
  return &t->state;
}

PRISM_API uint32_t __prism_fast_refill32(prism_fast_state *st) {
  fill(fastThread(), st->u32, PRISM_FAST_SLOTS);
  st->idx32 = 0;
  return 0;
}
PRISM_API uint32_t __prism_fast_refill64(prism_fast_state *st) {
  fill(fastThread(), st->u64, PRISM_FAST_SLOTS);
  st->idx64 = 0;
  return 0;
}
PRISM_API uint32_t __prism_fast_refill8(prism_fast_state *st) {
  fill(fastThread(), st->coins, PRISM_FAST_COINS);
  st->idx8 = 0;
  return 0;
}

// Out-of-line operations: scalars take the threshold, vectors a pointer to
// the lane thresholds. Inside prism_disable() they compute IEEE results.
// `lanes` spells the per-lane scalar arguments of the vector form.
#define PRISM_UNPAREN(...) __VA_ARGS__
#define PRISM_FAST_OP(R, T, tn, op, params, args, native, vparams, lanes)      \
  PRISM_API R __prism_fast_##tn##_##op(PRISM_UNPAREN params, T u) {            \
    if (t_disabled)                                                            \
      return native;                                                           \
    uint64_t d = drawOf(u);                                                    \
    return g_fast_kind == FastKind::UD ? UdOps<R>::op(PRISM_UNPAREN args, d)   \
                                       : SrOps<R>::op(PRISM_UNPAREN args, d);  \
  }                                                                            \
  PRISM_API void __prism_fast_v_##tn##_##op(R *r, PRISM_UNPAREN vparams,       \
                                            const T *u, size_t n) {            \
    for (size_t i = 0; i < n; i++)                                             \
      r[i] = __prism_fast_##tn##_##op(PRISM_UNPAREN lanes, u[i]);              \
  }

#define PRISM_FAST_BINARY(T, tn, op, native)                                   \
  PRISM_FAST_OP(T, T, tn, op, (T a, T b), (a, b), native,                      \
                (const T *a, const T *b), (a[i], b[i]))

#define PRISM_FAST_TYPED(T, tn)                                                \
  PRISM_FAST_BINARY(T, tn, add, a + b)                                         \
  PRISM_FAST_BINARY(T, tn, mul, a * b)                                         \
  PRISM_FAST_BINARY(T, tn, div, a / b)                                         \
  PRISM_FAST_OP(T, T, tn, fma, (T a, T b, T c), (a, b, c), std::fma(a, b, c),  \
                (const T *a, const T *b, const T *c), (a[i], b[i], c[i]))      \
  PRISM_FAST_OP(T, T, tn, sqrt, (T a), (a), std::sqrt(a), (const T *a),        \
                (a[i]))                                                        \
  PRISM_API T __prism_fast_##tn##_sub(T a, T b, T u) {                         \
    return __prism_fast_##tn##_add(a, -b, u);                                  \
  }                                                                            \
  PRISM_API void __prism_fast_v_##tn##_sub(T *r, const T *a, const T *b,       \
                                           const T *u, size_t n) {             \
    for (size_t i = 0; i < n; i++)                                             \
      r[i] = __prism_fast_##tn##_add(a[i], -b[i], u[i]);                       \
  }

PRISM_FAST_TYPED(float, f32)
PRISM_FAST_TYPED(double, f64)

// fptrunc double -> float: the threshold is a double (the error is compared
// in double precision).
PRISM_FAST_OP(float, double, f64, trunc, (double a), (a),
              static_cast<float>(a), (const double *a), (a[i]))
