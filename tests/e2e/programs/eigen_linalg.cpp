// eigen_linalg.cpp - Eigen (header-only): matrix products, a matrix-vector
// product and a triangular solve, in double and float. Inputs come from an
// integer generator; results print with %a. Kept lean (coefficient-based
// products, no LU): Eigen is expensive to compile and this program is built
// at seven flag sets, natively and with prism-c++.
#include <Eigen/Core>
#include <cstdint>
#include <cstdio>

namespace {

uint32_t g_state = 2024u;
uint32_t next() { return g_state = g_state * 1664525u + 1013904223u; }
double unit() { return static_cast<double>(next() >> 8) * 0x1p-24 - 0.5; }

template <typename M> void fill(M &m) {
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      m(i, j) = static_cast<typename M::Scalar>(unit()) / 3;
}

template <typename M> void print(const char *name, const M &m) {
  std::printf("%-12s", name);
  for (Eigen::Index k = 0; k < m.size(); k += (m.size() + 3) / 4)
    std::printf(" %a", static_cast<double>(m.data()[k]));
  std::printf(" sum=%a\n", static_cast<double>(m.sum()));
}

} // namespace

int main() {
  const int n = 24;
  Eigen::MatrixXd A(n, n), B(n, n);
  Eigen::VectorXd b(n);
  fill(A);
  fill(B);
  fill(b);
  A.diagonal().array() += 4.0; // well conditioned

  Eigen::MatrixXd C = A.lazyProduct(B);
  print("gemm_d", C);
  Eigen::VectorXd Ab = A * b;
  print("gemv_d", Ab);
  Eigen::VectorXd x = A.triangularView<Eigen::Lower>().solve(b);
  print("trsv_d", x);
  std::printf("norms       %a %a\n", C.norm(),
              (A.triangularView<Eigen::Lower>() * x - b).norm());

  Eigen::MatrixXf Af = A.cast<float>(); // double -> float conversions
  Eigen::MatrixXf Cf = Af.lazyProduct(B.cast<float>());
  print("gemm_f", Cf);
  std::printf("dot_f       %a\n", static_cast<double>(Cf.col(0).dot(Cf.col(1))));
  return 0;
}
