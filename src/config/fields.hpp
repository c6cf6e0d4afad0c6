// The Config member behind a dotted key, for the duration, integer and text keys.
#pragma once

#include <string_view>
#include <type_traits>

#include "config/config.hpp"

namespace refnet::config::detail {

// The Config member behind a duration key, or nullptr; `C` is Config or const Config.
template <class C>
auto duration_field(C& config, std::string_view key) -> decltype(&config.at_risk_recent) {
  static_assert(std::is_same_v<std::remove_const_t<C>, Config>);
  if (key == "sla.followup_after_referral") return &config.sla.followup_after_referral;
  if (key == "sla.followup_after_meeting") return &config.sla.followup_after_meeting;
  if (key == "sla.report_back_within") return &config.sla.report_back_within;
  if (key == "sla.keep_in_touch") return &config.sla.keep_in_touch;
  if (key == "sla.acknowledge.routine") return &config.sla.acknowledge_routine;
  if (key == "sla.acknowledge.urgent") return &config.sla.acknowledge_urgent;
  if (key == "sla.acknowledge.emergent") return &config.sla.acknowledge_emergent;
  if (key == "report.at_risk_recent") return &config.at_risk_recent;
  if (key == "report.at_risk_baseline") return &config.at_risk_baseline;
  if (key == "export.ics_keep_closed") return &config.ics_keep_closed;
  return nullptr;
}

// The Config member behind an integer key (the at-risk thresholds), or nullptr.
template <class C>
auto integer_field(C& config, std::string_view key) -> decltype(&config.at_risk_min_baseline) {
  static_assert(std::is_same_v<std::remove_const_t<C>, Config>);
  if (key == "report.at_risk_critical_drop") return &config.at_risk_critical_drop;
  if (key == "report.at_risk_high_drop") return &config.at_risk_high_drop;
  if (key == "report.at_risk_medium_drop") return &config.at_risk_medium_drop;
  if (key == "report.at_risk_min_baseline") return &config.at_risk_min_baseline;
  if (key == "report.closed_loop_target") return &config.closed_loop_target;
  return nullptr;
}

// The Config member behind a string key (practice.name, output.color, output.format,
// output.redact), or nullptr.
template <class C>
auto text_field(C& config, std::string_view key) -> decltype(&config.practice_name) {
  static_assert(std::is_same_v<std::remove_const_t<C>, Config>);
  if (key == "practice.name") return &config.practice_name;
  if (key == "output.color") return &config.output_color;
  if (key == "output.format") return &config.output_format;
  if (key == "output.redact") return &config.output_redact;
  return nullptr;
}

// The Config member behind a boolean key (output.wide), or nullptr.
template <class C>
auto boolean_field(C& config, std::string_view key) -> decltype(&config.output_wide) {
  static_assert(std::is_same_v<std::remove_const_t<C>, Config>);
  if (key == "output.wide") return &config.output_wide;
  return nullptr;
}

}  // namespace refnet::config::detail
