// test_regressions.cpp - bugs this suite found that are fixed: each stays
// tested here.
#include "e2e.h"

using namespace e2e;

namespace {

// Was: CallBuilder::slot() kept AllocaPos, an iterator to the first
// instruction of the entry block; when that instruction was itself an
// instrumented vector operation it was erased and the next operand slot of a
// new (type, index) was created at a dangling position: clang segfaulted in
// CallBuilder::slot.
TEST(Regressions, EntryBlockStartsWithVectorOp) {
  const char *src =
      "#include <stdio.h>\n"
      "typedef float f4 __attribute__((ext_vector_type(4)));\n"
      "typedef double d2 __attribute__((ext_vector_type(2)));\n"
      "d2 g;\n"
      "__attribute__((noinline)) f4 k(f4 a, f4 b, d2 c) { f4 r = a * b; g = c "
      "* c; return r; }\n"
      "int main(void) {\n"
      "  volatile float x = 1.1f; volatile double y = 1.3;\n"
      "  f4 r = k((f4){x, 2, 3, 4}, (f4){x, x, x, x}, (d2){y, y});\n"
      "  printf(\"%a %a %a\\n\", (double)r[0], (double)r[3], g[1]);\n"
      "  return 0;\n}\n";
  compileAndCompare("entry_vector_op", src, {"-O2"});
  compileAndCompare("entry_vector_op_v3", src, {"-O2", "-march=x86-64-v3"});
}

// Vector kernels taking and returning their vectors by value (the first
// version of vectors.c, which crashed the pass at -O3 through the bug above).
TEST(Regressions, VectorKernelsByValue) {
  const char *src =
      "#include <stdio.h>\n"
      "typedef float f3 __attribute__((ext_vector_type(3)));\n"
      "typedef float f4 __attribute__((ext_vector_type(4)));\n"
      "typedef float f8 __attribute__((ext_vector_type(8)));\n"
      "typedef float f16 __attribute__((ext_vector_type(16)));\n"
      "typedef double d2 __attribute__((ext_vector_type(2)));\n"
      "typedef double d3 __attribute__((ext_vector_type(3)));\n"
      "typedef double d8 __attribute__((ext_vector_type(8)));\n"
      "__attribute__((noinline)) static f3 k3(f3 a, f3 b, f3 c) { return (a * "
      "b + c) / (a + 1.0f) - b; }\n"
      "__attribute__((noinline)) static f4 k4(f4 a, f4 b, f4 c) { return a * b "
      "- c * a + b / c; }\n"
      "__attribute__((noinline)) static f8 k8(f8 a, f8 b, f8 c) { return (a + "
      "b) * (c - a) / (b + c); }\n"
      "__attribute__((noinline)) static f16 k16(f16 a, f16 b, f16 c) { return "
      "a * b * c + a / b; }\n"
      "__attribute__((noinline)) static d2 kd2(d2 a, d2 b) { return a * b + a "
      "/ b; }\n"
      "__attribute__((noinline)) static d3 kd3(d3 a, d3 b, d3 c) { return (a - "
      "b) * c + a * b; }\n"
      "__attribute__((noinline)) static d8 kd8(d8 a, d8 b, d8 c) { return a / "
      "b + c * a - b; }\n"
      "__attribute__((noinline)) static f8 narrow8(d8 a, d8 b) { return "
      "__builtin_convertvector(a * b, f8); }\n"
      "int main(void) {\n"
      "  volatile float x = 1.1f; volatile double y = 1.3;\n"
      "  f3 a3 = x; f4 a4 = x; f8 a8 = x; f16 a16 = x; d2 e2 = y; d3 e3 = y; "
      "d8 e8 = y;\n"
      "  for (int r = 0; r < 8; r++) {\n"
      "    a3 = k3(a3, a3 * 0.5f, a3 + 2.0f) * 0.5f + 1.0f;\n"
      "    a4 = k4(a4, a4 + 1.0f, a4 * 3.0f) * 0.25f;\n"
      "    a8 = k8(a8, a8 + 2.0f, a8 * 1.5f) + 1.0f;\n"
      "    a16 = k16(a16, a16 + 1.0f, (f16)0.5f) * 0.5f;\n"
      "    e2 = kd2(e2, e2 + 1.0) * 0.5;\n"
      "    e3 = kd3(e3, e3 * 0.5, (d3)0.25) + 1.0;\n"
      "    e8 = kd8(e8, e8 + 1.0, (d8)0.5);\n"
      "  }\n"
      "  f8 n8 = narrow8(e8, e8 * (1.0 / 3));\n"
      "  printf(\"%a %a %a %a %a %a %a %a\\n\", (double)a3[2], (double)a4[3], "
      "(double)a8[7],\n"
      "         (double)a16[15], e2[1], e3[2], e8[7], (double)n8[5]);\n"
      "  return 0;\n}\n";
  for (auto flags : {std::vector<std::string>{"-O0"},
                     {"-O2"},
                     {"-O3", "-march=native"},
                     {"-O3", "-march=x86-64-v2"}})
    compileAndCompare("vector_by_value_" + flags.back().substr(1), src, flags);
}

} // namespace
