#include "report/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "report/window.hpp"

namespace refnet::report {

namespace {

constexpr const char* us = "us";

struct RoleStyle {
  std::string_view role;
  const char* shape;
  const char* fill;
};

// One look tells a PCP from a specialist: shape and colour by role.
constexpr RoleStyle role_styles[] = {
    {"pcp", "ellipse", "#cfe2f3"},    {"specialist", "box", "#d9ead3"},
    {"allied", "hexagon", "#fff2cc"}, {"facility", "house", "#ead1dc"},
    {"other", "octagon", "#eeeeee"},
};

const RoleStyle& style_of(std::string_view role) {
  for (const auto& style : role_styles) {
    if (style.role == role) return style;
  }
  return role_styles[std::size(role_styles) - 1];
}

std::string contact_node(std::int64_t id) {
  return fmt::format("c{}", id);
}

// "2026-01-01 to 2026-11-27": the referral dates the graph covers, as local days.
std::string period_text(const Period& period) {
  const auto last = referral_end(period) - std::chrono::seconds(1);
  if (!period.since) return fmt::format("referrals up to {}", domain::format_local_date(last));
  return fmt::format("referrals {} to {}", domain::format_local_date(*period.since),
                     domain::format_local_date(last));
}

}  // namespace

std::vector<output::Column> network_columns() {
  return {
      {"source", "Source"},
      {"target", "Target"},
      {"source_id", "Source ID", true, output::Tone::plain, false},
      {"target_id", "Target ID", true, output::Tone::plain, false},
      {"direction", "Dir"},
      {"referrals", "Referrals", true, output::Tone::bold},
  };
}

std::size_t network(store::Store& store, const Period& period, std::string_view practice,
                    output::RowSink& sink) {
  sink.begin(network_columns());
  std::size_t rows = 0;
  const output::Cell practice_cell = std::string(practice);
  store.each_network_edge(period.since, referral_end(period), [&](const store::NetworkEdge& e) {
    const output::Cell contact = e.contact_name;
    const output::Cell contact_id = e.contact_id;
    const output::Cell none = std::monostate{};
    if (e.direction == "in") {
      sink.row({{contact, practice_cell, contact_id, none, e.direction, e.referrals}});
    } else {
      sink.row({{practice_cell, contact, none, contact_id, e.direction, e.referrals}});
    }
    ++rows;
  });
  sink.end();
  return rows;
}

output::Graph network_graph(store::Store& store, const Period& period, std::string_view practice) {
  output::Graph graph;
  graph.name = "referrals";
  graph.label = {fmt::format("Referral network of {}", practice), period_text(period)};
  graph.nodes.push_back({us, {std::string(practice)}, "doubleoctagon", "#ffd966", "us"});

  std::set<std::int64_t> seen;
  std::int64_t heaviest = 1;
  store.each_network_edge(period.since, referral_end(period), [&](const store::NetworkEdge& e) {
    if (seen.insert(e.contact_id).second) {
      const RoleStyle& style = style_of(e.role);
      std::vector<std::string> label{e.contact_name};
      if (e.specialty) label.push_back(*e.specialty);
      graph.nodes.push_back({contact_node(e.contact_id), std::move(label), style.shape, style.fill,
                             fmt::format("#{} {}", e.contact_id, e.role)});
    }
    output::DotEdge edge;
    edge.from = e.direction == "in" ? contact_node(e.contact_id) : us;
    edge.to = e.direction == "in" ? us : contact_node(e.contact_id);
    edge.weight = e.referrals;
    edge.label = std::to_string(e.referrals);
    heaviest = std::max(heaviest, e.referrals);
    graph.edges.push_back(std::move(edge));
  });
  // From 1 point for a single referral to 6 for the heaviest edge.
  for (auto& edge : graph.edges) {
    edge.penwidth = 1.0 + 5.0 * static_cast<double>(edge.weight - 1) /
                              static_cast<double>(std::max<std::int64_t>(heaviest - 1, 1));
  }
  return graph;
}

}  // namespace refnet::report
