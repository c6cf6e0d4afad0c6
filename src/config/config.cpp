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

std::optional<std::string> location_scheme(std::string_view location) {
  // RFC 3986: a letter, then letters, digits, "+", "-" and "."; here followed by "://".
  const auto end = location.find("://");
  if (end == std::string_view::npos || end < 2) return std::nullopt;
  std::string scheme;
  for (std::size_t i = 0; i < end; ++i) {
    const char c = location[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!letter && (i == 0 || !other)) return std::nullopt;
    scheme.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return scheme;
}

bool location_has_password(std::string_view location) {
  const auto start = location.find("://");
  if (start == std::string_view::npos) return false;
  const auto rest = location.substr(start + 3);
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (authority.substr(0, at).find(':') != std::string_view::npos) return true;
  }
  // libpq's keywords may come as query parameters: ?password=...
  if (const auto query = rest.find('?'); query != std::string_view::npos) {
    std::string lower;
    for (const char c : rest.substr(query)) {
      lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (lower.find("?password=") != std::string::npos ||
        lower.find("&password=") != std::string::npos) {
      return true;
    }
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
