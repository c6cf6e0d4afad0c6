// What the PostgreSQL store cannot do yet (the reports): each says so, with exit status 78,
// and writes nothing.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"

namespace refnet::store {

namespace {

[[noreturn]] void not_yet(std::string_view what) {
  throw Error(Exit::config, fmt::format("{} does not work on PostgreSQL yet", what),
              "use a SQLite database for it (README \"A practice on PostgreSQL\" says what works)");
}

}  // namespace

SummaryCounts PgStore::summary_counts(std::optional<Timestamp>, Timestamp, AsOf, Timestamp) {
  not_yet("report summary");
}
std::vector<TopReferrer> PgStore::referrer_counts(std::optional<Timestamp>, Timestamp) {
  not_yet("this report");
}
std::vector<ReciprocityRow> PgStore::reciprocity_counts(std::optional<Timestamp>, Timestamp) {
  not_yet("report reciprocity");
}
std::vector<ReferrerOrigin> PgStore::referrer_origins(std::optional<Timestamp>, Timestamp,
                                                      std::string_view) {
  not_yet("report sources");
}
std::vector<ReferrerTouch> PgStore::referrer_touches(std::optional<Timestamp>, Timestamp,
                                                     Timestamp) {
  not_yet("report at-risk");
}
std::vector<TrendCounts> PgStore::referral_counts(const std::vector<Timestamp>&) {
  not_yet("report trend");
}
std::vector<ReferrerVolume> PgStore::referrer_volumes(Timestamp, Timestamp, Timestamp) {
  not_yet("report at-risk");
}
std::vector<ClosedLoopCount> PgStore::closed_loop_counts(std::optional<Timestamp>, Timestamp,
                                                         Timestamp) {
  not_yet("report closed-loop");
}
StepDurations PgStore::step_durations(std::optional<Timestamp>, Timestamp, Timestamp) {
  not_yet("report turnaround");
}
std::vector<NetworkEdge> PgStore::network_edges(std::optional<Timestamp>, Timestamp) {
  not_yet("report network");
}

}  // namespace refnet::store
