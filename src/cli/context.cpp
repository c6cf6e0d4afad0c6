// Context: where the config and database are, and the store, clock and output made on first use.
#include "cli/context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <ostream>

#include "error.hpp"

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

fs::path Context::config_path() {
  return config::config_file_path(global.config.empty() ? std::nullopt
                                                        : std::optional(global.config));
}

const config::Config& Context::config() {
  if (!config_) config_ = config::load(config_path());
  return *config_;
}

fs::path Context::db_path() {
  if (!global.db.empty()) return config::expand_home(global.db);
  if (auto db = env("REFNET_DB")) return config::expand_home(*db);
  if (config().database_path) return config::expand_home(*config().database_path);
  if (auto data = env("XDG_DATA_HOME"); data && fs::path(*data).is_absolute()) {
    return fs::path(*data) / "refnet" / "refnet.db";
  }
  return config::expand_home("~/.local/share/refnet/refnet.db");
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
  if (!store_) store_ = store::open(db_path(), config().busy_timeout, mode);
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
  options.color = format() == output::Format::table &&
                  output::decide_color(global.color, config().output_color);
  options.utf8 = output::locale_is_utf8();
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
