// NPI checks: what is wrong with an NPI, if anything, and the check digit of its first nine digits.
#include "domain/npi.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "text/text.hpp"

namespace refnet::domain {
namespace {

// The CMS rule prefixes the health-industry issuer code 80840 before running Luhn.
constexpr std::string_view npi_luhn_prefix = "80840";

// Luhn check digit for `payload` (digits only): double every second digit from the right,
// starting with the rightmost, since the check digit will be appended after it.
int luhn_check_digit(std::string_view payload) {
  int sum = 0;
  bool double_it = true;
  for (auto it = payload.rbegin(); it != payload.rend(); ++it) {
    int digit = *it - '0';
    if (double_it) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double_it = !double_it;
  }
  return (10 - sum % 10) % 10;
}

}  // namespace

int npi_check_digit(std::string_view first_nine) {
  if (first_nine.size() != 9 || !text::all_digits(first_nine)) {
    throw std::invalid_argument(
        fmt::format("npi_check_digit needs nine digits, got '{}'", first_nine));
  }
  return luhn_check_digit(std::string(npi_luhn_prefix) + std::string(first_nine));
}

std::optional<std::string> npi_problem(std::string_view npi) {
  if (!npi.empty() && !text::all_digits(npi)) return "an NPI has only digits";
  if (npi.size() != 10) return fmt::format("an NPI has 10 digits, not {}", npi.size());
  if (npi.front() != '1' && npi.front() != '2') return "an NPI starts with 1 or 2";
  const int expected = npi_check_digit(npi.substr(0, 9));
  const int actual = npi.back() - '0';
  if (expected != actual) {
    return fmt::format("the check digit should be {}, not {}", expected, actual);
  }
  return std::nullopt;
}

}  // namespace refnet::domain
