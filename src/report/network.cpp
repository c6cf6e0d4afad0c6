// report network: the referral graph of the period, as an edge list or drawn by Graphviz
// (--format dot).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>

#include "cli/common.hpp"
#include "output/dot.hpp"
#include "report/report.hpp"

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

// The edges of the period: most referrals first, then by name, by id, in before out.
std::vector<store::NetworkEdge> edges(store::Store& store, const Period& period) {
  auto edges = store.network_edges(period.since, referral_end(period));
  std::sort(
      edges.begin(), edges.end(), [](const store::NetworkEdge& a, const store::NetworkEdge& b) {
        if (a.referrals != b.referrals) return a.referrals > b.referrals;
        if (const auto by_name = compare_names(a.contact_name, b.contact_name); by_name != 0) {
          return by_name < 0;
        }
        if (a.contact_id != b.contact_id) return a.contact_id < b.contact_id;
        return a.direction < b.direction;
      });
  return edges;
}

std::vector<output::Column> columns() {
  return {
      output::free_text({"source", "Source"}),
      output::free_text({"target", "Target"}),
      {"source_id", "Source ID", true, output::Tone::plain, false},
      {"target_id", "Target ID", true, output::Tone::plain, false},
      {"direction", "Dir"},
      {"referrals", "Referrals", true, output::Tone::bold},
  };
}

// The referral graph of the period. Its nodes are the practice ("us", labelled `practice`) and
// every contact with a referral; an edge points from who referred to who received, weighted by
// the number of referrals: contact -> us for inbound ones, us -> contact for outbound ones. As an
// edge list: source, target, their contact ids (null for us), direction and referrals. Returns
// the number of rows written.
std::size_t network(store::Store& store, const Period& period, std::string_view practice,
                    output::RowSink& sink) {
  const auto all = edges(store, period);
  sink.begin(columns());
  const output::Cell practice_cell = std::string(practice);
  const output::Cell none = std::monostate{};
  for (const auto& e : all) {
    const output::Cell contact = e.contact_name;
    const output::Cell contact_id = e.contact_id;
    if (e.direction == "in") {
      sink.row({{contact, practice_cell, contact_id, none, e.direction, e.referrals}});
    } else {
      sink.row({{practice_cell, contact, none, contact_id, e.direction, e.referrals}});
    }
  }
  sink.end();
  return all.size();
}

// As a graph for Graphviz: contacts labelled with name and specialty, shaped and coloured by
// role; edge thickness grows with the number of referrals.
output::Graph network_graph(store::Store& store, const Period& period, std::string_view practice) {
  output::Graph graph;
  graph.name = "referrals";
  graph.label = {fmt::format("Referral network of {}", practice), period_text(period)};
  graph.nodes.push_back({us, {std::string(practice)}, "doubleoctagon", "#ffd966", "us"});

  std::set<std::int64_t> seen;
  std::int64_t heaviest = 1;
  for (const auto& e : edges(store, period)) {
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
  }
  // From 1 point for a single referral to 6 for the heaviest edge.
  for (auto& edge : graph.edges) {
    edge.penwidth = 1.0 + 5.0 * static_cast<double>(edge.weight - 1) /
                              static_cast<double>(std::max<std::int64_t>(heaviest - 1, 1));
  }
  return graph;
}

}  // namespace

void wire_network(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  cli::set_example(sub, "refnet report network --format dot | dot -Tsvg > network.svg");
  sub.callback([options, &ctx] {
    const std::string& name = ctx.config().practice_name;
    const std::string practice = name.empty() ? "Our practice" : name;
    if (ctx.format() == output::Format::dot) {
      output::write_dot(ctx.out, network_graph(ctx.store(), period(ctx, *options), practice));
      return;
    }
    print_rows(
        ctx, *options,
        [&](const Period& p, output::RowSink& sink) {
          return network(ctx.store(), p, practice, sink);
        },
        "No referrals in the period.");
  });
}

}  // namespace refnet::report
