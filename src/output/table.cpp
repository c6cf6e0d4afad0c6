// Table output: aligned, coloured, terminal-safe rows held until end(), and the record card.
#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "detail.hpp"
#include "output/json_writer.hpp"
#include "output/sink.hpp"
#include "text/text.hpp"

namespace refnet::output {
namespace {

// One cell ready to print: terminal-safe text and its width in columns.
struct Shown {
  std::string text;
  std::size_t width = 0;
};

Shown show(std::string_view raw) {
  Shown shown{sanitize_for_terminal(raw), 0};
  shown.width = text::display_width(shown.text);
  return shown;
}

// Colour wraps the text only, and is reset right after it, so padding is never coloured.
void put_toned(std::ostream& out, const std::string& text, Tone tone, bool color) {
  if (!color || tone == Tone::plain || text.empty()) {
    out << text;
    return;
  }
  out << detail::sgr(tone) << text << detail::sgr_reset;
}

void put_spaces(std::ostream& out, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) out << ' ';
}

// A table must align, so it holds its rows until end(); tables are for people, who do not read a
// million rows (csv/json stream instead). Columns are two spaces apart, and a line never ends in
// whitespace: trailing empty cells and the last cell's padding are left out.
class TableSink final : public RowSink {
 public:
  TableSink(std::ostream& out, const Options& options)
      : out_(out),
        color_(options.color),
        utf8_(options.utf8),
        fit_width_(options.fit_width),
        wrap_(options.wrap) {}

  void begin(std::span<const Column> columns) override {
    width_ = columns.size();
    columns_.clear();
    shown_.clear();
    titles_.clear();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (!columns[i].in_table) continue;  // a csv/tsv/json-only column
      columns_.push_back(columns[i]);
      shown_.push_back(i);
      titles_.push_back(show(detail::table_title(columns[i])));
    }
  }

  void row(std::span<const Cell> cells) override { row(cells, Tone::plain); }

  void row(std::span<const Cell> cells, Tone tone) override {
    detail::check_row_width(cells.size(), width_);
    Row& added = rows_.emplace_back();
    added.tone = tone;
    for (const std::size_t i : shown_) added.cells.push_back(show(cell_text(cells[i], true)));
  }

  // No rows (or no column a table shows), no table: not even a header. Callers say "no contacts"
  // where that helps.
  void end() override {
    if (!rows_.empty() && !columns_.empty()) {
      std::vector<std::size_t> widths;
      for (std::size_t i = 0; i < columns_.size(); ++i) {
        std::size_t width = titles_[i].width;
        for (const Row& r : rows_) width = std::max(width, r.cells[i].width);
        widths.push_back(width);
      }
      if (fit_width_ > 0) fit(widths);
      put_line(titles_, widths, [](std::size_t) { return Tone::bold; });
      for (const Row& r : rows_) {
        const auto tone = [&](std::size_t i) {
          return r.tone != Tone::plain ? r.tone : columns_[i].tone;
        };
        put_line(r.cells, widths, tone);
        for (const auto& more : r.more) put_line(more, widths, tone);
      }
    }
    rows_.clear();
    out_.flush();
  }

 private:
  struct Row {
    std::vector<Shown> cells;
    std::vector<std::vector<Shown>> more;  // the lines folded text goes on to (Options::wrap)
    Tone tone = Tone::plain;
  };

