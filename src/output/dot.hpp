// Graphviz DOT for `report network`: its nodes, edges and graph, and writing them.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

// Graphviz DOT: the one output that is a graph, not rows, so it has its own small API instead of
// a RowSink. Only `report network` prints it.
namespace refnet::output {

struct DotNode {
  std::string id;                  // unique within the graph; written quoted, so any text works
  std::vector<std::string> label;  // lines of the label, shown centred one under another
  std::string shape = "ellipse";   // a Graphviz shape name: box, ellipse, hexagon, ...
  std::string fill;                // fill colour ("#dbe9f6"); empty means unfilled
  std::string tooltip;
};

struct DotEdge {
  std::string from, to;     // node ids
  std::int64_t weight = 1;  // layout weight: heavier edges are kept shorter and straighter
  double penwidth = 1;      // line thickness in points
  std::string label;
};

struct Graph {
  std::string name = "refnet";
  std::vector<std::string> label;  // the graph's caption lines; empty means none
  std::vector<DotNode> nodes;
  std::vector<DotEdge> edges;
};

// A directed graph: nodes first, then edges, every string quoted and escaped.
void write_dot(std::ostream& out, const Graph& graph);

// `text` as a DOT double-quoted string, quotes included: `"` and `\` are escaped, a line break
// becomes the centred-line escape \n (CR LF and a lone CR count as one), other control
// characters become spaces, and invalid UTF-8 is replaced with U+FFFD.
std::string dot_quote(std::string_view text);

}  // namespace refnet::output
