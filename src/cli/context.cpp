// Context: where the config and database are, and the store, clock and output made on first use.
#include "cli/context.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "error.hpp"
#include "io/private_file.hpp"

namespace refnet::cli {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace

Context::Context(std::ostream& out_stream, std::ostream& err_stream)
    : out(out_stream), err(err_stream) {}

Context::~Context() {
  if (saved_out_ != nullptr) out.rdbuf(saved_out_);  // the file, if not committed, is dropped
}

bool Context::redacting() {
  if (output.redact) return true;
  if (output.no_redact) return false;
  const auto& when = config().output_redact;
  if (when == "always") return true;
  if (when == "auto") return writes_file() || ::isatty(STDOUT_FILENO) == 0;
  return false;
}

void Context::open_output() {
  if (output.file.empty() || output_file_) return;
  const auto target = config::expand_home(output.file);
  // The database and SQLite's files beside it, whether they exist now or not (a -wal file
  // appears with the next write): by the file itself, and by name.
  const auto db = db_path().string();
  std::error_code ec;
  const auto named = fs::weakly_canonical(target, ec);
  for (const auto& own : {db, db + "-wal", db + "-shm", db + "-journal"}) {
    std::error_code ec_own;
    const bool same_name = !ec && named == fs::weakly_canonical(own, ec_own) && !ec_own;
    if (same_name || fs::equivalent(target, own, ec_own)) {
      throw Error(Exit::cant_create,
                  fmt::format("{} is the database itself; -o never replaces it", target.string()),
                  "name another file, or make a copy with: refnet db backup FILE");
    }
  }
  // Replaced whole, never left half written: a command that fails keeps the previous file.
  output_file_ = std::make_unique<io::PrivateFile>(target);
  saved_out_ = out.rdbuf(output_file_->stream().rdbuf());
}

void Context::commit_output() {
  if (!output_file_) return;
  out.flush();
  out.rdbuf(saved_out_);
  saved_out_ = nullptr;
  output_file_->commit();
  output_file_.reset();
}

fs::path Context::config_path() {
  return config::config_file_path(global.config.empty() ? std::nullopt
                                                        : std::optional(global.config));
}

const config::Config& Context::config() {
  if (!config_) {
    const auto path = config_path();
    config_ = config::load(path);
    warn_if_shared(path);
  }
  return *config_;
}

void Context::warn_if_shared(const fs::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return;
  if ((info.st_mode & 077) == 0) return;
  if (std::find(warned_.begin(), warned_.end(), file) != warned_.end()) return;
  warned_.push_back(file);
  err << fmt::format(
      "refnet: warning: {} is open to other users (mode {:04o}); make it private with: "
      "chmod 600 {}\n",
      file.string(), info.st_mode & 07777, file.string());
}

std::optional<std::string> Context::given_location() {
  if (!global.db.empty()) return global.db;
  if (auto db = env("REFNET_DB")) return db;
  if (config().database_path) return *config().database_path;
  return std::nullopt;
}

std::optional<std::string> Context::db_server() {
  const auto given = given_location();
  if (!given) return std::nullopt;
  check_location(*given);
  if (config::location_scheme(*given)) return *given;
  return std::nullopt;
}

fs::path Context::db_path() {
  if (const auto given = given_location()) {
    check_location(*given);
    // A PostgreSQL location stands as it is written: what `db path` shows.
    if (config::location_scheme(*given)) return fs::path(*given);
    return config::expand_home(*given);
  }
  if (auto data = env("XDG_DATA_HOME"); data && fs::path(*data).is_absolute()) {
    return fs::path(*data) / "refnet" / "refnet.db";
  }
  return config::expand_home("~/.local/share/refnet/refnet.db");
}

void Context::check_location(std::string_view location) {
  if (!config::location_scheme(location)) return;
  check_location(location, db_path_origin());
}

void Context::check_location(std::string_view location, std::string_view origin) {
  const auto scheme = config::location_scheme(location);
  if (!scheme) return;
  // Named on a command line, it is a usage error; from REFNET_DB or the config, a configuration
  // one. The URL itself is never repeated: it may hold a password.
  const Exit code = origin.starts_with("--") ? Exit::usage : Exit::config;
  if (config::location_has_password(location)) {
    throw Error(code,
                fmt::format("the database URL from {} holds a password; refnet never takes one "
                            "there, where other users can read it",
                            origin),
                "keep it in ~/.pgpass (or PGPASSFILE), PGPASSWORD or a service file (PGSERVICE)");
  }
  if (*scheme == "postgresql" || *scheme == "postgres") return;
  throw Error(code,
              fmt::format("the database from {} is a {} URL; refnet's database is a file or a "
                          "PostgreSQL database (postgresql://...)",
                          origin, *scheme),
              "give a file path or a postgresql:// URL, or leave --db, REFNET_DB and "
              "database.path unset for the default file");
}

std::unique_ptr<store::Store> Context::open_other(const std::string& location,
                                                  std::string_view option,
                                                  store::Store::Open mode) {
  check_location(location, option);
  if (config::location_scheme(location)) {
    return store::open_server(location, config().busy_timeout, mode);
  }
  return store::open(config::expand_home(location), config().busy_timeout, mode);
}

std::string Context::db_path_origin() {
  if (!global.db.empty()) return "--db";
  if (env("REFNET_DB")) return "REFNET_DB";
  if (config().database_path) {
    auto it = config().origin.find("database.path");
    return it == config().origin.end() ? "config" : it->second;
  }
  if (auto data = env("XDG_DATA_HOME"); data && fs::path(*data).is_absolute()) {
    return "XDG_DATA_HOME";
  }
  return "default";
}

store::Store& Context::store(store::Store::Open mode) {
  // A wrong REFNET_NOW is refused before the database is touched, also by commands that happen
  // not to read the clock, so it never goes unnoticed until a date is needed.
  now();
  if (!store_) {
    if (reading && mode == store::Store::Open::existing) mode = store::Store::Open::reading;
    if (const auto server = db_server()) {
      store_ = store::open_server(*server, config().busy_timeout, mode);
    } else {
      store_ = store::open(db_path(), config().busy_timeout, mode);
      warn_if_shared(db_path());
    }
  }
  return *store_;
}

domain::Timestamp Context::now() {
  if (!now_) now_ = domain::current_time();
  return *now_;
}

std::string Context::actor() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  if (auto user = env("USER")) return *user;
  return "uid " + std::to_string(::geteuid());
}

output::Format Context::format() {
  const std::string& text = global.format.empty() ? config().output_format : global.format;
  auto format = output::parse_format(text);
  if (!format) {
    throw Error(Exit::usage, "invalid --format '" + text + "'",
                "use one of: table, csv, tsv, json");
  }
  return *format;
}

output::Options Context::output_options() {
  output::Options options;
  options.header = !global.no_header;
  // A file is not a terminal: a table in it is coloured only when asked for on the command line.
  options.color = format() == output::Format::table &&
                  (writes_file() ? global.color == "always"
                                 : output::decide_color(global.color, config().output_color));
  options.utf8 = output::locale_is_utf8();
  // A table people read at a terminal fits it; one written to a file or a pipe keeps every byte.
  if (format() == output::Format::table && !writes_file() && !global.wide &&
      !config().output_wide) {
    options.fit_width = output::terminal_columns();
  }
  return options;
}

std::unique_ptr<output::RowSink> Context::sink() {
  return output::make_sink(format(), out, output_options());
}

void Context::print_record(std::span<const output::Field> fields) {
  auto options = output_options();
  options.single_object = true;
  output::write_record(format(), out, fields, options);
}

}  // namespace refnet::cli
