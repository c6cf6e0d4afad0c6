// demo: fill an empty database with a synthetic network, for trying refnet out and for benchmarks.
#include <fmt/format.h>

#include <limits>
#include <memory>

#include "common.hpp"
#include "demo/generator.hpp"
#include "error.hpp"

namespace refnet::cli {

namespace {

// `text` as one word for a POSIX shell, for a command the user may paste: a URL's & and ? would
// split or glob it.
std::string shell_word(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./:=@%+,~") == std::string::npos;
  if (plain) return text;
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

void wire_demo(CLI::App& sub, Context& ctx) {
  auto options = std::make_shared<demo::Options>();
  sub.add_option("--contacts", options->contacts, "How many contacts (default 60)")->type_name("N");
  sub.add_option("--referrals", options->referrals,
                 "How many referrals over 18 months (default 400)")
      ->type_name("M");
  sub.add_option("--seed", options->seed,
                 "Random seed: the same seed gives the same data (default 42)")
      ->type_name("S");
  set_example(sub, "refnet --db /tmp/demo.db demo && refnet --db /tmp/demo.db report overdue");
  sub.callback([options, &ctx] {
    if (options->contacts < 1) {
      throw Error(Exit::usage, fmt::format("invalid --contacts {}: the demo needs at least 1",
                                           options->contacts));
    }
    if (options->referrals < 0) {
      throw Error(Exit::usage,
                  fmt::format("invalid --referrals {}: cannot be negative", options->referrals));
    }
    const auto path = ctx.db_path();
    auto& store = ctx.store(store::Store::Open::create);
    // The generator refers only to rows it has just written, and db check can confirm it.
    const auto alone = store.fill_alone();
    // Checked under the write lock: two demos started at once must not both fill the file.
    store::Store::WriteTransaction tx(store);
    // Synthetic rows mixed into a real network could never be told apart again.
    if (store.has_rows("contact")) {
      throw Error(
          Exit::data,
          fmt::format(
              "the database at {} already holds contacts; demo fills only an empty database",
              path.string()),
          "use another file: refnet --db /tmp/demo.db demo");
    }
    const auto summary = demo::generate(store, *options, ctx.now(), ctx.sla(), ctx.actor());
    tx.commit();
    if (ctx.format() == output::Format::table) {
      ctx.out << fmt::format(
          "Demo network in {}: {} contacts, {} events, {} referrals, {} touchpoints (seed {})\n",
          path.string(), summary.contacts, summary.events, summary.referrals, summary.touchpoints,
          options->seed);
      const auto db = ctx.global.db.empty() ? std::string()
                                            : fmt::format(" --db {}", shell_word(ctx.global.db));
      ctx.out << fmt::format("Try: refnet{} report overdue\n", db);
      return;
    }
    const std::vector<output::Column> columns{{"database", "Database"},
                                              {"contacts", "Contacts", true},
                                              {"events", "Events", true},
                                              {"referrals", "Referrals", true},
                                              {"touchpoints", "Touchpoints", true},
                                              {"seed", "Seed", true}};
    // A seed beyond int64 still prints exactly, as text.
    const output::Cell seed =
        options->seed <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
            ? output::Cell(static_cast<std::int64_t>(options->seed))
            : output::Cell(std::to_string(options->seed));
    ctx.print_record(as_fields(columns, {path.string(), summary.contacts, summary.events,
                                         summary.referrals, summary.touchpoints, seed}));
  });
}

}  // namespace refnet::cli
