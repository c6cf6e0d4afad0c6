// The command table, the global options, and running a command line with its errors reported.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "error.hpp"
#include "output/sink.hpp"
#include "refnet/version.hpp"
#include "store/store.hpp"
#include "text/text.hpp"

namespace refnet::cli {

// Each command file defines its wiring function.
void wire_init(CLI::App&, Context&);
void wire_add(CLI::App&, Context&);
void wire_edit(CLI::App&, Context&);
void wire_archive(CLI::App&, Context&);
void wire_merge(CLI::App&, Context&);
void wire_refer(CLI::App&, Context&);
void wire_ack(CLI::App&, Context&);
void wire_status(CLI::App&, Context&);
void wire_followup(CLI::App&, Context&);
void wire_event(CLI::App&, Context&);
void wire_list(CLI::App&, Context&);
void wire_show(CLI::App&, Context&);
void wire_search(CLI::App&, Context&);
void wire_report(CLI::App&, Context&);
void wire_log(CLI::App&, Context&);
void wire_import(CLI::App&, Context&);
void wire_export(CLI::App&, Context&);
void wire_db(CLI::App&, Context&);
void wire_config(CLI::App&, Context&);
void wire_demo(CLI::App&, Context&);
void wire_complete(CLI::App&, Context&);
void wire_void(CLI::App&, Context&);
void wire_undo(CLI::App&, Context&);

namespace {

constexpr CommandSpec commands[] = {
    {"init", "Create the config (commented defaults) and the database; safe to run twice",
     wire_init},
    {"add", "Add a contact", wire_add},
    {"edit", "Change a contact, or a referral with --referral", wire_edit},
    {"archive", "Retire a contact (history is kept)", wire_archive},
    {"merge", "Merge a duplicate contact into another (history moves to KEEP)", wire_merge},
    {"refer", "Record a referral out (--to) or in (--from)", wire_refer},
    {"ack", "Record that a referral was acknowledged", wire_ack},
    {"status", "Move a referral through its lifecycle", wire_status},
    {"void", "Take a referral, touchpoint or event entered in error out of everything", wire_void},
    {"undo", "Take back what the last command changed (or change N); --dry-run shows it",
     wire_undo},
    {"followup", "Log a touchpoint, or plan one with --due", wire_followup},
    {"event", "Record an event and who was met there", wire_event},
    {"list", "List contacts, referrals, follow-ups or events", wire_list, true},
    {"show", "Show a contact card or a referral's timeline", wire_show, true},
    {"search", "Find contacts, referrals, follow-ups and events by the words in them", wire_search,
     true},
    {"report",
     "Reports: summary (the default), overdue, reciprocity, sources, trend, at-risk, "
     "closed-loop, turnaround, network",
     wire_report, true},
    {"import", "Bulk load contacts, referrals, touchpoints or events (csv, tsv, json, vCard)",
     wire_import},
    {"export", "Every record out: csv, tsv, json; vCard for contacts, iCalendar for follow-ups",
     wire_export, true},
    {"log", "Show the audit trail", wire_log, true},
    {"db", "The database file: where it is, check it, back it up, restore it", wire_db},
    {"config", "The effective configuration and where each value came from", wire_config},
    {"demo", "Fill a database with a realistic synthetic network", wire_demo},
    // Hidden (its wiring sets an empty group): live candidates for the shell completion scripts.
    {"__complete", "Print completion candidates: contacts, referrals, followups, events or keys",
     wire_complete},
};

std::string version_text() {
  return fmt::format("refnet {} ({})", refnet::version, store::engine_version());
}

// Control characters in user-supplied text must never reach the terminal raw.
void print_error(std::ostream& err, const std::string& what, const std::string& hint) {
  std::istringstream lines(what);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    err << (first ? "refnet: " : "  ") << output::sanitize_for_terminal(line) << '\n';
    first = false;
  }
  if (!hint.empty()) err << "hint: " << output::sanitize_for_terminal(hint) << '\n';
}

// The help of the subcommand the user was typing, for the hint after a usage error.
std::string help_hint(const CLI::App& app) {
  std::string path;
  const CLI::App* leaf = &app;
  while (true) {
    auto subs = leaf->get_subcommands();
    if (subs.empty()) break;
    leaf = subs.front();
    path += " " + leaf->get_name();
  }
  return fmt::format("see: refnet{} --help", path);
}

// Formats only some commands write: any other command refuses them with a usage error.
struct FormatUse {
  output::Format format;
  const char* command;  // the command that writes it: "export", "report network", ...
};
constexpr FormatUse format_uses[] = {
    {output::Format::vcf, "export"},
    {output::Format::ics, "export"},
    {output::Format::dot, "report network"},
    {output::Format::html, "report digest"},
};

void check_format_use(const CLI::App& app, Context& ctx) {
  if (ctx.global.format.empty()) return;
  const auto format = output::parse_format(ctx.global.format);
  if (!format) return;
  // The command as typed, subcommands included: "report network".
  std::string command;
  for (auto subs = app.get_subcommands(); !subs.empty(); subs = subs.front()->get_subcommands()) {
    command += (command.empty() ? "" : " ") + subs.front()->get_name();
  }
  std::string allowed;
  for (const auto& use : format_uses) {
    if (use.format != *format) continue;
    const std::string_view name = use.command;
    if (command == name || command.starts_with(std::string(name) + " ")) return;
    allowed += fmt::format("{}refnet {}", allowed.empty() ? "" : ", ", use.command);
  }
  if (allowed.empty()) return;
  throw Error(Exit::usage,
              fmt::format("--format {} is only for {}", output::to_string(*format), allowed),
              "use --format table, csv, tsv or json");
}

// The command the user was typing: the deepest subcommand parsed, and its path ("refnet list").
const CLI::App& typed_command(const CLI::App& app, std::vector<std::string>& path) {
  const CLI::App* leaf = &app;
  path.push_back(app.get_name());
  while (!leaf->get_subcommands().empty()) {
    leaf = leaf->get_subcommands().front();
    path.push_back(leaf->get_name());
  }
  return *leaf;
}

// Whether the option reads the next argument as its value (a flag does not: CLI11 expects 0 items).
bool takes_value(const CLI::Option& option) {
  return option.get_items_expected_max() > 0;
}

// "'refr' is not a refnet command", with the nearest command when one is near, and the list.
std::string not_a_command(const CLI::App& leaf, const std::string& command, const std::string& word,
                          const std::string& names) {
  std::vector<std::string> candidates;
  for (const auto* sub :
       leaf.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    candidates.push_back(sub->get_name());
    for (const auto& alias : sub->get_aliases()) candidates.push_back(alias);
  }
  if (const auto near = text::closest(word, candidates)) {
    return fmt::format("'{}' is not a {} command; did you mean '{}'? (one of: {})", word, command,
                       *near, names);
  }
  return fmt::format("'{}' is not a {} command; use one of: {}", word, command, names);
}

// CLI11 says only "A subcommand is required" both when none was given and when the word given is
// not one: name the word, and the commands that would do. nullopt when that is not the problem.
std::optional<std::string> missing_command(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> path;
  const CLI::App& leaf = typed_command(app, path);
  if (leaf.get_require_subcommand_min() == 0 || !leaf.get_subcommands().empty())
    return std::nullopt;
  std::string names;
  for (const auto* sub :
       leaf.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  // The first word after the command path that is neither an option nor an option's value.
  std::size_t matched = 1;  // path[0] is the program
  std::optional<std::string> word;
  for (int i = 1; i < argc && !word; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) {
      const auto* option = leaf.get_option_no_throw(arg);
      if (option == nullptr) option = app.get_option_no_throw(arg);
      if (option != nullptr && takes_value(*option) && arg.find('=') == std::string::npos) ++i;
    } else if (matched < path.size() && arg == path[matched]) {
      ++matched;
    } else if (matched == path.size()) {
      word = arg;
    }
  }
  std::string command;
  for (const auto& part : path) command += (command.empty() ? "" : " ") + part;
  if (word) return not_a_command(leaf, command, *word, names);
  return fmt::format("{} needs a command: {}", command, names);
}

// An option the typed command does not take, with the nearest one it does. The options of a
// command are its own and its parents' (refnet's global options, a report's period): CLI11 lets
// an option fall through to them. The first unknown one on the line, or nullopt.
std::optional<std::string> unknown_option(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> path;
  const CLI::App* leaf = &typed_command(app, path);
  std::vector<const CLI::App*> chain;
  for (const CLI::App* a = leaf; a != nullptr; a = a->get_parent()) chain.push_back(a);
  const auto find = [&](const std::string& name) -> const CLI::Option* {
    for (const auto* a : chain) {
      if (const auto* option = a->get_option_no_throw(name)) return option;
    }
    return nullptr;
  };
  std::vector<std::string> names;
  for (const auto* a : chain) {
    for (const auto* option : a->get_options()) {
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    }
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (!arg.starts_with("-") || arg == "-") continue;
    const std::string name = arg.substr(0, arg.find('='));
    // A negative number or a short option CLI11 knows (-h, -o) is not ours to judge.
    if (!name.starts_with("--")) {
      if (const auto* option = find(name); option && takes_value(*option) && name == arg) ++i;
      continue;
    }
    if (const auto* option = find(name)) {
      if (takes_value(*option) && name == arg) ++i;
      continue;
    }
    std::string command;
    for (const auto& part : path) command += (command.empty() ? "" : " ") + part;
    const auto near = text::closest(name, names);
    return near ? fmt::format("{} takes no option {}; did you mean {}?", command, name, *near)
                : fmt::format("{} takes no option {}", command, name);
  }
  return std::nullopt;
}

// What CLI11's "The following arguments were not expected: X" was: a word where the command
// takes a subcommand (`report overdu`), or one argument too many.
std::optional<std::string> unexpected_word(const CLI::App& app, const CLI::ParseError& e) {
  std::vector<std::string> path;
  const CLI::App& leaf = typed_command(app, path);
  const auto subs = leaf.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
  std::string command;
  for (const auto& part : path) command += (command.empty() ? "" : " ") + part;
  const std::string what = e.what();
  const auto colon = what.find(": ");
  if (colon == std::string::npos) return std::nullopt;
  std::string word = what.substr(colon + 2);
  word = word.substr(0, word.find(' '));
  if (subs.empty()) {
    return fmt::format("{} takes no argument '{}'", command, word);
  }
  std::string names;
  for (const auto* sub : subs) names += (names.empty() ? "" : ", ") + sub->get_name();
  return not_a_command(leaf, command, word, names);
}

// The command word of a command line: the first argument that is neither a global option nor a
// global option's value. Empty when there is none, or when an argument before it is not a global
// option (CLI11 then reports it, with every command wired).
std::string_view command_word(const CLI::App& app, std::span<const char* const> args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") return {};
    if (!arg.starts_with("-")) return arg;
    const auto equals = arg.find('=');
    const auto* option = app.get_option_no_throw(std::string(arg.substr(0, equals)));
    if (option == nullptr) return {};
    if (takes_value(*option) && equals == std::string_view::npos) ++i;
  }
  return {};
}

