#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "domain/npi.hpp"

using namespace refnet::domain;

namespace {

// The CMS shortcut, written independently of the implementation: Luhn over the nine digits
// (doubling the rightmost and every second one leftward) plus 24 for the 80840 prefix.
int cms_shortcut_check_digit(const std::string& first_nine) {
  int sum = 24;
  for (int i = 0; i < 9; ++i) {
    int digit = first_nine[static_cast<std::size_t>(i)] - '0';
    if (i % 2 == 0) {  // positions 1, 3, 5, 7, 9 from the left are doubled
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - sum % 10) % 10;
}

}  // namespace

TEST_CASE("the CMS example NPI") {
  CHECK(is_valid_npi("1234567893"));
  CHECK_FALSE(npi_problem("1234567893").has_value());
  CHECK(npi_check_digit("123456789") == 3);
  REQUIRE(npi_problem("1234567890").has_value());
  CHECK(*npi_problem("1234567890") == "the check digit should be 3, not 0");
  CHECK_FALSE(is_valid_npi("1234567890"));
}

TEST_CASE("every single-digit change of a valid NPI fails") {
  for (const std::string valid : {"1234567893", "2000000002", "1999999992"}) {
    REQUIRE_MESSAGE(is_valid_npi(valid), valid);
    for (std::size_t pos = 0; pos < valid.size(); ++pos) {
      for (char digit = '0'; digit <= '9'; ++digit) {
        if (digit == valid[pos]) continue;
        std::string changed = valid;
        changed[pos] = digit;
        CAPTURE(changed);
        CHECK(npi_problem(changed).has_value());
      }
    }
  }
}

TEST_CASE("swapping two adjacent digits fails (Luhn misses only 09 and 90)") {
  const std::string valid = "1234567893";
  for (std::size_t pos = 0; pos + 1 < valid.size(); ++pos) {
    std::string swapped = valid;
    std::swap(swapped[pos], swapped[pos + 1]);
    CAPTURE(swapped);
    CHECK_FALSE(is_valid_npi(swapped));
  }
  // The documented blind spot: 09 ↔ 90 keeps the Luhn sum.
  const std::string first_nine = "109000000";
  const std::string with_09 = first_nine + std::to_string(npi_check_digit(first_nine));
  std::string with_90 = with_09;
  std::swap(with_90[1], with_90[2]);
  CHECK(is_valid_npi(with_09));
  CHECK(is_valid_npi(with_90));
}

TEST_CASE("the check digit matches the CMS shortcut over many prefixes") {
  for (long long n = 100000000; n < 300000000; n += 7919 * 13) {
    const std::string first_nine = std::to_string(n);
    CAPTURE(first_nine);
    const int check = npi_check_digit(first_nine);
    CHECK(check == cms_shortcut_check_digit(first_nine));
    if (first_nine[0] == '1' || first_nine[0] == '2') {
      CHECK(is_valid_npi(first_nine + std::to_string(check)));
      CHECK_FALSE(is_valid_npi(first_nine + std::to_string((check + 1) % 10)));
    }
  }
}

TEST_CASE("npi_problem says which rule failed") {
  CHECK(npi_problem("123456789") == "an NPI has 10 digits, not 9");
  CHECK(npi_problem("12345678931") == "an NPI has 10 digits, not 11");
  CHECK(npi_problem("") == "an NPI has 10 digits, not 0");
  CHECK(npi_problem("12345678a3") == "an NPI has only digits");
  CHECK(npi_problem("123-456-7893") == "an NPI has only digits");
  CHECK(npi_problem(" 1234567893") == "an NPI has only digits");
  CHECK(npi_problem("abc") == "an NPI has only digits");
  CHECK(npi_problem("3234567893") == "an NPI starts with 1 or 2");
  CHECK(npi_problem("0234567893") == "an NPI starts with 1 or 2");
  CHECK(npi_problem("9999999999") == "an NPI starts with 1 or 2");
  CHECK(is_valid_npi("2234567891"));
  CHECK(npi_problem("2234567890") == "the check digit should be 1, not 0");
}

TEST_CASE("npi_check_digit needs exactly nine digits") {
  CHECK_THROWS_AS((void)npi_check_digit("12345678"), std::invalid_argument);
  CHECK_THROWS_AS((void)npi_check_digit("1234567890"), std::invalid_argument);
  CHECK_THROWS_AS((void)npi_check_digit("12345678x"), std::invalid_argument);
}
