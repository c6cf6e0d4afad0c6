// libFuzzer target: the json reader behind `refnet import ... FILE.json` (src/io/json_reader.cpp)
// on arbitrary bytes, against nlohmann::json as an independent parser: when either says the
// bytes are an array of flat objects, the other must agree, value for value. The same bytes go
// through output::with_member_replaced, the rewriting of a flat object `log --redact` does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "io/reader.hpp"
#include "output/json_writer.hpp"
#include "text/text.hpp"

namespace {

using namespace refnet;
using Object = std::map<std::string, std::optional<std::string>>;

struct Read {
  bool syntax_error = false;
  bool record_problem = false;  // a nested value, a key given twice, bad UTF-8, a NUL
  std::vector<Object> objects;
};

// Every record the reader gives, checked for what every import relies on: records in file
// order, problems on real lines.
Read read_all(std::string_view bytes) {
  std::istringstream in{std::string(bytes)};
  const auto reader = io::make_reader(io::InputFormat::json, in);
  Read read;
  io::Record record;
  std::size_t last_line = 0;
  while (reader->next(record)) {
    if (record.line == 0 || record.line < last_line) std::abort();
    last_line = record.line;
    for (const auto& p : record.problems) {
      if (p.line == 0) std::abort();
      if (p.what.starts_with("not valid json")) {
        read.syntax_error = true;
      } else {
        read.record_problem = true;
      }
    }
    if (read.syntax_error) break;
    Object object;
    for (std::size_t i = 0; i < record.values.size(); ++i) {
      object[reader->columns().at(i)] = record.values[i];
    }
    read.objects.push_back(std::move(object));
  }
  if (reader->position() > bytes.size()) std::abort();
  return read;
}

// A value as the reader keeps it: strings as they are, numbers and literals as written, null as
// nothing. Numbers are compared by the double they name.
bool same(const nlohmann::json& value, const std::optional<std::string>& kept) {
  if (value.is_null()) return !kept;
  if (!kept) return false;
  if (value.is_string()) return value.get<std::string>() == *kept;
  if (value.is_boolean()) return *kept == (value.get<bool>() ? "true" : "false");
  if (value.is_number()) return std::strtod(kept->c_str(), nullptr) == value.get<double>();
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Read read = read_all(bytes);
  const auto oracle = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);

  // What nlohmann reads as an array of flat objects, the reader reads the same, unless a key is
  // given twice (nlohmann keeps the last; the reader reports it). nlohmann takes a NUL byte for
  // the end of its input, where json (and the reader) see a stray byte: such inputs are left out.
  const bool nul = bytes.find('\0') != std::string_view::npos;
  if (!nul && !oracle.is_discarded() && oracle.is_array()) {
    bool flat = true;
    for (const auto& object : oracle) {
      if (!object.is_object()) flat = false;
      for (const auto& [key, value] : object.items()) {
        if (value.is_structured()) flat = false;
      }
    }
    if (flat && !read.record_problem) {
      if (read.syntax_error || read.objects.size() != oracle.size()) std::abort();
      for (std::size_t i = 0; i < oracle.size(); ++i) {
        for (const auto& [key, value] : oracle[i].items()) {
          const auto found = read.objects[i].find(key);
          if (found == read.objects[i].end() || !same(value, found->second)) std::abort();
        }
        // A key the row does not have is null in every later row that names it.
        for (const auto& [key, kept] : read.objects[i]) {
          if (!oracle[i].contains(key) && kept) std::abort();
        }
      }
    }
  }

  // What the reader takes without a complaint, nlohmann takes too: the reader is no more lenient
  // than json. (An empty file is no rows to the reader and not json to nlohmann; bytes that are
  // not UTF-8 are a record's problem to the reader and not json to nlohmann.)
  std::string_view content = bytes;
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  const bool blank = text::trim(content).empty();
  if (!read.syntax_error && !read.record_problem && !blank && oracle.is_discarded()) std::abort();

  // with_member_replaced, how `log --redact` rewrites an audit snapshot: every flat object
  // nlohmann reads comes out as the same object with its "patient" string replaced, read back.
  if (!nul && !oracle.is_discarded() && oracle.is_object()) {
    bool flat = true;
    for (const auto& [key, value] : oracle.items()) {
      if (value.is_structured()) flat = false;
    }
    const auto pseudonym = [](std::string_view v) { return "P-" + std::to_string(v.size()); };
    const auto replaced = output::with_member_replaced(content, "patient", pseudonym);
    if (flat) {
      if (!replaced) std::abort();
      auto expected = oracle;
      if (expected.contains("patient") && expected["patient"].is_string()) {
        expected["patient"] = pseudonym(expected["patient"].get<std::string>());
      }
      const auto again = nlohmann::json::parse(*replaced, nullptr, false);
      if (again.is_discarded() || again != expected) std::abort();
    } else if (replaced) {
      std::abort();  // a nested value is refused, never passed on unredacted
    }
  }
  return 0;
}