// CLI11's help lists a command's own options; a subcommand also takes its parents' (refnet's
// global options, a report's period), so its help lists those too, under "Also takes".
void add_inherited_help(CLI::App& command, std::vector<const CLI::Option*> inherited) {
  if (!inherited.empty()) {
    std::string text = "\nAlso takes:\n";
    for (const auto* option : inherited) {
      // A command's own option of the same name is the one that counts (report and its reports
      // each take -o).
      if (command.get_option_no_throw(option->get_name()) != nullptr) continue;
      std::string name = option->get_name(false, true);
      if (!option->get_type_name().empty()) name += " " + option->get_type_name();
      // Laid out as CLI11 lays out Options: a long name puts its description on the next line.
      text += name.size() <= 26
                  ? fmt::format("  {:<26}  {}\n", name, option->get_description())
                  : fmt::format("  {}\n  {:<26}  {}\n", name, "", option->get_description());
    }
    command.footer(text + command.get_footer());
  }
  std::vector<const CLI::Option*> below = inherited;
  for (const auto* option : command.get_options()) {
    if (option->get_name() != "--help" && option->get_name() != "--version") {
      below.push_back(option);
    }
  }
  for (auto* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    add_inherited_help(*sub, below);
  }
}

bool is_command(std::string_view word) {
  return std::ranges::any_of(commands, [word](const CommandSpec& c) { return word == c.name; });
}

}  // namespace

