/* dl_main.c - dlopen()s the library argv[1] (built from sharedlib.c with
 * -DLIB=dl) after main has started, then calls into it. Built either
 * instrumented or natively (then libprism arrives with the library). */
#include <dlfcn.h>
#include <stdio.h>

#include "sig.h"

int main(int argc, char **argv) {
  if (argc < 2)
    return 64;
  printf("main sig=%016llx sum=%a\n", probe_sig(), probe_sum(1000));
  fflush(stdout);
  void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 3;
  }
  unsigned long long (*ctor_sig)(void) =
      (unsigned long long (*)(void))dlsym(h, "dl_ctor_sig");
  unsigned long long (*sig)(void) = (unsigned long long (*)(void))dlsym(h, "dl_sig");
  double (*sum)(int) = (double (*)(int))dlsym(h, "dl_sum");
  if (!ctor_sig || !sig || !sum)
    return 4;
  printf("dl_ctor sig=%016llx\n", ctor_sig());
  printf("dl sig=%016llx sum=%a\n", sig(), sum(1000));
  return 0;
}
