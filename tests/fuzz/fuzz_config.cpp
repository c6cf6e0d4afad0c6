// libFuzzer target: the config loader (src/config/) on arbitrary file contents: TOML syntax, key
// and type checks, and the rules between keys.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.hpp"
#include "error.hpp"

using namespace refnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const config::Config c = config::parse(text, "config.toml");
    // A file that loads keeps the promises of refnet-config(5).
    if (c.at_risk_medium_drop > c.at_risk_high_drop ||
        c.at_risk_high_drop > c.at_risk_critical_drop || c.at_risk_min_baseline < 1 ||
        c.busy_timeout.count() < 0) {
      std::abort();
    }
    for (const auto& day : c.sla.calendar.holidays) {
      if (!day.ok()) std::abort();
    }
    config::entries(c);
  } catch (const Error& e) {
    // Every problem is a config error that says where it is.
    if (e.code() != Exit::config || !std::string_view(e.what()).starts_with("config.toml:")) {
      std::abort();
    }
  }
  return 0;
}
