// The NPI rule: 10 digits, a leading 1 or 2, and a Luhn check digit over the 80840 prefix.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace refnet::domain {

// The National Provider Identifier rule (CMS): 10 digits, first digit 1 or 2, and a Luhn check
// digit computed over the constant prefix 80840 followed by the first nine digits.
// Returns nullopt when valid, otherwise which rule failed, e.g. "check digit should be 3".
std::optional<std::string> npi_problem(std::string_view npi);

inline bool is_valid_npi(std::string_view npi) {
  return !npi_problem(npi).has_value();
}

// The check digit for the first nine digits of an NPI (used by the demo generator).
int npi_check_digit(std::string_view first_nine);

}  // namespace refnet::domain
