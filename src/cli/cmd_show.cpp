// show CONTACT / show --referral ID: one contact's card or one referral's timeline.
#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "common.hpp"
#include "error.hpp"
#include "output/json_writer.hpp"

namespace refnet::cli {

namespace {

using output::Cell;
using output::Column;

// A titled list of rows, for the sections of a card.
struct Section {
  std::string key;
  std::string title;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;

  template <class R>
  void add(const record::Description<R>& description, const R& record,
           const std::function<std::string(std::string_view)>& redact = {}) {
    rows.push_back(description.cells(record, record::listed, redact));
  }
};

// A section of records listed as `list` lists them.
template <class R>
Section section(std::string key, std::string title, const record::Description<R>& description) {
  return {std::move(key), std::move(title), description.columns(record::listed), {}};
}

void write_json_object(output::JsonWriter& json, const std::vector<Column>& columns,
                       const std::vector<Cell>& cells) {
  json.begin_object();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    json.key(columns[i].key);
    json.value(cells[i]);
  }
  json.end_object();
}

// Table: the record as a card, then each section as a table. Json: one object holding the record
// and each section as an array.
void print_card(Context& ctx, const std::string& record_key, const std::vector<Column>& columns,
                const std::vector<Cell>& cells, const std::vector<Section>& sections) {
  const auto format = ctx.format();
  if (format == output::Format::json) {
    output::JsonWriter json(ctx.out);
    json.begin_object();
    json.key(record_key);
    write_json_object(json, columns, cells);
    for (const auto& section : sections) {
      json.key(section.key);
      json.begin_array();
      for (const auto& row : section.rows) write_json_object(json, section.columns, row);
      json.end_array();
    }
    json.end_object();
    json.finish();
    return;
  }
  if (format != output::Format::table) {
    throw Error(Exit::usage, "show prints a table or json",
                "for csv/tsv use: refnet list referrals --contact CONTACT --format csv");
  }
  auto options = ctx.output_options();
  // A card is one field a line, so nothing needs leaving out to keep it narrow: the phone,
  // email and note a listing's table drops are what a card is looked up for.
  auto fields = as_fields(columns, cells);
  for (auto& field : fields) field.column.in_table = true;
  output::write_record(format, ctx.out, fields, options);
  for (const auto& section : sections) {
    ctx.out << '\n' << section.title << (section.rows.empty() ? ": none" : "") << '\n';
    if (section.rows.empty()) continue;
    auto sink = output::make_sink(format, ctx.out, options);
    sink->begin(section.columns);
    for (const auto& row : section.rows) sink->row(row);
    sink->end();
  }
}

void show_contact(Context& ctx, const std::string& who) {
  auto& store = ctx.store();
  const auto contact = require_contact(ctx, who);
  const auto r = store.reciprocity(contact.id);

  auto columns = record::contact().columns(record::listed);
  auto cells = record::contact().cells(contact, record::listed);
  columns.push_back({"referrals_in", "Referrals in", true});
  cells.emplace_back(r.referrals_in);
  columns.push_back({"referrals_out", "Referrals out", true});
  cells.emplace_back(r.referrals_out);
  columns.push_back({"balance", "Balance", true});
  cells.emplace_back(r.referrals_in - r.referrals_out);
  columns.push_back({"last_in", "Last in"});
  cells.push_back(cell(r.last_in));
  columns.push_back({"last_out", "Last out"});
  cells.push_back(cell(r.last_out));
  columns.push_back({"last_touch", "Last touch"});
  cells.push_back(cell(r.last_touch));
  if (contact.merged_into) {
    columns.push_back({"merged_into", "Merged into", true});
    cells.push_back(cell(contact.merged_into));
  }

  auto referrals = section("referrals", "Referrals", record::referral());
  store::ReferralFilter rf;
  rf.contact_id = contact.id;
  const auto redact = patient_redactor(ctx);
  store.each_referral(
      rf, [&](const store::Referral& x) { referrals.add(record::referral(), x, redact); });

  auto touchpoints = section("touchpoints", "Touchpoints", record::touchpoint());
  store::TouchpointFilter tf;
  tf.contact_id = contact.id;
  store.each_touchpoint(
      tf, [&](const store::Touchpoint& t) { touchpoints.add(record::touchpoint(), t); });

  auto events = section("events", "Events", record::event());
  store::EventFilter ef;
  ef.contact_id = contact.id;
  store.each_event(ef, [&](const store::Event& e) { events.add(record::event(), e); });

  print_card(ctx, "contact", columns, cells, {referrals, touchpoints, events});
}

void show_referral(Context& ctx, const std::string& which) {
  auto& store = ctx.store();
  const auto referral = require_referral(ctx, which);
  Section timeline{"timeline", "Timeline", {{"status", "Status"}, {"at", "At"}}, {}};
  auto step = [&](const char* status, const std::optional<domain::Timestamp>& at) {
    if (at) timeline.rows.push_back({std::string(status), *at});
  };
  step("referred", referral.referred);
  step("acknowledged", referral.acknowledged);
  step("scheduled", referral.scheduled);
  step("seen", referral.seen);
  step("closed", referral.closed);
  step("declined", referral.declined);
  step("cancelled", referral.cancelled);
  step("no-show", referral.no_show);
  std::stable_sort(timeline.rows.begin(), timeline.rows.end(), [](const auto& a, const auto& b) {
    return std::get<domain::Timestamp>(a[1]) < std::get<domain::Timestamp>(b[1]);
  });

  auto touchpoints = section("touchpoints", "Touchpoints", record::touchpoint());
  store::TouchpointFilter tf;
  tf.referral_id = referral.id;
  store.each_touchpoint(
      tf, [&](const store::Touchpoint& t) { touchpoints.add(record::touchpoint(), t); });
  print_card(ctx, "referral", record::referral().columns(record::listed),
             record::referral().cells(referral, record::listed, patient_redactor(ctx)),
             {timeline, touchpoints});
}

}  // namespace

void wire_show(CLI::App& sub, Context& ctx) {
  auto who = std::make_shared<std::string>();
  auto referral = std::make_shared<std::string>();
  auto* contact = sub.add_option("CONTACT", *who, "Id, NPI or part of the name");
  auto* ref = sub.add_option("--referral", *referral, "Show this referral's timeline instead")
                  ->type_name("ID");
  contact->excludes(ref);
  add_output_options(sub, ctx, true);
  set_example(sub, "refnet show \"Ann Lee\"\n  refnet show --referral 42 --format json");
  sub.callback([=, &ctx] {
    if (!referral->empty()) return show_referral(ctx, *referral);
    if (who->empty()) {
      throw Error(Exit::usage, "show needs a CONTACT or --referral ID", "see: refnet show --help");
    }
    show_contact(ctx, *who);
  });
}

}  // namespace refnet::cli
