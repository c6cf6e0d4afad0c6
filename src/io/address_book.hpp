// Address books exported as CSV (Google Contacts, Outlook) read as contacts.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/reader.hpp"

namespace refnet::io {

// Google Contacts' CSV as it writes it now ("First Name", "Organization Name", "Phone 1 - Label"),
// its older layout ("Given Name", "Organization 1 - Name", "Phone 1 - Type"), and Outlook's
// ("First Name", "Company", "Business Phone", "Business Fax").
enum class AddressBook { google, google_legacy, outlook };
std::string_view to_string(AddressBook book);
// "google-csv" or "outlook-csv", as --from names them.
std::optional<AddressBook> parse_address_book(std::string_view from);
// Which address book wrote a CSV with this header, if one did.
std::optional<AddressBook> recognise_address_book(const std::vector<std::string>& header);

// Records of contacts (name, specialty, practice, phone, fax, email, city, note, tags) made from
// the rows of an address book read by `csv`: the name put together from its parts (prefix, first,
// middle, last, ", suffix"), else the organisation; the work or main phone, else another one that
// is not a fax; the number labelled fax; the first email; the organisation and job title; the
// work address's city, else the first; the notes; the labels or categories as tags. `book` says
// which address book wrote it; without one, it is recognised from the header, and a CSV no
// address book wrote is passed through as it is. recognised() says what was found.
class AddressBookReader final : public RecordReader {
 public:
  AddressBookReader(std::unique_ptr<RecordReader> csv, std::optional<AddressBook> book);
  bool next(Record& record) override;
  const std::vector<std::string>& columns() const override;
  std::vector<Problem> header_problems() const override { return csv_->header_problems(); }
  std::uint64_t position() const override { return csv_->position(); }
  std::optional<AddressBook> recognised() const { return book_; }
  // Once reading has begun: for each contact column, the address book's columns it is made
  // from, in the file's spelling, e.g. {"name", {"First Name", "Last Name"}}; empty when no
  // address book was recognised.
  struct Source {
    std::string field;
    std::vector<std::string> headers;
  };
  const std::vector<Source>& sources() const { return sources_; }

 private:
  struct Layout;
  void learn(const std::vector<std::string>& header);

  std::unique_ptr<RecordReader> csv_;
  std::optional<AddressBook> book_;
  bool started_ = false;
  std::shared_ptr<Layout> layout_;
  std::vector<std::string> columns_;
  std::vector<Source> sources_;
};

}  // namespace refnet::io
