// The effective configuration (refnet-config(5)): where its file is, loading it, its default text.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/sla.hpp"
#include "domain/time.hpp"

namespace refnet::config {

// The effective configuration: every key has a value (its default unless the file set it).
struct Config {
  // database.path as written in the file (a leading ~ is the home folder); unset means the XDG
  // default, $XDG_DATA_HOME/refnet/refnet.db.
  std::optional<std::string> database_path;
  std::chrono::milliseconds busy_timeout{5000};
  std::string practice_name;
  domain::ServiceLevels sla;
  domain::Duration at_risk_recent{90, domain::Duration::Unit::days};
  domain::Duration at_risk_baseline{365, domain::Duration::Unit::days};
  // The at-risk grades, as a referrer's drop in percent below its expected recent volume; a
  // 100% drop is silence. medium <= high <= critical.
  int at_risk_critical_drop = 100;
  int at_risk_high_drop = 60;
  int at_risk_medium_drop = 30;
  // Fewer baseline referrals than this and a referrer is not judged yet.
  int at_risk_min_baseline = 3;
  // The closed-loop rate in percent the digest holds the practice to (refnet(1) report digest).
  int closed_loop_target = 80;
  std::string output_color = "auto";    // auto | always | never
  std::string output_redact = "never";  // auto | always | never
  std::string output_format = "table";
  bool output_wide = false;  // tables keep their full width at a terminal too
  // How long a closed follow-up stays in an iCalendar export, so calendars drop it.
  domain::Duration ics_keep_closed{30, domain::Duration::Unit::days};

  // Where the file was looked for, and whether it existed.
  std::filesystem::path file;
  bool file_exists = false;
  // For each dotted key the file set: "FILE:LINE:COLUMN". Keys not here are defaults.
  std::map<std::string, std::string> origin;
};

// The config file to read: --config, else $REFNET_CONFIG, else $XDG_CONFIG_HOME/refnet/config.toml,
// else ~/.config/refnet/config.toml.
std::filesystem::path config_file_path(const std::optional<std::string>& flag);

// Reads `path` (missing is fine: all defaults). Throws Error(config) for a TOML syntax error,
// a wrong type, a bad value or an unknown key, always as "FILE:LINE:COLUMN: key 'x': problem".
Config load(const std::filesystem::path& path);
// The checks of load() on a config file's text already read; `path` names it in messages.
Config parse(std::string_view text, const std::filesystem::path& path);

// The commented config file `refnet init` writes: every key, commented out at its default, with
// a line saying what it does, so later defaults still apply until the user uncomments a key.
std::string default_config_text();

// Every key with its effective value as text, in file order: {"sla.acknowledge.routine", "2bd"}.
// database.path is "" when unset.
std::vector<std::pair<std::string, std::string>> entries(const Config& config);

// "~/x" → "$HOME/x"; anything else unchanged.
std::filesystem::path expand_home(const std::string& path);

// A database location that names a server's database rather than a file: its scheme, lower
// case: "postgresql" for "postgresql:..." or "postgres:..." (slashes or not, spaces around
// aside) and for a libpq keyword/value string ("host=db dbname=refnet"), else SCHEME for
// "SCHEME://..."; nullopt for a path (a Windows drive letter or "postgresql/x" is a path).
std::optional<std::string> location_scheme(std::string_view location);
// Whether such a location carries a password ("postgresql://ann:secret@host/db", a
// ?password=... parameter, or a keyword/value string's password=...).
bool location_has_password(std::string_view location);

}  // namespace refnet::config
