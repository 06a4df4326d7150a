// fma-error-check.c - exhaustive check, in a toy binary format of precision
// p, of the error term the inline fast clone uses for fma (passes/
// FastClone.cpp): s = RN(a*x + c), (y, yl) = TwoSum(c, -s),
// err = RN(RN(a*x + y) + yl). For every a, x in [2^ea0, 2^(ea1+1)) and c in
// [2^ec0, 2^(ec1+1)), both signs, it checks that err has the sign of the
// exact error e = a*x + c - s (zero iff e is) and prints the largest
// |err - e| / |e| in units of 2^-p (below 2 means within 2^(1-p)).
// Exact arithmetic on 128-bit integers, unbounded exponent range.
//
//   cc -O2 -o /tmp/fec tests/unit/fma_error_check.c && /tmp/fec 6 -1 1 -4 4
// ctest runs it as unit.fma_error_check.p6 / .p7 (tests/unit/CMakeLists.txt).
#include <stdio.h>
#include <stdlib.h>

typedef __int128 I;
static int P;

// Round to nearest even at P significant bits.
static I rn(I v) {
  if (!v)
    return 0;
  int neg = v < 0;
  unsigned __int128 a = neg ? -v : v;
  int msb = 127;
  while (!((a >> msb) & 1))
    msb--;
  if (msb >= P) {
    int sh = msb - P + 1;
    unsigned __int128 one = 1, q = a >> sh, r = a & ((one << sh) - 1),
                      h = one << (sh - 1);
    if (r > h || (r == h && (q & 1)))
      q++;
    a = q << sh;
  }
  return neg ? -(I)a : (I)a;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s p ea0 ea1 ec0 ec1\n", argv[0]);
    return 2;
  }
  P = atoi(argv[1]);
  int ea0 = atoi(argv[2]), ea1 = atoi(argv[3]), ec0 = atoi(argv[4]),
      ec1 = atoi(argv[5]);
  int half = P - 1 - ea0 + 2; // a, x scaled by 2^half, products by 2^(2 half)
  if (2 * half < P - 1 - ec0)
    half = (P - ec0) / 2 + 1;
  size_t na = 2 * (size_t)(ea1 - ea0 + 1) << (P - 1),
         nc = 2 * (size_t)(ec1 - ec0 + 1) << (P - 1);
  I *A = malloc(na * sizeof(I)), *C = malloc(nc * sizeof(I));
  size_t ia = 0, ic = 0;
  for (int e = ea0; e <= ea1; e++)
    for (long m = 1L << (P - 1); m < (1L << P); m++) {
      I v = (I)m << (e - P + 1 + half);
      A[ia++] = v, A[ia++] = -v;
    }
  for (int e = ec0; e <= ec1; e++)
    for (long m = 1L << (P - 1); m < (1L << P); m++) {
      I v = (I)m << (e - P + 1 + 2 * half);
      C[ic++] = v, C[ic++] = -v;
    }
  long bad = 0, n = 0;
  double worst = 0;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < na; j++)
      for (size_t k = 0; k < nc; k++) {
        I p = A[i] * A[j], c = C[k], s = rn(p + c), e = p + c - s;
        I y = rn(c - s), yl = (c - s) - y, err = rn(rn(p + y) + yl);
        n++;
        if (e == 0 || err == 0 || (err > 0) != (e > 0)) {
          bad += err != e;
          continue;
        }
        double r = (double)(err - e) / (double)e;
        r = (r < 0 ? -r : r) * (double)((I)1 << P);
        if (r > worst)
          worst = r;
      }
  printf("p=%d: %ld cases, %ld with a wrong sign or zero, "
         "max |err - e| / |e| = %.4f * 2^-p\n",
         P, n, bad, worst);
  return bad != 0;
}
