// precision17.h - forced into third-party example programs (-include) so that
// std::cout prints 17 significant digits: rounding differences then show.
#include <iostream>
namespace {
struct PrismPrecision17 {
  PrismPrecision17() { std::cout.precision(17); }
} prism_precision17_;
} // namespace
