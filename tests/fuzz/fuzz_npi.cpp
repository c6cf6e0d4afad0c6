// libFuzzer target: the NPI check (src/domain/npi.cpp) on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/npi.hpp"

using namespace refnet::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto problem = npi_problem(text);

  // Valid means exactly the CMS rule: ten digits, 1 or 2 first, the Luhn digit last.
  const bool ten_digits =
      text.size() == 10 && text.find_first_not_of("0123456789") == std::string_view::npos;
  const bool valid = ten_digits && (text[0] == '1' || text[0] == '2') &&
                     npi_check_digit(text.substr(0, 9)) == text[9] - '0';
  if (problem.has_value() == valid) std::abort();
  if (problem && problem->empty()) std::abort();

  // Nine digits and their check digit make an NPI whenever the first digit is 1 or 2.
  if (text.size() == 9 && text.find_first_not_of("0123456789") == std::string_view::npos) {
    const std::string npi = std::string(text) + static_cast<char>('0' + npi_check_digit(text));
    if (is_valid_npi(npi) != (text[0] == '1' || text[0] == '2')) std::abort();
  }
  return 0;
}
