/* prism.h - public C API of the prism runtime (libprism). */
#ifndef PRISM_H
#define PRISM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Per-thread and nestable: while disabled, instrumented operations of the
   calling thread behave as plain IEEE round-to-nearest. */
void prism_disable(void);
void prism_enable(void);

/* Name of the backend in use: "ieee", "sr", ... or the path given. */
const char *prism_backend_name(void);

/* Reseeds the calling thread's generator and the base seed of threads created
   afterwards. */
void prism_set_seed(uint64_t seed);

/* Appends the line "name value" (value printed exactly, %.17g) to the file
   named by PRISM_PROBES; does nothing when PRISM_PROBES is unset. Thread-safe.
   prism-sample --probes reads these files. */
void prism_probe(const char *name, double value);

#ifdef __cplusplus
}
#endif

#endif /* PRISM_H */
