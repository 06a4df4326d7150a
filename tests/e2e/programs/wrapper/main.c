/* main.c - the wrapper tests' program: a probe in this file, helper() in
 * helper.c, asm_answer() in answer.s when built with -DWITH_ASM. */
#include <stdio.h>

#include "../sig.h"

double helper(int n);
#ifdef WITH_ASM
int asm_answer(void);
#define ANSWER asm_answer()
#else
#define ANSWER 42
#endif

int main(void) {
  printf("sig=%016llx helper=%a answer=%d\n", probe_sig(), helper(1000), ANSWER);
  return 0;
}
