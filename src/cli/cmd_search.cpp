// search TEXT: records whose names, practices, reasons and notes hold the words, best first.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <ostream>

#include "common.hpp"
#include "error.hpp"
#include "text/text.hpp"

namespace refnet::cli {

namespace {

struct SearchOptions {
  std::vector<std::string> text;
  std::string kind;
  int limit = 20;
};

// The widest excerpt of a matched field (README "Search"); a table narrows it further to fit.
constexpr std::size_t excerpt_columns = 60;

constexpr std::pair<const char*, store::SearchKind> kind_names[] = {
    {"contact", store::SearchKind::contact},
    {"referral", store::SearchKind::referral},
    {"touchpoint", store::SearchKind::touchpoint},
    {"event", store::SearchKind::event},
};

std::string_view kind_name(store::SearchKind kind) {
  for (const auto& [name, k] : kind_names) {
    if (k == kind) return name;
  }
  return "contact";
}

// --kind: contact, referral, touchpoint (or followup, as `list` calls them) or event, in any case
// and with or without a plural s.
store::SearchKind parse_kind(std::string_view typed) {
  auto word = text::ascii_lower(text::trim(typed));
  if (word.ends_with('s')) word.pop_back();
  if (word == "followup") word = "touchpoint";
  for (const auto& [name, kind] : kind_names) {
    if (word == name) return kind;
  }
  throw Error(Exit::usage, fmt::format("invalid --kind '{}'", typed),
              "use one of: contact, referral, touchpoint, event");
}

std::vector<output::Column> columns() {
  return {
      {"kind", "Kind"},
      {"id", "ID", true},
      output::free_text({"name", "Name"}),
      {"patient", "Patient"},
      {"field", "Field"},
      output::free_text({"match", "Match"}),
      {"state", "State"},
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
      {"merged_into", "Merged into", true, output::Tone::plain, false},
  };
}

// Archived contacts are found and say so; a merged one says where its history went.
std::string state(const store::SearchHit& hit) {
  if (hit.merged_into) return fmt::format("merged into #{}", *hit.merged_into);
  if (hit.archived) return "archived";
  return {};
}

void search(Context& ctx, const SearchOptions& options) {
  std::string typed;
  for (const auto& part : options.text) typed += (typed.empty() ? "" : " ") + part;
  if (text::trim(typed).empty()) {
    throw Error(Exit::usage, "search needs something to look for", "refnet search \"chest pain\"");
  }
  if (options.limit < 1) {
    throw Error(Exit::usage, fmt::format("--limit must be at least 1, not {}", options.limit));
  }
  std::optional<store::SearchKind> kind;
  if (!options.kind.empty()) kind = parse_kind(options.kind);

  std::vector<std::string> words;
  std::vector<std::string> keys;
  for (auto& word : text::search_words(typed)) {
    keys.push_back(text::match_key(word.word));
    words.push_back(std::move(word.word));
  }
  // Text with no letter or digit in it (`"`, `*`) finds nothing: nothing in the index is made of
  // punctuation alone.
  const auto hits = ctx.store().search(words, kind, options.limit);
  const auto redact = patient_redactor(ctx);

  auto sink = ctx.sink();
  sink->begin(columns());
  for (const auto& hit : hits) {
    // The first field that holds one of the words, and the words around it there.
    std::string field;
    std::string excerpt;
    for (const auto& f : hit.fields) {
      if (auto found = text::search_excerpt(f.text, keys, excerpt_columns)) {
        field = f.field;
        excerpt = std::move(*found);
        break;
      }
    }
    output::Cell patient = std::monostate{};
    if (hit.patient) patient = redact ? redact(*hit.patient) : *hit.patient;
    const auto tone = hit.archived ? output::Tone::dim : output::Tone::plain;
    sink->row({{std::string(kind_name(hit.kind)), hit.id, hit.name, patient,
                field.empty() ? output::Cell{} : output::Cell{field},
                excerpt.empty() ? output::Cell{} : output::Cell{excerpt},
                state(hit).empty() ? output::Cell{} : output::Cell{state(hit)},
                cell(hit.contact_id), cell(hit.merged_into)}},
              tone);
  }
  sink->end();
  // A note for the person at the terminal, as the reports give; with -o it would only be mail.
  if (hits.empty() && ctx.format() == output::Format::table && !ctx.writes_file()) {
    ctx.err << "No matches.\n";
  }
}

}  // namespace

void wire_search(CLI::App& sub, Context& ctx) {
  auto options = std::make_shared<SearchOptions>();
  sub.add_option("TEXT", options->text,
                 "Words to find, in any case, with or without accents and apostrophes; the last "
                 "may be the start of a word")
      ->required();
  sub.add_option("--kind", options->kind,
                 "Only rows of this kind: contact, referral, touchpoint or event")
      ->type_name("KIND");
  sub.add_option("--limit", options->limit, "At most N results, best first (default 20)")
      ->type_name("N");
  add_output_options(sub, ctx, true);
  sub.footer(
      "\nSearches contact names, practices and notes, referral reasons and notes, touchpoint notes"
      "\nand event names and notes for records holding every word. Archived contacts are found"
      "\nand marked; a merged one says which contact it went into. Start TEXT with -- when it"
      "\nbegins with a dash.");
  set_example(sub, "refnet search obrien --kind contact");
  sub.callback([options, &ctx] { search(ctx, *options); });
}

}  // namespace refnet::cli
