// Email addresses and phone numbers: what a contact's ways to be reached may look like.

#include <doctest/doctest.h>

#include "domain/contact_info.hpp"

using refnet::domain::email_problem;
using refnet::domain::phone_problem;

TEST_CASE("email addresses with one @ and a dotted domain pass") {
  for (const char* ok : {"ann@example.org", "a.lee+referrals@heart-group.co.uk", "x@y.io",
                         "R.Patel@Clinic.Example.COM"}) {
    CAPTURE(ok);
    CHECK_FALSE(email_problem(ok));
  }
}

TEST_CASE("email addresses that cannot be delivered are refused with the reason") {
  CHECK(email_problem("notanemail") == "an email address has one @");
  CHECK(email_problem("a@b@example.org") == "an email address has one @");
  CHECK(email_problem("@example.org") == "nothing before the @");
  CHECK(email_problem("ann@localhost") == "the part after the @ needs a dot, as in example.org");
  CHECK(email_problem("ann@.org") == "the part after the @ needs a dot, as in example.org");
  CHECK(email_problem("ann@example.") == "the part after the @ needs a dot, as in example.org");
  CHECK(email_problem("ann@example..org") == "the part after the @ needs a dot, as in example.org");
  CHECK(email_problem("ann lee@example.org") == "an email address has no spaces");
  CHECK(email_problem("ann@") == "the part after the @ needs a dot, as in example.org");
}

TEST_CASE("phone numbers as offices write them pass") {
  for (const char* ok : {"555-0100", "+1 (555) 010-0100", "555.010.0100", "0044 20 7946 0000",
                         "555/0100", "555-0100 x12", "555-0100x12", "555-0100 ext. 12",
                         "555-0100 ext 12", "555-0100 Ext.12", "555-0100 extension 4", "1234"}) {
    CAPTURE(ok);
    CHECK_FALSE(phone_problem(ok));
  }
}

TEST_CASE("text that is not a phone number is refused with the reason") {
  CHECK(phone_problem("123") == "a phone number has at least 4 digits");
  CHECK(phone_problem("x1234") ==
        "only digits, spaces, + ( ) - . / and an extension like x123 or "
        "ext. 123");
  CHECK(phone_problem("call the front desk") ==
        "only digits, spaces, + ( ) - . / and an extension like x123 or ext. 123");
  CHECK(phone_problem("555-0100 ext.") ==
        "only digits, spaces, + ( ) - . / and an extension like x123 or ext. 123");
  CHECK(phone_problem("555+0100") == "a + goes only at the start, before the country code");
  CHECK(phone_problem("555-0100 or 555-0101") ==
        "only digits, spaces, + ( ) - . / and an extension like x123 or ext. 123");
  CHECK(phone_problem("555-0100abc12") ==
        "only digits, spaces, + ( ) - . / and an extension like x123 or ext. 123");
}
