// vCard 4.0 (RFC 6350) or 3.0 (RFC 2426) cards for `refnet export contacts --format vcf`.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/vcard_property.hpp"

namespace refnet::output {

// What one card says, by property; the exporter fills it from a contact through the contact's
// description. Refnet's own fields without a vCard property travel as X-NPI, X-REFNET-ROLE and
// X-REFNET-SOURCE, so `refnet import` reads them back.
class VcardContact {
 public:
  std::string uid;
  void set(io::VcardProperty property, std::optional<std::string> value);
  // The value of a property; nothing when unset or empty.
  std::optional<std::string> get(io::VcardProperty property) const;

 private:
  std::map<io::VcardProperty, std::string> values_;
};

enum class VcardVersion { v3, v4 };

// "Dr. Ann Lee, MD" as N's components: family "Lee", given "Ann", prefix "Dr.", suffix "MD".
struct NameParts {
  std::string family, given, additional, prefix, suffix;
};
NameParts split_name(std::string_view name);

class VcardWriter {
 public:
  VcardWriter(std::ostream& out, VcardVersion version);
  // Writes one card: CRLF line ends, lines folded at 75 octets, text escaped.
  void write(const VcardContact& contact);

 private:
  std::ostream& out_;
  VcardVersion version_;
};

}  // namespace refnet::output
