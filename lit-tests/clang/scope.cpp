// Include/exclude lists through prism-c++, on real C++ names (namespaces,
// overloads, methods, templates, anonymous namespaces).
//
// RUN: rm -rf %t && mkdir %t
// DEFINE: %{cxx} = %prism-cxx -O0 -S -emit-llvm %s -o /dev/null --prism-report
// DEFINE: %{check} = FileCheck %s --implicit-check-not=prism-report
//
// RUN: %{cxx} 2>&1 | %{check} --check-prefixes=ANON,DOT,TWICE,HELPER,SCALE-D,SCALE-F,USE
//
// RUN: echo '* ns::*' > %t/ns.txt
// RUN: %{cxx} --prism-include=%t/ns.txt 2>&1 | %{check} --check-prefixes=HELPER,SCALE-D,SCALE-F
// RUN: %{cxx} --prism-exclude=%t/ns.txt 2>&1 | %{check} --check-prefixes=ANON,DOT,TWICE,USE
//
// One overload, by its signature; the source file by its basename.
// RUN: echo 'scope.cpp ns::scale(float)' > %t/float.txt
// RUN: %{cxx} --prism-include=%t/float.txt 2>&1 | %{check} --check-prefixes=SCALE-F
//
// A const method by its qualified name, a template through a glob.
// RUN: echo '* Vec::dot' > %t/dot.txt
// RUN: echo '* *twice<*' >> %t/dot.txt
// RUN: %{cxx} --prism-exclude=%t/dot.txt 2>&1 | %{check} --check-prefixes=ANON,HELPER,SCALE-D,SCALE-F,USE
//
// A file glob that does not match: nothing is included.
// RUN: echo '*.c *' > %t/c-files.txt
// RUN: %{cxx} --prism-include=%t/c-files.txt 2>&1 | count 0
//
// Instrumented code calls the runtime; excluded code is plain IR.
// RUN: %prism-cxx -O0 -S -emit-llvm %s -o - --prism-exclude=%t/ns.txt | FileCheck %s --check-prefix=IR

// ANON:    prism-report: {{.*}}scope.cpp: (anonymous namespace)::anon(double): [{{f?}}sub double]=1
// DOT:     prism-report: {{.*}}scope.cpp: Vec::dot(Vec const&) const: [
// TWICE:   prism-report: {{.*}}scope.cpp: double twice<double>(double): [{{f?}}add double]=1
// HELPER:  prism-report: {{.*}}scope.cpp: ns::detail::helper(double): [{{f?}}div double]=1
// SCALE-D: prism-report: {{.*}}scope.cpp: ns::scale(double): [{{f?}}mul double]=1
// SCALE-F: prism-report: {{.*}}scope.cpp: ns::scale(float): [{{f?}}mul float]=1
// USE:     prism-report: {{.*}}scope.cpp: use(double): [{{f?}}add double]=3

// IR-LABEL: define {{.*}} @_ZN2ns5scaleEd(
// IR-NOT:     call {{.*}}@__prism
// IR:         fmul double
// IR-LABEL: define {{.*}} @_Z3used(
// IR:         call double @__prism_f64_add(

namespace ns {
double scale(double x) { return x * 3.0; }
float scale(float x) { return x * 3.0f; }
namespace detail {
double helper(double x) { return x / 7.0; }
} // namespace detail
} // namespace ns

namespace {
double anon(double x) { return x - 1.0; }
} // namespace

struct Vec {
  double x, y;
  double dot(const Vec &o) const { return x * o.x + y * o.y; }
};

template <class T> T twice(T x) { return x + x; }

double use(double x) {
  Vec v{x, x};
  return anon(x) + twice(x) + v.dot(v) + ns::detail::helper(x);
}

int no_fp(int n) { return n + 1; }
