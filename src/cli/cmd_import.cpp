// import contacts|referrals|touchpoints|events FILE: all or nothing. Every record is checked and
// written inside one transaction; any problem, or --dry-run, rolls the whole file back.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <streambuf>

#include "common.hpp"
#include "error.hpp"
#include "import_rows.hpp"
#include "io/address_book.hpp"
#include "io/encoding.hpp"
#include "io/reader.hpp"
#include "record/records.hpp"
#include "text/text.hpp"
#include "transfer.hpp"

namespace refnet::cli {

namespace {

using transfer::Entity;
using namespace importing;

struct ImportOptions {
  std::string file;
  std::string from;  // csv, tsv, json, vcf; empty: by extension or content
  std::string on_duplicate = "error";
  bool dry_run = false;
  std::vector<std::string> map;     // HEADER=FIELD
  std::vector<std::string> ignore;  // HEADER
  bool ignore_unknown = false;
};

// --map HEADER=FIELD, --ignore HEADER and --ignore-unknown as the importer takes them. The field
// follows the last '=', so a header may hold one.
ColumnChoices column_choices(const ImportOptions& o) {
  ColumnChoices choices;
  for (const auto& m : o.map) {
    const auto eq = m.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size()) {
      throw Error(Exit::usage, fmt::format("invalid --map '{}': expected HEADER=FIELD", m),
                  "e.g. --map 'Provider Name=name'");
    }
    choices.map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  choices.ignore = o.ignore;
  choices.ignore_unknown = o.ignore_unknown;
  return choices;
}

// A row of nothing but separators and white space: what a spreadsheet leaves below its data.
bool blank_row(const io::Record& record) {
  return std::all_of(
      record.values.begin(), record.values.end(),
      [](const std::optional<std::string>& v) { return !v || text::trim(*v).empty(); });
}

// What --dry-run shows first: each column of the file and the field it fills.
void print_mapping(Context& ctx, std::string_view file, const std::vector<ColumnUse>& used) {
  if (used.empty()) return;
  std::size_t width = 0;
  for (const auto& u : used) width = std::max(width, text::display_width(u.header));
  say(ctx, fmt::format("Columns of {}:", file));
  for (const auto& u : used) {
    using How = ColumnUse::How;
    std::string to = u.field.empty() ? "nothing" : u.field;
    switch (u.how) {
      case How::named:
        break;
      case How::mapped:
        to += " (--map)";
        break;
      case How::ignored:
        to += " (--ignore)";
        break;
      case How::ignored_unknown:
        to += " (--ignore-unknown)";
        break;
      case How::unknown:
        to += " (unknown column)";
        break;
      case How::given_twice:
        to += " (given twice)";
        break;
    }
    say(ctx, fmt::format("  {}{} -> {}", u.header,
                         std::string(width - text::display_width(u.header), ' '), to));
  }
}

// Bytes already read from a stream to guess its format, then the rest of the stream: stdin
// cannot be rewound.
class PrefixedBuffer final : public std::streambuf {
 public:
  PrefixedBuffer(std::string prefix, std::istream& rest) : prefix_(std::move(prefix)), rest_(rest) {
    setg(prefix_.data(), prefix_.data(), prefix_.data() + prefix_.size());
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    rest_.read(chunk_, sizeof chunk_);
    const auto n = rest_.gcount();
    if (n <= 0) return traits_type::eof();
    setg(chunk_, chunk_, chunk_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string prefix_;
  std::istream& rest_;
  char chunk_[1 << 16];
};

// A progress bar on stderr, only when stderr is a terminal and the file is large.
class Progress {
 public:
  Progress(std::ostream& err, std::string label, std::uint64_t total)
      : err_(err),
        label_(std::move(label)),
        total_(total),
        enabled_(total >= (4u << 20) && ::isatty(STDERR_FILENO) == 1) {}

  void update(std::uint64_t done, std::int64_t rows) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double share =
        total_ == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    constexpr int width = 30;
    const int filled = static_cast<int>(share * width);
    err_ << fmt::format("\r{} [{}{}] {:3.0f}% {} rows", label_, std::string(filled, '#'),
                        std::string(width - filled, '.'), share * 100, rows)
         << std::flush;
    shown_ = true;
  }

  void clear() {
    if (!shown_) return;
    err_ << "\r\x1b[K" << std::flush;
    shown_ = false;
  }

 private:
  std::ostream& err_;
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// The table whose indexes an import into it may build at the end; contacts and events are small.
std::optional<std::string_view> bulk_table(Entity entity) {
  switch (entity) {
    case Entity::referrals:
      return "referral";
    case Entity::touchpoints:
      return "touchpoint";
    default:
      return std::nullopt;
  }
}

OnDuplicate parse_policy(const std::string& text) {
  if (text == "error") return OnDuplicate::error;
  if (text == "skip") return OnDuplicate::skip;
  if (text == "update") return OnDuplicate::update;
  throw Error(Exit::usage, fmt::format("invalid --on-duplicate '{}'", text),
              "use error, skip or update");
}

std::string audit_summary(std::string_view file, Entity entity, io::InputFormat format,
                          const Counts& counts) {
  return fmt::format(
      R"({{"file":{},"entity":{},"format":{},"added":{},"updated":{},"skipped":{}}})",
      output::json_quote(file), output::json_quote(transfer::to_string(entity)),
      output::json_quote(io::to_string(format)), counts.added, counts.updated, counts.skipped);
}

void run_import(Context& ctx, Entity entity, const ImportOptions& o) {
  const auto policy = parse_policy(o.on_duplicate);
  const auto choices = column_choices(o);
  std::optional<io::InputFormat> format;
  // An address book's CSV: said with --from, or recognised from its header.
  std::optional<io::AddressBook> book;
  if (!o.from.empty()) {
    format = io::parse_input_format(o.from);
    if (!format && (book = io::parse_address_book(o.from))) {
      if (entity != Entity::contacts) {
        throw Error(Exit::usage, fmt::format("--from {} holds contacts", o.from),
                    fmt::format("refnet import contacts FILE --from {}", o.from));
      }
      format = io::InputFormat::csv;
    }
    if (!format) {
      throw Error(Exit::usage, fmt::format("invalid --from '{}'", o.from),
                  "use csv, tsv, json, vcf, google-csv or outlook-csv");
    }
  }

  // Open the input before the database, so a missing file is reported as such.
  const bool from_stdin = o.file == "-";
  if (from_stdin) ctx.input_read = true;  // it cannot be read twice
  const std::string shown_name = from_stdin ? "stdin" : o.file;
  std::ifstream file;
  std::uint64_t size = 0;
  if (!from_stdin) {
    struct stat info {};
    if (::stat(o.file.c_str(), &info) != 0) {
      throw Error(Exit::no_input, fmt::format("cannot read {}: {}", o.file, std::strerror(errno)));
    }
    if (S_ISDIR(info.st_mode))
      throw Error(Exit::no_input, fmt::format("{} is a folder, not a file", o.file));
    size = static_cast<std::uint64_t>(info.st_size);
    file.open(o.file, std::ios::binary);
    if (!file)
      throw Error(Exit::no_input, fmt::format("cannot read {}: {}", o.file, std::strerror(errno)));
  }
  // UTF-16 with a byte order mark (Excel's "Unicode Text") is read as UTF-8; any other file
  // that is not UTF-8 is found out as it is read, and refused once the reading is done.
  io::Utf8Input decoded(from_stdin ? std::cin : file);
  std::istream raw(&decoded);
  std::string head(4096, '\0');
  raw.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(raw.gcount()));
  if (raw.bad() || (from_stdin ? std::cin.bad() : file.bad())) {
    throw Error(Exit::io, fmt::format("cannot read {}", shown_name));
  }
  if (!format) format = io::detect_format(from_stdin ? "" : o.file, head);
  if (*format == io::InputFormat::vcf && entity != Entity::contacts) {
    throw Error(Exit::usage, "vCard files hold contacts", "refnet import contacts FILE.vcf");
  }
  raw.clear();
  PrefixedBuffer buffer(std::move(head), raw);
  std::istream in(&buffer);

  auto& store = ctx.store();
  Problems problems(shown_name);
  // The file's own name, not its path: a long path would wrap the bar and break the \r redraw.
  Progress progress(
      ctx.err,
      fmt::format("refnet: importing {}", std::filesystem::path(shown_name).filename().string()),
      size);
  const bool csv_like = *format == io::InputFormat::csv || *format == io::InputFormat::tsv;
  const auto vcard_columns = record::contact().vcard_columns();
  std::unique_ptr<io::RecordReader> reader = io::make_reader(*format, in, vcard_columns);
  const io::AddressBookReader* address_book = nullptr;
  if (entity == Entity::contacts && *format == io::InputFormat::csv) {
    auto wrapped = std::make_unique<io::AddressBookReader>(std::move(reader), book);
    address_book = wrapped.get();
    reader = std::move(wrapped);
  }

  // Into an empty table with the database to itself, each page is written once (measured on
  // the bench's million referrals: 12.5 s -> see the commit).
  std::unique_ptr<store::Store::Scope> alone;
  if (const auto table = bulk_table(entity); table && !o.dry_run && !store.has_rows(*table)) {
    alone = store.load_alone();
  }
  store::Store::WriteTransaction tx(store);
  // Into an empty table, the indexes are built once at the end instead of row by row: a row's
  // checks look up nothing in an empty table.
  std::unique_ptr<store::Store::BulkLoad> bulk;
  if (const auto table = bulk_table(entity); table && !store.has_rows(*table)) {
    bulk = store.bulk_load({*table});
  }
  const auto importer = make_row_importer(ctx, entity, policy, csv_like, choices, problems);
  io::Record record;
  std::size_t mapped = 0;
  std::int64_t records = 0;
  std::int64_t blank_rows = 0;
  bool header_checked = false;
  while (reader->next(record)) {
    if (!header_checked) {
      header_checked = true;
      for (const auto& p : reader->header_problems()) problems.add(p);
    }
    if (reader->columns().size() > mapped) {
      // csv and tsv name their columns on the header line; json keys appear as objects do.
      importer->map_columns(reader->columns(), csv_like ? 1 : record.line);
      mapped = reader->columns().size();
    }
    if (record.problems.empty() && csv_like && blank_row(record)) {
      ++blank_rows;
      continue;
    }
    ++records;
    for (const auto& p : record.problems) problems.add(p);
    if (record.problems.empty()) importer->import(record);
    if ((records & 0x3FF) == 0) progress.update(reader->position(), records);
  }
  if (!header_checked) {
    for (const auto& p : reader->header_problems()) problems.add(p);
  }
  // A dry run says first how it read the file, whether the rows pass or not.
  if (o.dry_run && ctx.format() == output::Format::table) {
    if (address_book != nullptr && address_book->recognised()) {
      say(ctx, fmt::format("Read as {}", io::to_string(*address_book->recognised())));
    }
    if (decoded.encoding() != "UTF-8") {
      say(ctx, fmt::format("Read as {}, from its byte order mark", decoded.encoding()));
    }
    if (address_book != nullptr && address_book->recognised()) {
      say(ctx, fmt::format("Columns of {}:", shown_name));
      for (const auto& s : address_book->sources()) {
        say(ctx, fmt::format("  {} -> {}", fmt::join(s.headers, ", "), s.field));
      }
    } else {
      print_mapping(ctx, shown_name, importer->columns_used());
    }
  }
  if (const auto unused = importer->unused_choices(); !unused.empty()) {
    std::string columns;
    for (const auto& c : reader->columns()) columns += (columns.empty() ? "'" : ", '") + c + "'";
    throw Error(Exit::usage,
                fmt::format("{} {} no column of {}", fmt::join(unused, ", "),
                            unused.size() == 1 ? "names" : "name", shown_name),
                fmt::format("its columns are: {}", columns));
  }
  if (records == 0 && problems.count() == 0) {
    if (reader->columns().empty()) {
      problems.add(1, "",
                   *format == io::InputFormat::vcf ? "no vCard in the file"
                   : *format == io::InputFormat::json
                       ? "no rows: the file holds no objects"
                       : "the file is empty: expected a header row and rows");
    } else {
      problems.add(2, "", "no rows after the header: nothing to import");
    }
  }
  if (bulk && problems.count() == 0) bulk->finish();  // finish() below looks rows up again
  importer->finish();
  progress.clear();
  const auto counts = importer->counts();

  // A file that is not UTF-8 is one problem, not one on every line it spoils. A vCard may say
  // another CHARSET for a property, which its reader decodes itself.
  if (const auto& bad = decoded.problem(); bad && *format != io::InputFormat::vcf) {
    const std::string byte = bad->byte == 0 ? "" : fmt::format("byte 0x{:02X} ", bad->byte);
    throw Error(Exit::data,
                fmt::format("cannot import {}: it is not UTF-8 ({}on line {} looks like {}); "
                            "nothing was written",
                            shown_name, byte, bad->line, bad->looks_like),
                fmt::format("convert it with: iconv -f {} -t UTF-8 {} > utf8.{}, or save it "
                            "from the spreadsheet as \"CSV UTF-8\"",
                            bad->iconv_name, from_stdin ? "FILE" : o.file, io::to_string(*format)));
  }
  if (problems.count() > 0) {
    // Nothing is written: the transaction rolls back when `tx` goes out of scope.
    ctx.out.flush();
    ctx.err << "refnet: "
            << output::sanitize_for_terminal(
                   fmt::format("cannot import {}: {} problem{}; nothing was written", shown_name,
                               problems.count(), problems.count() == 1 ? "" : "s"))
            << '\n';
    for (const auto& line : problems.shown())
      ctx.err << output::sanitize_for_terminal(line) << '\n';
    if (problems.count() > problems.shown().size()) {
      const auto more = problems.count() - problems.shown().size();
      ctx.err << fmt::format("... and {} more problem{}\n", more, more == 1 ? "" : "s");
    }
    ctx.err << "hint: fix these lines and import the file again; --dry-run checks a file without "
               "writing\n";
    ctx.status = Exit::data;
    return;
  }

  if (!o.dry_run) {
    store.audit("import", "database", 0, std::nullopt,
                audit_summary(shown_name, entity, *format, counts), ctx.actor(), ctx.now(),
                std::nullopt);
    tx.commit();
  }
  const auto what = transfer::to_string(entity);
  if (ctx.format() == output::Format::table) {
    const std::string blanks = blank_rows == 0 ? ""
                                               : fmt::format("; skipped {} blank row{}", blank_rows,
                                                             blank_rows == 1 ? "" : "s");
    if (o.dry_run) {
      say(ctx, fmt::format("Dry run, nothing written: {} {} would be added, {} updated, {} skipped "
                           "as duplicates{}",
                           counts.added, what, counts.updated, counts.skipped, blanks));
    } else {
      say(ctx, fmt::format("Imported {} from {}: {} added, {} updated, {} skipped as duplicates{}",
                           what, shown_name, counts.added, counts.updated, counts.skipped, blanks));
    }
    return;
  }
  const std::vector<output::Column> columns{{"file", "File"},
                                            {"entity", "Entity"},
                                            {"format", "Format"},
                                            {"dry_run", "Dry run"},
                                            {"added", "Added", true},
                                            {"updated", "Updated", true},
                                            {"skipped", "Skipped", true},
                                            {"blank_rows", "Blank rows", true}};
  ctx.print_record(
      as_fields(columns, {shown_name, std::string(what), std::string(io::to_string(*format)),
                          o.dry_run, counts.added, counts.updated, counts.skipped, blank_rows}));
}

}  // namespace

void wire_import(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  set_example(sub, "refnet import contacts practice.csv --dry-run");
  struct Target {
    Entity entity;
    const char* description;
    const char* example;
  };
  const Target targets[] = {
      {Entity::contacts, "Contacts from csv, tsv, json or vCard (.vcf)",
       "refnet import contacts address-book.vcf --on-duplicate skip"},
      {Entity::referrals,
       "Referrals; each row names its contact by contact_npi, contact or contact_id",
       "refnet import referrals referrals.csv --dry-run"},
      {Entity::touchpoints, "Touchpoints, logged (done_at) and planned (due)",
       "refnet import touchpoints touchpoints.json"},
      {Entity::events, "Events (before the contacts that were met there)",
       "refnet import events events.csv"},
  };
  for (const auto& target : targets) {
    auto o = std::make_shared<ImportOptions>();
    auto* cmd =
        sub.add_subcommand(std::string(transfer::to_string(target.entity)), target.description);
    if (target.entity == Entity::touchpoints) cmd->alias("followups");
    cmd->add_option("FILE", o->file, "The file to read; - reads standard input")->required();
    cmd->add_flag("--dry-run", o->dry_run,
                  "Say which field each column fills, check every line and say what would be "
                  "written; write nothing");
    cmd->add_option("--on-duplicate", o->on_duplicate,
                    "A row already in the database: error (default), skip or update")
        ->type_name("WHAT");
    cmd->add_option("--map", o->map,
                    "Read the column HEADER as FIELD, e.g. --map 'Provider Name=name' (repeat for "
                    "more)")
        ->type_name("HEADER=FIELD");
    cmd->add_option("--ignore", o->ignore, "Leave the column HEADER out (repeat for more)")
        ->type_name("HEADER");
    cmd->add_flag("--ignore-unknown", o->ignore_unknown,
                  "Leave out every column that names no field, instead of refusing the file");
    cmd->add_option("--from", o->from,
                    "The file's format (google-csv and outlook-csv: an address book's contacts; "
                    "default: by extension or content): csv, tsv, json, vcf, google-csv or "
                    "outlook-csv")
        ->type_name("FORMAT");
    set_example(*cmd, target.example);
    const Entity entity = target.entity;
    cmd->callback([entity, o, &ctx] {
      // A dry run changes nothing, a migration included: an older schema is refused as by a
      // command that only reads (refnet(1) FILES).
      if (o->dry_run) ctx.reading = true;
      run_import(ctx, entity, *o);
    });
  }
}

}  // namespace refnet::cli
