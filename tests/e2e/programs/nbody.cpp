// nbody.cpp - C++: a small gravitational n-body integration (double, sqrt,
// division), a float Mandelbrot escape-time sum with std::complex, and STL
// reductions (std::accumulate, std::inner_product). Prints with %a.
#include <cmath>
#include <complex>
#include <cstdio>
#include <numeric>
#include <vector>

namespace {

struct Body {
  double x, y, z, vx, vy, vz, m;
};

class System {
public:
  explicit System(int n) {
    for (int i = 0; i < n; ++i) {
      double t = 0.7 * i + 0.1;
      bodies_.push_back({std::cos(t) * (1 + i), std::sin(t) * (1 + i), 0.05 * i,
                         -std::sin(t) * 0.3, std::cos(t) * 0.3, 0.01 * i,
                         1.0 / (1 + i)});
    }
  }
  void step(double dt) {
    for (size_t i = 0; i < bodies_.size(); ++i)
      for (size_t j = i + 1; j < bodies_.size(); ++j) {
        Body &a = bodies_[i], &b = bodies_[j];
        double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
        double d2 = dx * dx + dy * dy + dz * dz + 1e-3;
        double mag = dt / (d2 * std::sqrt(d2));
        a.vx -= dx * b.m * mag; a.vy -= dy * b.m * mag; a.vz -= dz * b.m * mag;
        b.vx += dx * a.m * mag; b.vy += dy * a.m * mag; b.vz += dz * a.m * mag;
      }
    for (Body &b : bodies_) {
      b.x += dt * b.vx; b.y += dt * b.vy; b.z += dt * b.vz;
    }
  }
  double energy() const {
    double e = 0;
    for (size_t i = 0; i < bodies_.size(); ++i) {
      const Body &a = bodies_[i];
      e += 0.5 * a.m * (a.vx * a.vx + a.vy * a.vy + a.vz * a.vz);
      for (size_t j = i + 1; j < bodies_.size(); ++j) {
        const Body &b = bodies_[j];
        double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
        e -= a.m * b.m / std::sqrt(dx * dx + dy * dy + dz * dz + 1e-3);
      }
    }
    return e;
  }
  const std::vector<Body> &bodies() const { return bodies_; }

private:
  std::vector<Body> bodies_;
};

float mandelbrot(int w, int h) {
  float total = 0;
  for (int py = 0; py < h; ++py)
    for (int px = 0; px < w; ++px) {
      std::complex<float> c(-2.0f + 2.5f * px / w, -1.25f + 2.5f * py / h), z;
      int k = 0;
      while (k < 64 && std::norm(z) < 4.0f) {
        z = z * z + c;
        ++k;
      }
      total += static_cast<float>(k) + std::norm(z) * 0.001f;
    }
  return total;
}

} // namespace

int main() {
  System s(9);
  std::printf("energy0   %a\n", s.energy());
  for (int i = 0; i < 200; ++i)
    s.step(0.01);
  std::printf("energy1   %a\n", s.energy());
  const Body &b = s.bodies()[3];
  std::printf("body3     %a %a %a\n", b.x, b.vy, b.z);

  std::vector<double> v(777);
  std::vector<float> w(777);
  for (size_t i = 0; i < v.size(); ++i) {
    v[i] = 1.0 / static_cast<double>(i + 1);
    w[i] = static_cast<float>(v[i] * 3.0); // double -> float
  }
  std::printf("stl       %a %a %a\n", std::accumulate(v.begin(), v.end(), 0.0),
              std::inner_product(v.begin(), v.end(), v.begin(), 0.0),
              static_cast<double>(std::accumulate(w.begin(), w.end(), 0.0f)));
  std::printf("mandel    %a\n", static_cast<double>(mandelbrot(48, 32)));
  return 0;
}
