// The four record descriptions: contact, referral, touchpoint and event.
#pragma once

// The description of each record type refnet keeps (see field.hpp): adding a field to a record
// is one entry in its table, plus the column in the store and its migration.

#include "record/field.hpp"
#include "store/records.hpp"

namespace refnet::record {

const Description<store::Contact>& contact();
const Description<store::Referral>& referral();
const Description<store::Touchpoint>& touchpoint();
const Description<store::Event>& event();

}  // namespace refnet::record
