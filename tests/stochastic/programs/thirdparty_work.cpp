// thirdparty_work.cpp - runs code no one here wrote on fixed data, for the
// op_checker test: Eigen's dense products and solvers (LLT, LDLT,
// column-pivoting QR, the self-adjoint eigensolver) in float and double, and
// Boost.Math's special functions on floats (computed in double and narrowed:
// the double->float conversions). Prints one checksum per part.
#include <Eigen/Dense>
#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <cstdint>
#include <cstdio>

namespace {

uint64_t state = 20261203;
// Uniform in [-1, 1) with 24 random bits: exact in float and double.
double next() {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return static_cast<double>(static_cast<int32_t>(state >> 40) - (1 << 23)) /
         (1 << 23);
}

template <class T> double eigenPart(int n) {
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  Mat a(n, n);
  Vec b(n);
  for (int j = 0; j < n; ++j) {
    b(j) = static_cast<T>(next());
    for (int i = 0; i < n; ++i)
      a(i, j) = static_cast<T>(next());
  }
  Mat spd = a * a.transpose();
  spd.diagonal().array() += static_cast<T>(n) / 3;
  Vec x1 = spd.llt().solve(b);
  Vec x2 = spd.ldlt().solve(b);
  Vec x3 = a.colPivHouseholderQr().solve(b);
  Eigen::SelfAdjointEigenSolver<Mat> es(spd);
  return static_cast<double>(x1.sum() + x2.norm() + x3.squaredNorm() +
                             es.eigenvalues().sum());
}

double boostPart(int n) {
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const float x = static_cast<float>(next());
    sum += boost::math::erf(2 * x) + boost::math::tgamma(3 + x) +
           boost::math::cyl_bessel_j(0, 4 * x + 4);
  }
  return sum;
}

} // namespace

int main() {
  std::printf("eigen f64 %.17g\n", eigenPart<double>(40));
  std::printf("eigen f32 %.9g\n", eigenPart<float>(40));
  std::printf("boost f32 %.9g\n", boostPart(300));
  return 0;
}
