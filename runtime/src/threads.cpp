// threads.cpp - thread creation indices, for reproducible per-thread seeds.
//
// pthread_create is interposed (libprism comes before libc in the link order)
// so that each thread learns its creation index before it runs any code.
#include "runtime.h"

#include <atomic>
#include <dlfcn.h>
#include <new>
#include <pthread.h>

namespace prism {
namespace {

std::atomic<uint64_t> g_next_index{1};
thread_local uint64_t t_index = 0;

struct StartArgs {
  void *(*fn)(void *);
  void *arg;
  uint64_t index;
};

void *threadStart(void *p) {
  StartArgs a = *static_cast<StartArgs *>(p);
  delete static_cast<StartArgs *>(p);
  t_index = a.index;
  return a.fn(a.arg);
}

using CreateFn = int (*)(pthread_t *, const pthread_attr_t *,
                         void *(*)(void *), void *);

CreateFn realCreate() {
  static CreateFn fn = reinterpret_cast<CreateFn>(
      dlvsym(RTLD_NEXT, "pthread_create", "GLIBC_2.34"));
  if (!fn)
    fn = reinterpret_cast<CreateFn>(dlsym(RTLD_NEXT, "pthread_create"));
  return fn;
}

} // namespace

uint64_t threadIndex() { return t_index; }

} // namespace prism

extern "C" __attribute__((visibility("default"))) int
pthread_create(pthread_t *thread, const pthread_attr_t *attr,
               void *(*start)(void *), void *arg) {
  using namespace prism;
  auto *a = new (std::nothrow) StartArgs{start, arg, g_next_index++};
  if (!a)
    return EAGAIN;
  int rc = realCreate()(thread, attr, threadStart, a);
  if (rc != 0)
    delete a;
  return rc;
}
