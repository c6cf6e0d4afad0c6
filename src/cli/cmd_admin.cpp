// init, db, config: where refnet keeps things and how it is set up.
#include <sys/stat.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "common.hpp"
#include "refnet/error.hpp"
#include "transfer.hpp"

namespace refnet::cli {

namespace fs = std::filesystem;

namespace {

void write_default_config(const fs::path& path) {
  std::error_code ec;
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path(), ec);
  if (ec) {
    throw Error(Exit::cant_create, fmt::format("cannot create folder {}: {}",
                                               path.parent_path().string(), ec.message()));
  }
  const auto temporary = path.string() + ".tmp";
  {
    std::ofstream file(temporary, std::ios::out | std::ios::trunc);
    file << config::default_config_text();
    file.close();
    if (!file) {
      throw Error(Exit::cant_create, fmt::format("cannot write {}: {}", temporary, std::strerror(errno)));
    }
  }
  fs::rename(temporary, path, ec);
  if (ec) {
    throw Error(Exit::cant_create, fmt::format("cannot write {}: {}", path.string(), ec.message()));
  }
}

}  // namespace

void wire_init(CLI::App& sub, Context& ctx) {
  set_example(sub, "refnet init\n  refnet --db ~/clinic/refnet.db init");
  sub.callback([&ctx] {
    const auto config_path = ctx.config_path();
    const bool had_config = fs::exists(config_path);
    if (!had_config) write_default_config(config_path);
    ctx.config();  // a broken existing config is reported before anything else is created
    const auto db_path = ctx.db_path();
    const bool had_db = fs::exists(db_path);
    auto& store = ctx.store(store::Store::Open::create);
    transfer::redaction_key(ctx);  // the per-database secret of `export --redact`
    if (ctx.format() == output::Format::table) {
      ctx.out << (had_config ? "Config:   " : "Wrote config:   ") << config_path.string()
              << (had_config ? " (left as it was)" : "") << '\n';
      ctx.out << (had_db ? "Database: " : "Created database: ") << db_path.string()
              << fmt::format(" (schema version {})", store.schema_version()) << '\n';
    } else {
      const std::vector<output::Column> columns{{"config", "Config"},
                                                {"config_created", "Config created"},
                                                {"database", "Database"},
                                                {"database_created", "Database created"},
                                                {"schema_version", "Schema version", true}};
      ctx.print_record(as_fields(columns, {config_path.string(), !had_config, db_path.string(),
                                           !had_db, static_cast<std::int64_t>(store.schema_version())}));
    }
  });
}

void wire_db(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  set_example(sub, "refnet db path");
  auto* path = sub.add_subcommand("path", "Print where the database file is");
  set_example(*path, "sqlite3 \"$(refnet db path)\" .tables");
  path->callback([&ctx] { ctx.out << ctx.db_path().string() << '\n'; });
}

void wire_config(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  set_example(sub, "refnet config show");

  auto* path = sub.add_subcommand("path", "Print where the config file is (or would be)");
  set_example(*path, "$EDITOR \"$(refnet config path)\"");
  path->callback([&ctx] { ctx.out << ctx.config_path().string() << '\n'; });

  auto* show = sub.add_subcommand("show", "Every key, its effective value, and where it came from");
  set_example(*show, "refnet config show --format json");
  show->callback([&ctx] {
    const auto& config = ctx.config();
    auto sink = ctx.sink();
    const std::vector<output::Column> columns{{"key", "Key"}, {"value", "Value"}, {"origin", "From"}};
    sink->begin(columns);
    for (const auto& [key, value] : config::entries(config)) {
      std::string shown = value;
      std::string origin = "default";
      if (auto it = config.origin.find(key); it != config.origin.end()) origin = it->second;
      if (key == "database.path") {
        shown = ctx.db_path().string();
        origin = ctx.db_path_origin();
      }
      sink->row(std::vector<output::Cell>{key, shown, origin});
    }
    sink->end();
  });

  auto* get = sub.add_subcommand("get", "Print one key's effective value");
  auto key = std::make_shared<std::string>();
  get->add_option("KEY", *key, "A dotted key, e.g. sla.acknowledge.routine")->required();
  set_example(*get, "refnet config get sla.keep_in_touch");
  get->callback([key, &ctx] {
    const auto& config = ctx.config();
    for (const auto& [name, value] : config::entries(config)) {
      if (name != *key) continue;
      ctx.out << (name == "database.path" ? ctx.db_path().string() : value) << '\n';
      return;
    }
    std::string keys;
    for (const auto& [name, value] : config::entries(config)) keys += (keys.empty() ? "" : ", ") + name;
    throw Error(Exit::usage, fmt::format("unknown config key '{}'", *key), "keys: " + keys);
  });
}

}  // namespace refnet::cli