std::span<const CommandSpec> command_table() {
  return commands;
}

void build_app(CLI::App& app, Context& ctx, std::span<const char* const> args) {
  app.name("refnet");
  app.description(
      "Keep a physician's referral network in one local SQLite file or a shared PostgreSQL "
      "database.");
  app.set_version_flag("--version", version_text(), "Print the version and the SQLite version");
  app.fallthrough();
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default(false);
  auto& g = ctx.global;
  app.add_option("--db", g.db, "Database file (default: $REFNET_DB, config, XDG data home)")
      ->type_name("FILE");
  app.add_option("--config", g.config, "Config file (default: $REFNET_CONFIG, XDG config home)")
      ->type_name("FILE");
  app.add_option("--format", g.format,
                 "Output: table, csv, tsv or json (export: also vcf, ics; report network: also dot;"
                 " report digest: table, json or html)")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"table", "csv", "tsv", "json", "vcf", "ics", "dot", "html"},
                            CLI::ignore_case));
  app.add_flag("--no-header", g.no_header, "Leave out the header row of csv and tsv");
  app.add_option("--color", g.color, "Colour in tables: auto, always or never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--wide", g.wide,
               "Tables keep their full width at a terminal (free text is not cut to fit)");
  app.footer(
      "\nCONTACT is an id, a 10-digit NPI or part of a name. Run 'refnet COMMAND --help' for a"
      " command's options.\nExample:\n  refnet refer --from \"Ann Lee\" --patient MRN-1001"
      " --urgency urgent");
  // Wiring every command's options is a quarter of a short command's CPU time: wire only the one
  // typed, or all of them when the line names none (`refnet --help`, a typo, a bare `refnet`).
  const auto typed = command_word(app, args);
  const bool wire_all = !is_command(typed);
  for (const auto& command : commands) {
    auto* sub = app.add_subcommand(command.name, command.summary);
    if (wire_all || typed == command.name) command.wire(*sub, ctx);
    // refnet(1) FILES: the commands that only read never migrate the database.
    if (command.reads_only) sub->preparse_callback([&ctx](std::size_t) { ctx.reading = true; });
  }
  // Runs after parsing and before any command's callback, so a command that cannot write the
  // chosen format refuses before it changes anything.
  app.parse_complete_callback([&app, &ctx] {
    check_format_use(app, ctx);
    ctx.open_output();
  });
}

