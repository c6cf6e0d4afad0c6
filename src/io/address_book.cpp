// Google Contacts and Outlook CSV exports turned into contact records (see address_book.hpp).
#include "io/address_book.hpp"

#include <algorithm>
#include <array>

#include "text/text.hpp"

namespace refnet::io {

namespace {

// The contact columns an address book's rows become, in this order.
const std::vector<std::string> contact_columns{"name",  "specialty", "practice", "phone", "fax",
                                               "email", "city",      "note",     "tags"};
enum Out { name, specialty, practice, phone, fax, email, city, note, tags };

std::string key(std::string_view header) {
  return text::ascii_lower(text::trim(header));
}

// A label as Google writes it ("* Work", "Work Fax"), lowered and without the star of a primary.
std::string label_of(std::string_view label) {
  auto l = text::trim(label);
  if (l.starts_with("* ")) l.remove_prefix(2);
  return text::ascii_lower(l);
}

// Google puts several values of one field in one cell, separated by " ::: ".
std::string_view first_value(std::string_view cell) {
  return text::trim(cell.substr(0, cell.find(" ::: ")));
}

bool has_word(std::string_view label, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return label.find(w) != std::string_view::npos; });
}

int phone_rank(std::string_view label) {
  if (has_word(label, {"work", "main", "business", "company", "office"})) return 3;
  if (has_word(label, {"mobile", "cell", "iphone", "car"})) return 1;
  if (has_word(label, {"home", "pager"})) return 0;
  return 2;  // no label, "other", or one of the user's own
}

int fax_rank(std::string_view label) {
  return has_word(label, {"work", "business", "office"}) ? 2 : 1;
}

int city_rank(std::string_view label) {
  if (has_word(label, {"work", "business", "office"})) return 2;
  if (has_word(label, {"home"})) return 0;
  return 1;
}

}  // namespace

// Where each part of a contact is in the address book's header. A labelled value is a column
// index and its label: a label column's index, or a fixed label taken from the header's name
// (Outlook's "Business Fax").
struct AddressBookReader::Layout {
  struct Labelled {
    int label = -1;
    std::string fixed;
    int value = -1;
  };
  int prefix = -1, first = -1, middle = -1, last = -1, suffix = -1, full = -1, file_as = -1;
  int organization = -1, title = -1, notes = -1, labels = -1;
  std::string_view labels_separator = " ::: ";
  std::vector<int> emails;
  std::vector<Labelled> phones, cities;
};

std::string_view to_string(AddressBook book) {
  switch (book) {
    case AddressBook::google:
      return "Google Contacts CSV";
    case AddressBook::google_legacy:
      return "Google Contacts CSV (older layout)";
    case AddressBook::outlook:
      return "Outlook CSV";
  }
  return "";
}

std::optional<AddressBook> parse_address_book(std::string_view from) {
  const auto f = text::ascii_lower(from);
  if (f == "google-csv" || f == "google") return AddressBook::google;
  if (f == "outlook-csv" || f == "outlook") return AddressBook::outlook;
  return std::nullopt;
}

std::optional<AddressBook> recognise_address_book(const std::vector<std::string>& header) {
  const auto has = [&](std::string_view name) {
    return std::any_of(header.begin(), header.end(),
                       [&](const std::string& h) { return key(h) == key(name); });
  };
  if (has("Given Name") && has("Family Name") &&
      (has("E-mail 1 - Value") || has("Phone 1 - Value") || has("Organization 1 - Name"))) {
    return AddressBook::google_legacy;
  }
  if (has("First Name") && has("Last Name") &&
      (has("E-mail 1 - Value") || has("Phone 1 - Value") || has("Organization Name"))) {
    return AddressBook::google;
  }
  if (has("First Name") && has("Last Name") &&
      (has("E-mail Address") || has("Business Phone") || has("Business Fax") || has("Company"))) {
    return AddressBook::outlook;
  }
  return std::nullopt;
}

