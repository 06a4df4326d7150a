/* wrong_abi.c - a backend built for a future ABI version. */
#define TB_NAME "wrong-abi"
#define TB_ABI_VERSION 99u
#include "test_backend.h"
