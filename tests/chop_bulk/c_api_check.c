/* c_api_check.c - prism/chop.h compiled as C99 (-pedantic) and called from C.
 */
#include "prism/chop.h"

#include <string.h>

int prism_chop_c_smoke(void) {
  float x[3] = {1.0009765625f, -3.0f, 1e30f};
  double y[2] = {0.1, 70000.0};
  prism_chop_options o;
  prism_quant_options q;
  size_t shape[2] = {2, 2};
  float t[4] = {-1.0f, 0.5f, 0.0f, 2.0f};
  int32_t qi[4];
  double scale[2];
  int32_t zp[2];
  float back[4];

  memset(&o, 0, sizeof o);
  o.format = "bfloat16";
  if (prism_chop_f32(x, x, 3, &o) != PRISM_CHOP_OK || x[0] != 1.0f ||
      x[1] != -3.0f)
    return 1;
  o.format = "binary16";
  o.saturate = 1;
  if (prism_chop_f64(y, y, 2, &o) != PRISM_CHOP_OK || y[1] != 65504.0)
    return 2;
  o.format = "binary64";
  if (prism_chop_f32(x, x, 3, &o) != PRISM_CHOP_E_WIDE ||
      strstr(prism_chop_last_error(), "binary64") == NULL)
    return 3;

  memset(&q, 0, sizeof q);
  q.symmetric = 1;
  q.per_channel = 1;
  q.axis = 0;
  if (prism_quant_channels(shape, 2, &q) != 2)
    return 4;
  if (prism_quantize_f32(t, shape, 2, &q, qi, scale, zp) != PRISM_CHOP_OK)
    return 5;
  if (qi[0] != -127 || qi[3] != 127 || zp[0] != 0 || zp[1] != 0)
    return 6;
  if (prism_dequantize_f32(qi, shape, 2, &q, scale, zp, back) !=
          PRISM_CHOP_OK ||
      back[0] != -1.0f || back[3] != 2.0f)
    return 7;
  return 0;
}