AddressBookReader::AddressBookReader(std::unique_ptr<RecordReader> csv,
                                     std::optional<AddressBook> book)
    : csv_(std::move(csv)), book_(book) {}

const std::vector<std::string>& AddressBookReader::columns() const {
  return layout_ ? columns_ : csv_->columns();
}

void AddressBookReader::learn(const std::vector<std::string>& header) {
  if (!book_) book_ = recognise_address_book(header);
  if (!book_) return;
  auto layout = std::make_shared<Layout>();
  const auto at = [&](std::string_view name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (key(header[i]) == key(name)) return static_cast<int>(i);
    }
    return -1;
  };
  if (*book_ == AddressBook::outlook) {
    layout->prefix = at("Title");
    layout->first = at("First Name");
    layout->middle = at("Middle Name");
    layout->last = at("Last Name");
    layout->suffix = at("Suffix");
    layout->organization = at("Company");
    layout->title = at("Job Title");
    layout->notes = at("Notes");
    layout->labels = at("Categories");
    layout->labels_separator = ";";
    for (const auto* e : {"E-mail Address", "E-mail 2 Address", "E-mail 3 Address"}) {
      if (at(e) >= 0) layout->emails.push_back(at(e));
    }
    for (const auto* p : {"Business Phone", "Business Phone 2", "Company Main Phone",
                          "Primary Phone", "Other Phone", "Mobile Phone", "Car Phone", "Home Phone",
                          "Home Phone 2", "Pager", "Business Fax", "Other Fax", "Home Fax"}) {
      if (at(p) >= 0) layout->phones.push_back({-1, key(p), at(p)});
    }
    for (const auto* c : {"Business City", "Other City", "Home City"}) {
      if (at(c) >= 0) layout->cities.push_back({-1, key(c), at(c)});
    }
  } else {
    const bool legacy = *book_ == AddressBook::google_legacy;
    layout->prefix = at("Name Prefix");
    layout->first = at(legacy ? "Given Name" : "First Name");
    layout->middle = at(legacy ? "Additional Name" : "Middle Name");
    layout->last = at(legacy ? "Family Name" : "Last Name");
    layout->suffix = at("Name Suffix");
    layout->full = legacy ? at("Name") : -1;
    layout->file_as = at("File As");
    layout->organization = at(legacy ? "Organization 1 - Name" : "Organization Name");
    layout->title = at(legacy ? "Organization 1 - Title" : "Organization Title");
    layout->notes = at("Notes");
    layout->labels = at(legacy ? "Group Membership" : "Labels");
    const std::string_view label_word = legacy ? "Type" : "Label";
    for (int n = 1; n < 100; ++n) {
      const auto number = std::to_string(n);
      const int email_value = at("E-mail " + number + " - Value");
      const int phone_value = at("Phone " + number + " - Value");
      const int city_value = at("Address " + number + " - City");
      if (email_value < 0 && phone_value < 0 && city_value < 0) break;
      if (email_value >= 0) layout->emails.push_back(email_value);
      if (phone_value >= 0) {
        layout->phones.push_back(
            {at("Phone " + number + " - " + std::string(label_word)), "", phone_value});
      }
      if (city_value >= 0) {
        layout->cities.push_back(
            {at("Address " + number + " - " + std::string(label_word)), "", city_value});
      }
    }
  }
  const auto headers = [&](std::initializer_list<int> columns) {
    std::vector<std::string> out;
    for (const int i : columns) {
      if (i >= 0) out.push_back(header[static_cast<std::size_t>(i)]);
    }
    return out;
  };
  const auto labelled = [&](const std::vector<Layout::Labelled>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) out.push_back(header[static_cast<std::size_t>(v.value)]);
    return out;
  };
  const Layout& l = *layout;
  std::vector<std::string> emails;
  for (const int e : l.emails) emails.push_back(header[static_cast<std::size_t>(e)]);
  sources_ = {{"name", headers({l.prefix, l.first, l.middle, l.last, l.suffix, l.full, l.file_as})},
              {"specialty", headers({l.title})},
              {"practice", headers({l.organization})},
              {"phone, fax", labelled(l.phones)},
              {"email", emails},
              {"city", labelled(l.cities)},
              {"note", headers({l.notes})},
              {"tags", headers({l.labels})}};
  std::erase_if(sources_, [](const Source& s) { return s.headers.empty(); });
  layout_ = std::move(layout);
  columns_ = contact_columns;
}

