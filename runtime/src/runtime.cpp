// runtime.cpp - one-time initialization, backend loading, per-thread RNG and
// the public C API of prism.h.
#include "config.h"
#include "prism.h"
#include "prism/fast.h"
#include "prism/rng.h"
#include "runtime.h"

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <pthread.h>
#include <string>
#include <sys/random.h>
#include <unistd.h>

#define PRISM_API extern "C" __attribute__((visibility("default")))

PRISM_API uint8_t __prism_mode = PRISM_MODE_NATIVE;

namespace prism {

const prism_backend *g_ops = &kNativeOps;
thread_local int t_disabled = 0;

namespace {

// Function-local statics: the runtime initializes from a constructor that may
// run before this file's own dynamic initializers.
RuntimeConfig &config() {
  static RuntimeConfig cfg;
  return cfg;
}
std::string &backendName() {
  static std::string name = "ieee";
  return name;
}
uint64_t g_seed = 0;
uint64_t g_seed_generation = 0; // bumped by prism_set_seed
pthread_once_t g_once = PTHREAD_ONCE_INIT;

struct ThreadRng {
  uint64_t state[4];
  uint64_t generation = ~0ull; // seed generation the state was made from
};
thread_local ThreadRng t_rng;

} // namespace

uint64_t *threadRngState() {
  ThreadRng &r = t_rng;
  uint64_t gen = __atomic_load_n(&g_seed_generation, __ATOMIC_ACQUIRE);
  if (__builtin_expect(r.generation != gen, 0)) {
    prism_rng_seed(r.state, __atomic_load_n(&g_seed, __ATOMIC_RELAXED),
                   threadIndex());
    r.generation = gen;
  }
  return r.state;
}

uint64_t seedGeneration() {
  return __atomic_load_n(&g_seed_generation, __ATOMIC_ACQUIRE);
}

namespace {

const prism_host kHost = {threadRngState, seedGeneration};

[[noreturn]] void fail(const std::string &msg) {
  std::fprintf(stderr, "%s\n", msg.c_str());
  std::fflush(stderr);
  _exit(2);
}

// Directory holding libprism.so; built-in backends live in <dir>/prism/.
std::string libraryDir() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&__prism_init), &info) && info.dli_fname) {
    std::string path = info.dli_fname;
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
  }
  return ".";
}

bool isBuiltinName(const std::string &n) {
  return n == "ieee" || n == "sr" || n == "ud" || n == "chop";
}

std::string builtinPath(const std::string &name) {
  return libraryDir() + "/prism/libprism-backend-" + name + ".so";
}

const prism_backend *loadBackend(const std::string &spec) {
  std::string path = spec;
  if (isBuiltinName(spec))
    path = builtinPath(spec);
  else if (spec.find('/') == std::string::npos &&
           spec.find(".so") == std::string::npos)
    fail("prism: invalid PRISM_BACKEND='" + spec +
         "' (accepted: ieee, sr, ud, chop, or a path to a backend .so)");
  void *h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h)
    fail("prism: PRISM_BACKEND='" + spec + "': cannot load " + path + ": " +
         dlerror());
  auto entry = reinterpret_cast<prism_backend_entry_fn>(
      dlsym(h, "prism_backend_entry"));
  if (!entry)
    fail("prism: PRISM_BACKEND='" + spec + "': " + path +
         " does not export prism_backend_entry (not a prism backend)");
  const prism_backend *b = entry();
  if (!b)
    fail("prism: PRISM_BACKEND='" + spec + "': " + path +
         ": prism_backend_entry() returned no table");
  if (b->abi_version != PRISM_BACKEND_ABI_VERSION)
    fail("prism: PRISM_BACKEND='" + spec + "': " + path +
         " has backend ABI version " + std::to_string(b->abi_version) +
         ", this runtime needs " + std::to_string(PRISM_BACKEND_ABI_VERSION));
  if (b->struct_size != sizeof(prism_backend))
    fail("prism: PRISM_BACKEND='" + spec + "': " + path +
         " has a backend table of " + std::to_string(b->struct_size) +
         " bytes, this runtime's ABI version " +
         std::to_string(PRISM_BACKEND_ABI_VERSION) + " table has " +
         std::to_string(sizeof(prism_backend)) + " (built against another "
         "prism/backend.h?)");
  return b;
}

