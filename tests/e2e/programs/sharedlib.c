/* sharedlib.c - an instrumented shared library; built once per name with
 * -DLIB=<name>, it exports <name>_sig, <name>_sum and <name>_ctor_sig, the
 * last computed by the library's own constructor. */
#include "sig.h"

#ifndef LIB
#error "build with -DLIB=<name>"
#endif
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(x) CAT(LIB, x)

unsigned long long SYM(_ctor_sig_value);

__attribute__((constructor)) static void library_ctor(void) {
  SYM(_ctor_sig_value) = probe_sig();
}

unsigned long long SYM(_ctor_sig)(void) { return SYM(_ctor_sig_value); }
unsigned long long SYM(_sig)(void) { return probe_sig(); }
double SYM(_sum)(int n) { return probe_sum(n); }
