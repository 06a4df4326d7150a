/* failing_init.c - a backend whose init refuses the settings. */
#include <stdio.h>

#include <prism/backend.h>

static int refuse(const prism_host *host, const prism_config *cfg, char *err,
                  size_t err_len) {
  (void)host;
  (void)cfg;
  snprintf(err, err_len, "deliberate failure for the e2e test");
  return 1;
}

#define TB_NAME "failing"
#define TB_INIT refuse
#include "test_backend.h"