// The built-in backend a PRISM_BACKEND value denotes (its name, or a path to
// the built-in library itself), or "" for a third-party backend.
std::string builtinIdentity(const std::string &spec, const prism_backend &b) {
  if (isBuiltinName(spec))
    return spec;
  std::string name = b.name ? b.name : "";
  if (!isBuiltinName(name))
    return "";
  char *a = realpath(spec.c_str(), nullptr);
  char *c = realpath(builtinPath(name).c_str(), nullptr);
  bool same = a && c && std::string(a) == c;
  std::free(a);
  std::free(c);
  return same ? name : "";
}

uint64_t randomSeed() {
  uint64_t s = 0;
  if (getrandom(&s, sizeof s, 0) != sizeof s)
    s = static_cast<uint64_t>(getpid()) * 0x9e3779b97f4a7c15ull;
  return s;
}

// ieee runs the uninstrumented clones; sr and ud at full precision the inline
// clones (they implement only the full-precision rounding); everything else,
// third-party backends included, goes through the backend table.
uint8_t runMode(const RuntimeConfig &c, const prism_backend &b) {
  std::string n = builtinIdentity(c.backend, b);
  if (n == "ieee")
    return PRISM_MODE_NATIVE;
  bool full = c.backend_cfg.precision_binary32 == 24 &&
              c.backend_cfg.precision_binary64 == 53;
  if ((n == "sr" || n == "ud") && full && c.inline_fast) {
    g_fast_kind = n == "sr" ? FastKind::SR : FastKind::UD;
    return n == "sr" ? PRISM_MODE_FAST : PRISM_MODE_FAST_UD;
  }
  return PRISM_MODE_RUNTIME;
}

void initOnce() {
  std::string error, warnings;
  if (!parseEnvironment(config(), error, warnings))
    fail(error);
  if (!warnings.empty())
    std::fputs(warnings.c_str(), stderr);
  prism_config &bc = config().backend_cfg;
  g_seed = config().seed_given ? bc.seed : randomSeed();
  bc.seed = g_seed;
  const prism_backend *b = loadBackend(config().backend);
  char err[512] = "";
  if (b->init && b->init(&kHost, &bc, err, sizeof err) != 0)
    fail(std::string("prism: backend '") + b->name + "': " + err);
  backendName() = isBuiltinName(config().backend) ? b->name : config().backend;
  g_ops = b;
  __atomic_store_n(&__prism_mode, runMode(config(), *b), __ATOMIC_RELEASE);
  if (bc.verbose)
    std::fprintf(stderr,
                 "prism: backend=%s seed=%llu%s precision_binary32=%d "
                 "precision_binary64=%d%s\n",
                 backendName().c_str(), (unsigned long long)g_seed,
                 config().seed_given ? "" : " (random)", bc.precision_binary32,
                 bc.precision_binary64,
                 __prism_mode >= PRISM_MODE_FAST ? " (inline)" : "");
}

} // namespace
} // namespace prism

PRISM_API void __prism_init(void) { pthread_once(&prism::g_once, prism::initOnce); }

// Runs before the constructors of instrumented code that links libprism; the
// pass also adds a module constructor calling __prism_init for earlier cases.
__attribute__((constructor(101))) static void prismConstructor() { __prism_init(); }

PRISM_API void prism_disable(void) {
  ++prism::t_disabled;
  prism::invalidateFastBuffer();
}
PRISM_API void prism_enable(void) {
  if (prism::t_disabled > 0)
    --prism::t_disabled;
  prism::invalidateFastBuffer();
}
PRISM_API const char *prism_backend_name(void) {
  __prism_init();
  return prism::backendName().c_str();
}
PRISM_API void prism_set_seed(uint64_t seed) {
  __prism_init();
  __atomic_store_n(&prism::g_seed, seed, __ATOMIC_RELAXED);
  __atomic_fetch_add(&prism::g_seed_generation, 1, __ATOMIC_RELEASE);
  prism::invalidateFastBuffer();
}
