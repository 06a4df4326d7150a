#include "config.h"

#include <stdio.h>

#include "kern.h"

int main(void) {
  printf("sig=%016llx harmonic=%a sizeof_double=%d\n", kern_sig(),
         kern_harmonic(10000), (int)SIZEOF_DOUBLE);
  return 0;
}