namespace {

// How many times in all a command is run while the database gives up its transaction.
constexpr int attempts = 3;

// Passes what is written on to another stream buffer, noting whether anything was: a command is
// run again only while it has printed nothing.
class NotingBuf final : public std::streambuf {
 public:
  explicit NotingBuf(std::streambuf* to) : to_(to) {}
  bool written() const { return written_; }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    written_ = written_ || n > 0;
    return to_->sputn(s, n);
  }
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    written_ = true;
    return to_->sputc(traits_type::to_char_type(c));
  }
  int sync() override { return to_->pubsync(); }

 private:
  std::streambuf* to_;
  bool written_ = false;
};

// One run of the command, the `attempt`th. Returns nullopt, having printed nothing, when the
// database gave up the command's transaction (store::retryable) and `again` says it may run once
// more.
std::optional<int> run_once(int argc, const char* const* argv, Context& ctx, int attempt,
                            const std::function<bool()>& again) {
  CLI::App app;
  try {
    build_app(app, ctx, std::span(argv, static_cast<std::size_t>(argc)));
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
      add_inherited_help(app, {});
      ctx.out << app.help();
      return 0;
    } catch (const CLI::CallForAllHelp&) {
      ctx.out << app.help("", CLI::AppFormatMode::All);
      return 0;
    } catch (const CLI::CallForVersion&) {
      ctx.out << version_text() << '\n';
      return 0;
    } catch (const CLI::ParseError& e) {
      // CLI11 throws help requests of a subcommand as CallForHelp from the subcommand's parse.
      if (e.get_name() == "CallForHelp") {
        return 0;
      }
      // A misspelt option first: it is often why something else seems missing or unexpected.
      auto said = unknown_option(app, argc, argv);
      std::string hint = help_hint(app);
      if (!said && e.get_name() == "RequiredError") {
        said = missing_command(app, argc, argv);
        const std::string_view what = e.what();
        if (!said && (what.starts_with("REFERRAL ") || what.starts_with("ID "))) {
          hint = "ids are typed without '#' (refnet ack 2): the shell takes #2 for a comment";
        }
      }
      // CLI11 names an ExtrasError after the command it came from; its exit code says what it is.
      if (!said && e.get_exit_code() == static_cast<int>(CLI::ExitCodes::ExtrasError)) {
        said = unexpected_word(app, e);
      }
      print_error(ctx.err, said.value_or(e.what()), hint);
      return static_cast<int>(Exit::usage);
    }
    ctx.commit_output();
    ctx.out.flush();
    return static_cast<int>(ctx.status);
  } catch (const Error& e) {
    ctx.out.flush();
    print_error(ctx.err, e.what(), e.hint());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    ctx.out.flush();
    const bool retryable = store::retryable(e);
    if (retryable && again()) return std::nullopt;
    if (auto error = store::as_error(e)) {
      const auto hint = retryable && attempt > 1
                            ? fmt::format("it was tried {} times; run the command again", attempt)
                            : error->hint();
      print_error(ctx.err, error->what(), hint);
      return static_cast<int>(error->code());
    }
    print_error(ctx.err, fmt::format("unexpected error: {}", e.what()), "");
    return static_cast<int>(Exit::io);
  }
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  NotingBuf out_buf(out.rdbuf());
  NotingBuf err_buf(err.rdbuf());
  std::ostream noted_out(&out_buf);
  std::ostream noted_err(&err_buf);
  // As the streams they stand for: std::cerr writes each message at once (unitbuf), after what
  // std::cout holds (tie), so a warning comes before the output that follows it.
  noted_out.flags(out.flags());
  noted_err.flags(err.flags());
  if (err.tie() == &out) noted_err.tie(&noted_out);
  for (int attempt = 1;; ++attempt) {
    Context ctx(noted_out, noted_err);
    const auto committed = store::Store::WriteTransaction::committed();
    // refnet(1) EXIT STATUS: run again only when the failed run left no trace a second one would
    // repeat: nothing printed, no input read that cannot be read again, nothing committed.
    const auto again = [&] {
      return attempt < attempts && !out_buf.written() && !err_buf.written() && !ctx.input_read &&
             store::Store::WriteTransaction::committed() == committed;
    };
    const auto status = run_once(argc, argv, ctx, attempt, again);
    if (!status) continue;
    noted_out.flush();
    noted_err.flush();
    // A failed write to standard output (a full disk, a closed pipe) is an I/O error.
    return noted_out ? *status : static_cast<int>(Exit::io);
  }
}

}  // namespace refnet::cli
