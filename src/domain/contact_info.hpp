// The rules on the ways to reach a contact: what an email address and a phone or fax number look
// like, whether typed at the command line or read from a file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace refnet::domain {

// What is wrong with an email address, if anything: it has one @, something before it, and a
// domain with a dot after it, and no white space.
std::optional<std::string> email_problem(std::string_view email);

// What is wrong with a phone or fax number, if anything: digits (at least four) with the usual
// punctuation, + ( ) - . / and spaces, a + only at the start, and optionally an extension at the
// end: x123, ext 123, ext. 123 or extension 123.
std::optional<std::string> phone_problem(std::string_view phone);

}  // namespace refnet::domain
