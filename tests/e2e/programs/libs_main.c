/* libs_main.c - links two instrumented shared libraries (liba, libb). */
#include <stdio.h>

#include "sig.h"

unsigned long long a_ctor_sig(void), a_sig(void);
unsigned long long b_ctor_sig(void), b_sig(void);
double a_sum(int), b_sum(int);

int main(void) {
  printf("main sig=%016llx sum=%a\n", probe_sig(), probe_sum(1000));
  printf("a_ctor sig=%016llx\n", a_ctor_sig());
  printf("b_ctor sig=%016llx\n", b_ctor_sig());
  printf("a sig=%016llx sum=%a\n", a_sig(), a_sum(1000));
  printf("b sig=%016llx sum=%a\n", b_sig(), b_sum(1000));
  return 0;
}
