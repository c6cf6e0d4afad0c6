// VcardProperty: the vCard properties refnet reads and writes (FN, TITLE, ORG, X-NPI, ...).
#pragma once

// The vCard properties refnet reads and writes, named once for the reader (io/vcard.hpp), the
// writer (output/vcard.hpp) and the contact description that maps fields to them.

namespace refnet::io {

enum class VcardProperty {
  fn,          // FN, else N in reading order
  title,       // TITLE
  org,         // ORG's first component
  npi,         // X-NPI
  tel,         // the preferred TEL that is not a fax, else a work or voice one, else the first
  fax,         // the preferred TEL typed FAX, else the first
  email,       // the preferred EMAIL, else the first
  city,        // the preferred ADR's locality, else the first ADR's
  categories,  // CATEGORIES, as "a,b"
  note,        // NOTE, several joined by a line break
  role,        // X-REFNET-ROLE (refnet's own)
  source,      // X-REFNET-SOURCE (refnet's own)
};

}  // namespace refnet::io
