#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "output/sink.hpp"
#include "report/overdue.hpp"
#include "store/store.hpp"

namespace refnet::report {

// How lopsided a relationship is: "one-sided (in only)", "one-sided (out only)", "unbalanced"
// when one side is at least three times the other (and at least 3 referrals), else empty.
std::string reciprocity_flag(std::int64_t referrals_in, std::int64_t referrals_out);

// Per contact with any referral in the period (from the beginning unless --since): in, out,
// balance (in - out), the last referral each way, and the flag above; one-sided relationships
// are highlighted in tables. Most referrals first. Returns the number of rows written.
std::vector<output::Column> reciprocity_columns();
std::size_t reciprocity(store::Store& store, const Period& period, output::RowSink& sink);

}  // namespace refnet::report
