// Email addresses and phone numbers checked (see contact_info.hpp).
#include "domain/contact_info.hpp"

#include <algorithm>
#include <array>

#include "text/text.hpp"

namespace refnet::domain {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// The number without its extension: "555-0100 ext. 12" gives "555-0100 ".
std::string_view without_extension(std::string_view phone) {
  const std::string lower = text::ascii_lower(phone);
  for (const std::string_view marker : {"extension", "ext.", "ext", "x"}) {
    const auto at = lower.rfind(marker);
    if (at == std::string::npos || at == 0) continue;
    std::string_view rest = std::string_view(phone).substr(at + marker.size());
    while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
    if (!text::all_digits(rest)) continue;
    // "x" must stand apart or follow a digit: "555-0100x12", "555-0100 x12".
    const char before = phone[at - 1];
    if (!is_space(before) && !text::is_digit(before) && marker == "x") continue;
    return phone.substr(0, at);
  }
  return phone;
}

}  // namespace

std::optional<std::string> email_problem(std::string_view email) {
  if (std::any_of(email.begin(), email.end(),
                  [](char c) { return is_space(c) || c == '\n' || c == '\r'; })) {
    return "an email address has no spaces";
  }
  const auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return "an email address has one @";
  }
  if (at == 0) return "nothing before the @";
  const auto domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return "the part after the @ needs a dot, as in example.org";
  }
  return std::nullopt;
}

std::optional<std::string> phone_problem(std::string_view phone) {
  const auto number = without_extension(phone);
  std::size_t digits = 0;
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    if (text::is_digit(c)) {
      ++digits;
    } else if (c == '+') {
      if (i != 0) return "a + goes only at the start, before the country code";
    } else if (!(c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/')) {
      return "only digits, spaces, + ( ) - . / and an extension like x123 or ext. 123";
    }
  }
  if (digits < 4) return "a phone number has at least 4 digits";
  return std::nullopt;
}

}  // namespace refnet::domain
