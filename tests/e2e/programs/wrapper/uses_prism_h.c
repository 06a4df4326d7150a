/* uses_prism_h.c - prism.h is found without any -I: the wrapper adds it. */
#include <prism.h>
#include <stdio.h>

int main(void) {
  printf("%s\n", prism_backend_name());
  return 0;
}
