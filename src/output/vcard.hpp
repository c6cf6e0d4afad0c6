#pragma once

// vCard 4.0 (RFC 6350) or 3.0 (RFC 2426) cards for `refnet export contacts --format vcf`.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace refnet::output {

// What one card says; the exporter fills it from a contact. Refnet's own fields without a vCard
// property travel as X-NPI, X-REFNET-ROLE and X-REFNET-SOURCE, so `refnet import` reads them back.
struct VcardContact {
  std::string uid;
  std::string name;
  std::optional<std::string> role, specialty, practice, npi, phone, email, city, source, note;
  std::vector<std::string> tags;
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
