// The config file's location, ~ expansion, the effective values as text, and the default file.
#include "config/config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "fields.hpp"
#include "keys.hpp"

namespace refnet::config {

namespace {

namespace fs = std::filesystem;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// $HOME, else the password database, so cron jobs without HOME still find the files.
std::string home_folder() {
  std::string home = environment("HOME");
  if (!home.empty()) return home;
  if (const passwd* entry = getpwuid(getuid()); entry != nullptr && entry->pw_dir != nullptr) {
    home = entry->pw_dir;
  }
  return home;
}

std::string value_text(const Config& config, const detail::KeySpec& key) {
  const std::string name = detail::dotted(key);
  switch (key.kind) {
    case detail::Kind::path:
      return config.database_path.value_or("");
    case detail::Kind::busy_timeout:
      return detail::format_busy_timeout(config.busy_timeout);
    case detail::Kind::duration:
      return domain::format_duration(*detail::duration_field(config, name));
    case detail::Kind::holidays: {
      std::vector<std::string> dates;
      for (const auto& day : config.sla.calendar.holidays) {
        dates.push_back(detail::toml_quote(domain::format_date(day)));
      }
      return fmt::format("[{}]", fmt::join(dates, ", "));
    }
    case detail::Kind::text:
    case detail::Kind::when:
    case detail::Kind::format:
      return *detail::text_field(config, name);
    case detail::Kind::percent:
    case detail::Kind::count:
      return std::to_string(*detail::integer_field(config, name));
    case detail::Kind::boolean:
      return *detail::boolean_field(config, name) ? "true" : "false";
  }
  return {};
}

}  // namespace

fs::path config_file_path(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return *flag;
  if (std::string path = environment("REFNET_CONFIG"); !path.empty()) return path;
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (std::string xdg = environment("XDG_CONFIG_HOME"); !xdg.empty() && xdg.front() == '/') {
    return fs::path(xdg) / "refnet" / "config.toml";
  }
  return fs::path(home_folder()) / ".config" / "refnet" / "config.toml";
}

fs::path expand_home(const std::string& path) {
  if (path != "~" && !path.starts_with("~/")) return path;
  const std::string home = home_folder();
  if (home.empty()) return path;
  if (path == "~") return home;
  return fs::path(home) / path.substr(2);
}

namespace {

std::string lower_ascii(std::string_view text) {
  std::string out;
  for (const char c : text)
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  return out;
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// libpq's connection keywords (a "host=db dbname=refnet" string names a database, not a file).
constexpr std::string_view libpq_keywords[] = {"host",
                                               "hostaddr",
                                               "port",
                                               "dbname",
                                               "user",
                                               "password",
                                               "passfile",
                                               "service",
                                               "sslmode",
                                               "sslrootcert",
                                               "connect_timeout",
                                               "options",
                                               "application_name",
                                               "target_session_attrs"};

}  // namespace

std::optional<std::string> location_scheme(std::string_view location) {
  location = trim_spaces(location);
  const auto lower = lower_ascii(location);
  // PostgreSQL's own schemes, with or without the slashes.
  for (const std::string_view scheme : {"postgresql:", "postgres:"}) {
    if (lower.starts_with(scheme)) return std::string(scheme.substr(0, scheme.size() - 1));
  }
  // A libpq keyword/value string: its first word is a keyword and an "=".
  const auto equals = lower.find('=');
  if (equals != std::string::npos) {
    const auto key = trim_spaces(std::string_view(lower).substr(0, equals));
    for (const auto keyword : libpq_keywords) {
      if (key == keyword) return "postgresql";
    }
  }
  // RFC 3986: a letter, then letters, digits, "+", "-" and "."; here followed by "://".
  const auto end = lower.find("://");
  if (end == std::string::npos || end < 2) return std::nullopt;
  for (std::size_t i = 0; i < end; ++i) {
    const char c = lower[i];
    const bool letter = c >= 'a' && c <= 'z';
    const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!letter && (i == 0 || !other)) return std::nullopt;
  }
  return lower.substr(0, end);
}

bool location_has_password(std::string_view location) {
  const auto lower = lower_ascii(trim_spaces(location));
  // A keyword/value string's password=..., or a URL's ?password=... / &password=...
  for (std::size_t at = lower.find("password"); at != std::string::npos;
       at = lower.find("password", at + 1)) {
    const bool starts = at == 0 || lower[at - 1] == ' ' || lower[at - 1] == '?' ||
                        lower[at - 1] == '&' || lower[at - 1] == '\t';
    const auto rest = trim_spaces(std::string_view(lower).substr(at + 8));
    if (starts && rest.starts_with('=')) return true;
  }
  // A URL's user:password@host.
  const auto start = lower.find("://");
  const auto after = start == std::string::npos ? lower.find(':') : start + 2;
  if (after == std::string::npos) return false;
  auto rest = std::string_view(lower).substr(after + 1);
  while (rest.starts_with('/')) rest.remove_prefix(1);
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (authority.substr(0, at).find(':') != std::string_view::npos) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> entries(const Config& config) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(detail::keys.size());
  for (const auto& key : detail::keys)
    out.emplace_back(detail::dotted(key), value_text(config, key));
  return out;
}

std::string default_config_text() {
  const Config defaults;
  std::string text =
      "# refnet configuration (TOML), read by every refnet command.\n"
      "# Every key is shown commented out at its default: uncomment a line and change its\n"
      "# value to override it. Keys left commented keep refnet's defaults, also when a later\n"
      "# version changes them. Every key is described in refnet-config(5).\n"
      "#\n"
      "# Durations are a number and a unit: m (minutes), h (hours), d (days), w (weeks) or\n"
      "# bd (business days: Monday to Friday, minus the holidays in [calendar]).\n";
  std::string_view table;
  for (const auto& key : detail::keys) {
    if (key.table != table) {
      table = key.table;
      text += fmt::format("\n[{}]\n", table);
    }
    const std::string value = value_text(defaults, key);
    const bool quoted = key.kind != detail::Kind::holidays && key.kind != detail::Kind::percent &&
                        key.kind != detail::Kind::count && key.kind != detail::Kind::boolean;
    text += fmt::format("# {}\n# {} = {}\n", key.doc, key.name,
                        quoted ? detail::toml_quote(value) : value);
  }
  return text;
}

}  // namespace refnet::config