bool AddressBookReader::next(Record& record) {
  Record row;
  if (!csv_->next(row)) return false;
  if (!started_) {
    started_ = true;
    learn(csv_->columns());
  }
  if (!layout_ || !row.problems.empty()) {
    if (layout_) {  // a malformed row: its problems as they are, no values
      row.values.assign(columns_.size(), std::nullopt);
      row.lines.assign(columns_.size(), 0);
    }
    record = std::move(row);
    return true;
  }
  const Layout& l = *layout_;
  const auto cell = [&](int i) -> std::string_view {
    if (i < 0 || static_cast<std::size_t>(i) >= row.values.size() || !row.values[i]) return {};
    return text::trim(*row.values[i]);
  };
  record.line = row.line;
  record.problems.clear();
  record.values.assign(columns_.size(), std::nullopt);
  record.lines.assign(columns_.size(), row.line);
  const auto put = [&](Out out, std::string_view value) {
    if (!value.empty()) record.values[out] = std::string(value);
  };

  // The name from its parts, "Dr. Ann Marie Lee, MD"; else the whole name, the file-as name or
  // the organisation (a practice's own card).
  std::string full;
  for (const int part : {l.prefix, l.first, l.middle, l.last}) {
    const auto v = first_value(cell(part));
    if (!v.empty()) full += (full.empty() ? "" : " ") + std::string(v);
  }
  if (!full.empty() && !first_value(cell(l.suffix)).empty()) {
    full += ", " + std::string(first_value(cell(l.suffix)));
  }
  if (full.empty()) full = std::string(first_value(cell(l.full)));
  if (full.empty()) full = std::string(first_value(cell(l.file_as)));
  if (full.empty()) full = std::string(first_value(cell(l.organization)));
  put(name, full);
  put(practice, first_value(cell(l.organization)));
  put(specialty, first_value(cell(l.title)));
  put(note, cell(l.notes));

  for (const int e : l.emails) {
    if (const auto v = first_value(cell(e)); !v.empty()) {
      put(email, v);
      break;
    }
  }
  int best_phone = -1, best_fax = -1, best_city = -1;
  for (const auto& p : l.phones) {
    const auto v = first_value(cell(p.value));
    if (v.empty()) continue;
    const std::string label = p.label >= 0 ? label_of(cell(p.label)) : p.fixed;
    if (label.find("fax") != std::string::npos) {
      if (fax_rank(label) > best_fax) {
        best_fax = fax_rank(label);
        record.values[fax] = std::string(v);
      }
    } else if (phone_rank(label) > best_phone) {
      best_phone = phone_rank(label);
      record.values[phone] = std::string(v);
    }
  }
  for (const auto& c : l.cities) {
    const auto v = first_value(cell(c.value));
    if (v.empty()) continue;
    const std::string label = c.label >= 0 ? label_of(cell(c.label)) : c.fixed;
    if (city_rank(label) > best_city) {
      best_city = city_rank(label);
      record.values[city] = std::string(v);
    }
  }

  // Labels as tags; Google's own groups ("* myContacts", "* starred") are not the user's.
  std::string tag_list;
  std::string_view rest = cell(l.labels);
  while (!rest.empty()) {
    const auto cut = rest.find(l.labels_separator);
    auto label = text::trim(rest.substr(0, cut));
    rest = cut == std::string_view::npos ? std::string_view()
                                         : rest.substr(cut + l.labels_separator.size());
    if (label.empty() || label.starts_with("* ")) continue;
    tag_list += (tag_list.empty() ? "" : ",") + std::string(label);
  }
  put(tags, tag_list);
  return true;
}

}  // namespace refnet::io
