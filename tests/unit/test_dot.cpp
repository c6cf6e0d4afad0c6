// The Graphviz writer: quoting that no name can break out of, and the shape of a graph.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "error.hpp"
#include "output/dot.hpp"
#include "output/sink.hpp"

using namespace refnet::output;

TEST_CASE("dot_quote escapes quotes and backslashes and keeps UTF-8") {
  CHECK(dot_quote("Ann Lee") == R"("Ann Lee")");
  CHECK(dot_quote("") == R"("")");
  CHECK(dot_quote(R"(Dr. "Bo" Lee)") == R"("Dr. \"Bo\" Lee")");
  // A lone backslash would start a label escape such as \N (the node's name).
  CHECK(dot_quote(R"(C:\N)") == R"("C:\\N")");
  CHECK(dot_quote(R"(\")") == R"("\\\"")");
  CHECK(dot_quote("Zoë Müller 医院") == "\"Zoë Müller 医院\"");
}

TEST_CASE("dot_quote turns line breaks into \\n and other controls into spaces") {
  CHECK(dot_quote("a\nb") == R"("a\nb")");
  CHECK(dot_quote("a\r\nb") == R"("a\nb")");
  CHECK(dot_quote("a\rb") == R"("a\nb")");
  CHECK(dot_quote("a\tb\x1b[31m") == R"("a b [31m")");
  CHECK(dot_quote("bad \xff byte") == "\"bad \xEF\xBF\xBD byte\"");
}

TEST_CASE("write_dot writes nodes, then edges, all quoted") {
  Graph graph;
  graph.name = "referrals";
  graph.label = {"Referral network", "2026"};
  graph.nodes.push_back({"us", {"Our \"best\" practice"}, "doubleoctagon", "#ffd966", ""});
  graph.nodes.push_back({"c7", {"Ann Lee", "Cardiology"}, "box", "", "#7 specialist"});
  graph.edges.push_back({"c7", "us", 3, 2.5, "3"});
  std::ostringstream out;
  write_dot(out, graph);
  const std::string text = out.str();
  CHECK(text.starts_with("digraph \"referrals\" {\n"));
  CHECK(text.ends_with("}\n"));
  CHECK(text.find(R"(labelloc=t, label="Referral network\n2026")") != std::string::npos);
  CHECK(
      text.find(
          R"(  "us" [label="Our \"best\" practice", shape="doubleoctagon", style=filled, fillcolor="#ffd966"];)") !=
      std::string::npos);
  CHECK(
      text.find(R"(  "c7" [label="Ann Lee\nCardiology", shape="box", tooltip="#7 specialist"];)") !=
      std::string::npos);
  CHECK(text.find(R"(  "c7" -> "us" [weight=3, penwidth=2.50, label="3"];)") != std::string::npos);
  CHECK(text.find("\"c7\" [") < text.find("->"));
}

TEST_CASE("a graph with no edges is still a graph") {
  Graph graph;
  std::ostringstream out;
  write_dot(out, graph);
  CHECK(out.str().starts_with("digraph \"refnet\" {\n"));
  CHECK(out.str().find("->") == std::string::npos);
}

TEST_CASE("dot is a format name, but not one a row sink can write") {
  CHECK(parse_format("dot") == Format::dot);
  CHECK(parse_format("DOT") == Format::dot);
  CHECK(to_string(Format::dot) == "dot");
  std::ostringstream out;
  CHECK_THROWS_AS(make_sink(Format::dot, out, {}), refnet::Error);
}
