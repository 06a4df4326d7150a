/* wrong_size.c - right ABI version, but a struct of another size. */
#define TB_NAME "wrong-size"
#define TB_STRUCT_SIZE (sizeof(prism_backend) - 8)
#include "test_backend.h"
