// Address books' CSV exports (Google Contacts in both layouts, Outlook) read as contacts.

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>

#include "io/address_book.hpp"
#include "io/reader.hpp"

using namespace refnet::io;

namespace {

struct Read {
  std::optional<AddressBook> book;
  std::vector<std::string> columns;
  std::vector<std::map<std::string, std::string>> contacts;
  std::size_t problems = 0;
};

Read read(const std::string& csv, std::optional<AddressBook> book = std::nullopt) {
  std::istringstream in(csv);
  AddressBookReader reader(make_reader(InputFormat::csv, in), book);
  Read out;
  Record r;
  while (reader.next(r)) {
    std::map<std::string, std::string> contact;
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      if (r.values[i]) contact[reader.columns().at(i)] = *r.values[i];
    }
    out.problems += r.problems.size();
    out.contacts.push_back(contact);
  }
  out.book = reader.recognised();
  out.columns = reader.columns();
  return out;
}

}  // namespace

TEST_CASE("Google's current layout: the name from its parts, work phone, fax, labels as tags") {
  const auto r = read(
      "First Name,Middle Name,Last Name,Name Prefix,Name Suffix,Organization Name,"
      "Organization Title,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,"
      "Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Phone 3 - Label,Phone 3 - Value,"
      "Address 1 - Label,Address 1 - City,Address 2 - Label,Address 2 - City\n"
      "Ann,Marie,Lee,Dr.,MD,Elm Street Family Medicine,Family medicine,Prefers fax,"
      "* myContacts ::: Referrers ::: vip,* Work,ann@example.org ::: ann@home.example,Mobile,"
      "555-0199,Work Fax,555-0111,Work,555-0100,Home,Oak Park,Work,Springfield\n");
  CHECK(r.book == AddressBook::google);
  REQUIRE(r.contacts.size() == 1);
  const auto& c = r.contacts[0];
  CHECK(c.at("name") == "Dr. Ann Marie Lee, MD");
  CHECK(c.at("practice") == "Elm Street Family Medicine");
  CHECK(c.at("specialty") == "Family medicine");
  CHECK(c.at("phone") == "555-0100");  // work beats mobile, whatever the order
  CHECK(c.at("fax") == "555-0111");
  CHECK(c.at("email") == "ann@example.org");  // the first of several in one cell
  CHECK(c.at("city") == "Springfield");       // the work address
  CHECK(c.at("note") == "Prefers fax");
  CHECK(c.at("tags") == "Referrers,vip");  // Google's own groups left out
  CHECK(r.problems == 0);
}

TEST_CASE("Google's older layout: Given Name, Family Name, Phone 1 - Type, Group Membership") {
  const auto r = read(
      "Name,Given Name,Additional Name,Family Name,Name Prefix,Name Suffix,Group Membership,"
      "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,"
      "Phone 2 - Value,Organization 1 - Name,Organization 1 - Title\n"
      "Raj Patel,Raj,,Patel,,,* My Contacts ::: Cardiology,* Work,raj@heart.example,Fax,"
      "555-0211,Mobile,555-0299,Heart Group,Cardiologist\n"
      "Heart Group Front Desk,,,,,,,,,Main,555-0200,,,,\n");
  CHECK(r.book == AddressBook::google_legacy);
  REQUIRE(r.contacts.size() == 2);
  CHECK(r.contacts[0].at("name") == "Raj Patel");
  CHECK(r.contacts[0].at("fax") == "555-0211");
  CHECK(r.contacts[0].at("phone") == "555-0299");  // a mobile beats nothing; a fax is no phone
  CHECK(r.contacts[0].at("practice") == "Heart Group");
  CHECK(r.contacts[0].at("specialty") == "Cardiologist");
  CHECK(r.contacts[0].at("tags") == "Cardiology");
  CHECK(r.contacts[1].at("name") == "Heart Group Front Desk");  // the whole name, no parts
  CHECK(r.contacts[1].at("phone") == "555-0200");
}

TEST_CASE("Outlook: fixed columns, Business Phone and Business Fax, the company as practice") {
  const auto r = read(
      "Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,"
      "Business City,Home City,Business Fax,Business Phone,Mobile Phone,E-mail Address,"
      "E-mail 2 Address,Notes,Categories\n"
      "Dr.,Li,,Wei,,Lakeside Orthopedics,,Orthopedic surgeon,Evanston,Chicago,555-0311,"
      "555-0300,555-0399,li.wei@lakeside.example,,\"Call first,\nthen fax\",Ortho;Surgery\n"
      ",,,,,Riverside Imaging,,,,,,555-0400,,,,,\n");
  CHECK(r.book == AddressBook::outlook);
  REQUIRE(r.contacts.size() == 2);
  const auto& c = r.contacts[0];
  CHECK(c.at("name") == "Dr. Li Wei");
  CHECK(c.at("practice") == "Lakeside Orthopedics");
  CHECK(c.at("specialty") == "Orthopedic surgeon");
  CHECK(c.at("city") == "Evanston");
  CHECK(c.at("phone") == "555-0300");
  CHECK(c.at("fax") == "555-0311");
  CHECK(c.at("email") == "li.wei@lakeside.example");
  CHECK(c.at("note") == "Call first,\nthen fax");
  CHECK(c.at("tags") == "Ortho,Surgery");
  CHECK(r.contacts[1].at("name") == "Riverside Imaging");  // an organisation's own card
  CHECK(r.contacts[1].at("practice") == "Riverside Imaging");
}

TEST_CASE("a CSV no address book wrote passes through as it is") {
  const auto r = read("name,phone\nAnn,555-0100\n");
  CHECK_FALSE(r.book);
  CHECK(r.columns == std::vector<std::string>{"name", "phone"});
  REQUIRE(r.contacts.size() == 1);
  CHECK(r.contacts[0].at("name") == "Ann");
}

TEST_CASE("the names --from gives address books") {
  CHECK(parse_address_book("google-csv") == AddressBook::google);
  CHECK(parse_address_book("outlook-csv") == AddressBook::outlook);
  CHECK_FALSE(parse_address_book("csv"));
}
