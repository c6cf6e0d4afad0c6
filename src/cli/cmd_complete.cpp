// __complete WHAT [PREFIX]: candidates for the shell completion scripts, read live from the
// user's database and config (taskwarrior style). Hidden from --help; it never creates, migrates or
// writes the database, and prints nothing at all when anything goes wrong, since whatever it prints
// lands on the user's command line.
#include <fmt/format.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "domain/referral_status.hpp"
#include "domain/vocabulary.hpp"

namespace refnet::cli {

namespace {

// Enough to choose from in a terminal, few enough to stay instant on a large network.
constexpr int max_candidates = 200;

bool has_control(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

// A description must stay on its line and out of the value: control characters become spaces.
std::string plain(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  return out;
}

// One candidate a line; "VALUE<TAB>DESCRIPTION" where a description helps choose an id.
// Values that would break the line protocol (a newline in a name) are left out.
void add(std::string& out, std::string_view value, std::string_view description = {}) {
  if (value.empty() || has_control(value)) return;
  out += value;
  if (!description.empty()) {
    out += '\t';
    out += plain(description);
  }
  out += '\n';
}

std::string candidates(Context& ctx, std::string_view what, std::string_view prefix) {
  std::string out;
  if (what == "keys") {
    for (const auto& [key, value] : config::entries(ctx.config())) {
      if (key.starts_with(prefix)) add(out, key, value);
    }
    return out;
  }
  auto& store = ctx.store(store::Store::Open::read_only);
  if (what == "contacts") {
    for (const auto& name : store.contact_names(prefix, max_candidates)) add(out, name);
  } else if (what == "events") {
    for (const auto& name : store.event_names(prefix, max_candidates)) add(out, name);
  } else if (what == "referrals") {
    for (const auto id : store.open_referral_ids(max_candidates)) {
      const auto value = std::to_string(id);
      if (!value.starts_with(prefix)) continue;
      const auto r = store.referral(id);
      if (!r) continue;
      add(out, value,
          fmt::format("{} {}, {}, {}", r->direction == domain::Direction::in ? "from" : "to",
                      r->contact_name, r->patient, domain::to_string(r->status)));
    }
  } else if (what == "followups") {
    for (const auto id : store.open_followup_ids(max_candidates)) {
      const auto value = std::to_string(id);
      if (!value.starts_with(prefix)) continue;
      const auto t = store.touchpoint(id);
      if (!t || !t->due) continue;
      add(out, value,
          fmt::format("{} {}, due {}", t->via, t->contact_name, domain::format_local(*t->due)));
    }
  }
  return out;
}

}  // namespace

void wire_complete(CLI::App& sub, Context& ctx) {
  sub.group("");  // hidden: for the completion scripts, not for people
  auto what = std::make_shared<std::string>();
  auto prefix = std::make_shared<std::string>();
  sub.add_option("WHAT", *what, "contacts, referrals, followups, events or keys (config keys)");
  sub.add_option("PREFIX", *prefix, "Only candidates matching this (contacts, events: containing)");
  set_example(sub, "refnet __complete contacts 'Ann L'");
  sub.callback([what, prefix, &ctx] {
    std::string out;
    try {
      out = candidates(ctx, *what, *prefix);
    } catch (...) {  // a missing or locked database, a broken config: offer nothing, quietly
      return;
    }
    ctx.out << out;
  });
}

}  // namespace refnet::cli
