// The reciprocity report's flag (src/report/reciprocity.cpp).

#include <doctest/doctest.h>

#include "report/report.hpp"

using refnet::report::reciprocity_flag;

TEST_CASE("a relationship with one side only is one-sided") {
  CHECK(reciprocity_flag(1, 0) == "one-sided (in only)");
  CHECK(reciprocity_flag(0, 7) == "one-sided (out only)");
  CHECK(reciprocity_flag(0, 0).empty());
}

TEST_CASE("unbalanced means one side at least three times the other") {
  CHECK(reciprocity_flag(3, 1) == "unbalanced");
  CHECK(reciprocity_flag(1, 3) == "unbalanced");
  CHECK(reciprocity_flag(6, 2) == "unbalanced");
  CHECK(reciprocity_flag(5, 2).empty());  // 2.5 times
  CHECK(reciprocity_flag(2, 1).empty());
  CHECK(reciprocity_flag(4, 4).empty());
}