  // Narrows the free-text columns, the widest first, until the table fits fit_width_ or each is
  // down to its title (and at least min_width, room for a word and the ellipsis); then cuts the
  // cells wider than their column.
  void fit(std::vector<std::size_t>& widths) {
    constexpr std::size_t min_width = 6;
    std::vector<std::size_t> natural = widths;
    // Folded text keeps its words whole where it can: a column narrows to its longest word.
    std::vector<std::size_t> floors(widths.size());
    for (std::size_t i = 0; i < widths.size(); ++i) {
      floors[i] = std::max(min_width, titles_[i].width);
      if (!wrap_ || !columns_[i].shrinks) continue;
      for (const Row& r : rows_) {
        const std::string_view cell = r.cells[i].text;
        for (std::size_t start = 0; start <= cell.size();) {
          const auto end = std::min(cell.find(' ', start), cell.size());
          floors[i] = std::max(floors[i], text::display_width(cell.substr(start, end - start)));
          start = end + 1;
        }
      }
      floors[i] = std::min(floors[i], natural[i]);
    }
    std::size_t total = 2 * (widths.size() - 1);
    for (const auto w : widths) total += w;
    // A word too long for the room left (a name without spaces) gives way: fold() breaks it.
    std::size_t least = 2 * (widths.size() - 1);
    for (std::size_t i = 0; i < widths.size(); ++i)
      least += columns_[i].shrinks ? floors[i] : widths[i];
    while (least > fit_width_) {
      std::size_t widest = widths.size();
      for (std::size_t i = 0; i < widths.size(); ++i) {
        if (!columns_[i].shrinks || floors[i] <= std::max(min_width, titles_[i].width)) continue;
        if (widest == widths.size() || floors[i] > floors[widest]) widest = i;
      }
      if (widest == widths.size()) break;
      --floors[widest];
      --least;
    }
    while (total > fit_width_) {
      std::size_t widest = widths.size();
      for (std::size_t i = 0; i < widths.size(); ++i) {
        const std::size_t floor = floors[i];
        if (!columns_[i].shrinks || widths[i] <= floor) continue;
        if (widest == widths.size() || widths[i] > widths[widest]) widest = i;
      }
      if (widest == widths.size()) break;  // nothing left to narrow
      --widths[widest];
      --total;
    }
    // Still too wide: the columns that may go, the rightmost first; else the table stays wider.
    for (std::size_t i = widths.size(); i-- > 0 && total > fit_width_;) {
      if (!columns_[i].drops) continue;
      total -= widths[i] + 2;
      columns_.erase(columns_.begin() + static_cast<std::ptrdiff_t>(i));
      titles_.erase(titles_.begin() + static_cast<std::ptrdiff_t>(i));
      widths.erase(widths.begin() + static_cast<std::ptrdiff_t>(i));
      natural.erase(natural.begin() + static_cast<std::ptrdiff_t>(i));
      for (Row& r : rows_) r.cells.erase(r.cells.begin() + static_cast<std::ptrdiff_t>(i));
    }
    // The room a column left behind goes back to the narrowed ones, the narrowest first.
    while (total < fit_width_) {
      std::size_t narrowest = widths.size();
      for (std::size_t i = 0; i < widths.size(); ++i) {
        if (widths[i] >= natural[i]) continue;
        if (narrowest == widths.size() || widths[i] < widths[narrowest]) narrowest = i;
      }
      if (narrowest == widths.size()) break;
      ++widths[narrowest];
      ++total;
    }
    const std::string_view ellipsis = utf8_ ? "\u2026" : "...";
    const std::size_t ellipsis_width = utf8_ ? 1 : 3;
    for (Row& r : rows_) {
      for (std::size_t i = 0; i < widths.size(); ++i) {
        Shown& cell = r.cells[i];
        if (cell.width <= widths[i]) continue;
        if (wrap_ && columns_[i].shrinks) {
          auto lines = text::fold(cell.text, widths[i]);
          if (r.more.size() + 1 < lines.size()) {
            r.more.resize(lines.size() - 1, std::vector<Shown>(widths.size()));
          }
          for (std::size_t k = 1; k < lines.size(); ++k) {
            r.more[k - 1][i] = Shown{lines[k], text::display_width(lines[k])};
          }
          cell = Shown{lines[0], text::display_width(lines[0])};
          continue;
        }
        std::string cut(text::fit_width(cell.text, widths[i] - ellipsis_width));
        cut += ellipsis;
        cell.width = text::display_width(cut);
        cell.text = std::move(cut);
      }
    }
  }

  template <class ToneOf>
  void put_line(const std::vector<Shown>& cells, const std::vector<std::size_t>& widths,
                ToneOf tone_of) {
    std::size_t count = cells.size();
    while (count > 0 && cells[count - 1].text.empty()) --count;
    for (std::size_t i = 0; i < count; ++i) {
      if (i > 0) out_ << "  ";
      const std::size_t pad = widths[i] - cells[i].width;
      if (columns_[i].right_align) put_spaces(out_, pad);
      put_toned(out_, cells[i].text, tone_of(i), color_);
      if (!columns_[i].right_align && i + 1 < count) put_spaces(out_, pad);
    }
    out_ << '\n';
  }

  std::ostream& out_;
  bool color_;
  bool utf8_;
  std::size_t fit_width_;
  bool wrap_;
  std::size_t width_ = 0;           // cells per row, shown or not
  std::vector<Column> columns_;     // the columns a table shows
  std::vector<std::size_t> shown_;  // their indices in the row
  std::vector<Shown> titles_;
  std::vector<Row> rows_;
};

}  // namespace

namespace detail {

std::unique_ptr<RowSink> make_table_sink(std::ostream& out, const Options& options) {
  return std::make_unique<TableSink>(out, options);
}

void write_record_card(std::ostream& out, std::span<const Field> fields, const Options& options) {
  // Column::in_table holds here too: a field kept out of tables is kept out of the card.
  std::vector<const Field*> shown;
  std::vector<Shown> labels;
  std::size_t label_width = 0;
  for (const Field& field : fields) {
    if (!field.column.in_table) continue;
    shown.push_back(&field);
    labels.push_back(show(record_title(field.column) + ":"));
    label_width = std::max(label_width, labels.back().width);
  }
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const Shown value = show(cell_text(shown[i]->cell, true));
    put_toned(out, labels[i].text, Tone::bold, options.color);
    if (!value.text.empty()) {
      put_spaces(out, label_width - labels[i].width + 2);
      put_toned(out, value.text, shown[i]->column.tone, options.color);
    }
    out << '\n';
  }
  out.flush();
}

}  // namespace detail
}  // namespace refnet::output
