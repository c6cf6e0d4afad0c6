// Graphviz DOT written out: one digraph, nodes then edges, every string quoted and escaped.
#include "output/dot.hpp"

#include <fmt/format.h>

#include <ostream>

#include "detail.hpp"
#include "text/text.hpp"

namespace refnet::output {

namespace {

// The inside of a DOT quoted string. In a label a backslash starts an escape (\n, \l, \N, ...),
// so a literal one is doubled; a quote would end the string.
std::string escape(std::string_view raw) {
  const std::string text = text::valid_utf8(raw);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Label lines joined by DOT's centred line break.
std::string label_text(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += "\\n";
    out += escape(lines[i]);
  }
  out += '"';
  return out;
}

}  // namespace

std::string dot_quote(std::string_view text) {
  return "\"" + escape(text) + "\"";
}

void write_dot(std::ostream& out, const Graph& graph) {
  out << "digraph " << dot_quote(graph.name) << " {\n";
  out << "  graph [rankdir=LR, overlap=false, splines=true, fontname=\"Helvetica\"";
  if (!graph.label.empty()) out << ", labelloc=t, label=" << label_text(graph.label);
  out << "];\n";
  out << "  node [fontname=\"Helvetica\", fontsize=10];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n";
  for (const DotNode& node : graph.nodes) {
    out << "  " << dot_quote(node.id) << " [label="
        << label_text(node.label.empty() ? std::vector<std::string>{node.id} : node.label)
        << ", shape=" << dot_quote(node.shape);
    if (!node.fill.empty()) out << ", style=filled, fillcolor=" << dot_quote(node.fill);
    if (!node.tooltip.empty()) out << ", tooltip=" << dot_quote(node.tooltip);
    out << "];\n";
  }
  for (const DotEdge& edge : graph.edges) {
    out << "  " << dot_quote(edge.from) << " -> " << dot_quote(edge.to)
        << " [weight=" << edge.weight << fmt::format(", penwidth={:.2f}", edge.penwidth);
    if (!edge.label.empty()) out << ", label=" << dot_quote(edge.label);
    out << "];\n";
  }
  out << "}\n";
}

}  // namespace refnet::output
