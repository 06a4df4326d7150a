/* helper.c - a second translation unit with floating-point work. */
#ifndef HELPER_SCALE
#define HELPER_SCALE 1
#endif

static volatile double scale = HELPER_SCALE;

double helper(int n) {
  double s = 0;
  for (int i = 1; i <= n; i++)
    s += scale / i;
  return s;
}
