// refnet demo: its options, what it made, and generate(), which fills an empty store.
#pragma once

#include <cstdint>

#include "domain/sla.hpp"
#include "store/store.hpp"

namespace refnet::demo {

struct Options {
  std::int64_t contacts = 60;
  std::int64_t referrals = 400;
  std::uint64_t seed = 42;
};

struct Summary {
  std::int64_t contacts = 0;
  std::int64_t events = 0;
  std::int64_t referrals = 0;
  std::int64_t touchpoints = 0;
};

// Fills an empty store with a realistic synthetic referral network ending at `now`: the same
// seed and now give the same database. Writes in the caller's WriteTransaction, which has checked
// that the store is empty under the same lock.
Summary generate(store::Store& store, const Options& options, domain::Timestamp now,
                 const domain::ServiceLevels& sla, std::string_view actor);

}  // namespace refnet::demo
