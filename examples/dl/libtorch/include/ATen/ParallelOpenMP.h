#pragma once
// prism: stand-in for libtorch's <ATen/ParallelOpenMP.h> when the ATen CPU
// kernels are rebuilt with clang. Debian's libtorch runs its intra-op
// parallelism on GCC's OpenMP runtime (libgomp); clang's -fopenmp would emit
// calls to LLVM's libomp instead and put a second thread pool (and a second
// omp_set_num_threads) in the process. This header keeps the upstream
// invoke_parallel() line for line but opens the parallel region with
// libgomp's own entry point, GOMP_parallel, which is what GCC emits for
// `#pragma omp parallel`: same pool, same thread count, same chunking as
// Debian's build. Link the kernels with libgomp.so.1.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>

#define INTRA_OP_PARALLEL

extern "C" {
void GOMP_parallel(void (*fn)(void*), void* data, unsigned num_threads,
                   unsigned flags);
int omp_get_num_threads(void);
int omp_get_thread_num(void);
}

namespace at {
namespace internal {

template <typename F>
struct PrismGompRegion {
  int64_t begin, end, grain_size;
  const F* f;
  std::atomic_flag* err_flag;
  std::exception_ptr* eptr;
};

template <typename F>
void prism_gomp_body(void* data) {
  auto& r = *static_cast<PrismGompRegion<F>*>(data);
  // choose number of tasks based on grain size and number of threads
  int64_t num_threads = omp_get_num_threads();
  if (r.grain_size > 0) {
    num_threads = std::min(num_threads, divup((r.end - r.begin), r.grain_size));
  }
  int64_t tid = omp_get_thread_num();
  int64_t chunk_size = divup((r.end - r.begin), num_threads);
  int64_t begin_tid = r.begin + tid * chunk_size;
  if (begin_tid < r.end) {
    try {
      internal::ThreadIdGuard tid_guard(tid);
      (*r.f)(begin_tid, std::min(r.end, chunk_size + begin_tid));
    } catch (...) {
      if (!r.err_flag->test_and_set()) {
        *r.eptr = std::current_exception();
      }
    }
  }
}

template <typename F>
inline void invoke_parallel(int64_t begin, int64_t end, int64_t grain_size,
                            const F& f) {
  std::atomic_flag err_flag = ATOMIC_FLAG_INIT;
  std::exception_ptr eptr;
  PrismGompRegion<F> region{begin, end, grain_size, &f, &err_flag, &eptr};
  GOMP_parallel(&prism_gomp_body<F>, &region, 0, 0);
  if (eptr) {
    std::rethrow_exception(eptr);
  }
}

} // namespace internal
} // namespace at
