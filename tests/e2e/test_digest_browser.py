"""report digest --format html in a real browser: headless Chromium draws the page at desktop and
phone width, and the page is checked as a mail client would get it: strict HTML5, charts that are
SVG, nothing that leads outside the page, and the same figures as the json digest."""

import os
import re
import shutil
import struct
import subprocess
import unittest
import xml.etree.ElementTree as ET
import zlib

from refnet_e2e import RefnetCase
from test_report_digest import build_network

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

try:
    import html5lib
except ImportError:  # CI installs python3-html5lib (.ci/deps); the tests below say so
    html5lib = None


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG, with its filters
    undone: the standard library's zlib is all it takes."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                nearest = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + nearest) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def non_white(channels, rows):
    count = 0
    for line in rows:
        for x in range(0, len(line), channels):
            if min(line[x:x + 3]) < 235:
                count += 1
    return count


def text_of(element):
    return "".join(element.itertext()).strip()


def as_shown(value):
    """A json value as the page shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value):
        return value[:16].replace("T", " ")  # TZ=UTC: local time is UTC
    return str(value)


@unittest.skipIf(CHROMIUM is None, "chromium is not installed (apt-get install chromium; "
                                   ".ci/deps --test installs it): the browser test is skipped")
class DigestInABrowser(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)
        self.page_path = os.path.join(self.home, "digest.html")
        self.ok("report", "digest", "--format", "html", "-o", self.page_path)
        with open(self.page_path, encoding="utf-8") as f:
            self.page = f.read()
        self.digest = self.ok("report", "digest", "--format", "json").json()

    def screenshot(self, width):
        shot = os.path.join(self.home, f"digest-{width}.png")
        env = dict(self.env)
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={os.path.join(self.home, 'chromium')}",
             f"--screenshot={shot}", f"--window-size={width},2000",
             "file://" + self.page_path],
            env=env, capture_output=True, timeout=180)
        self.assertTrue(os.path.exists(shot), proc.stderr.decode("utf-8", "replace")[-2000:])
        return png_pixels(shot)

    def test_the_page_is_drawn_at_desktop_and_phone_width(self):
        for width in (1280, 390):
            with self.subTest(width=width):
                shot_width, height, channels, rows = self.screenshot(width)
                self.assertEqual((shot_width, height), (width, 2000))
                ink = non_white(channels, rows)
                # Text, tables and the weekly chart cover far more than a few stray pixels.
                self.assertGreater(ink, width * 2000 // 50, "the screenshot is (nearly) blank")

    def test_the_page_is_strict_html5(self):
        self.assertIsNotNone(html5lib, "python3-html5lib is not installed (.ci/deps --test)")
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(self.page)  # raises on the first parse error
        self.assertEqual(parser.errors, [])

    def test_every_chart_is_svg_that_parses(self):
        charts = re.findall(r"<svg\b.*?</svg>", self.page, re.S)
        # The weeks, Ann's sparkline, sources and events.
        self.assertEqual(len(charts), 4)
        for chart in charts:
            root = ET.fromstring(chart)
            self.assertEqual(root.tag, "svg")
            self.assertTrue(root.get("viewBox"))
            self.assertIsNotNone(root.find("title"))
        self.assertEqual(self.page.count("<svg"), 4)

    def test_nothing_points_outside_the_page(self):
        lowered = self.page.lower()
        for pointer in ("http:", "https:", "ftp:", "//", "<script", "<link", "<img", "<iframe",
                        "<object", "<embed", "url(", "@import", "src=", "href=", "xlink",
                        "javascript:", "@font-face"):
            self.assertNotIn(pointer, lowered)
        self.assertIsNotNone(html5lib, "python3-html5lib is not installed (.ci/deps --test)")
        tree = html5lib.parse(self.page, namespaceHTMLElements=False)
        for element in tree.iter():
            for name, value in element.attrib.items():
                self.assertNotRegex(value.strip().lower(), r"^(https?:|ftp:|//|data:)",
                                    f"{element.tag} {name}")

    def test_the_figures_are_the_json_digests(self):
        self.assertIsNotNone(html5lib, "python3-html5lib is not installed (.ci/deps --test)")
        tree = html5lib.parse(self.page, namespaceHTMLElements=False)
        tables = {t.get("data-key"): t for t in tree.iter("table")}
        figures = {s.get("data-key"): text_of(s) for s in tree.iter("span")
                   if s.get("data-key")}
        compared = 0
        for key, section in self.digest["sections"].items():
            for name, value in section["figures"].items():
                self.assertEqual(figures[f"{key}.{name}"], as_shown(value), f"{key}.{name}")
                compared += 1
            for name, table in section["tables"].items():
                if not table["rows"]:
                    self.assertNotIn(f"{key}.{name}", tables)
                    continue
                html_rows = tables[f"{key}.{name}"].find("tbody").findall("tr")
                self.assertEqual(len(html_rows), len(table["rows"]), f"{key}.{name}")
                for html_row, row in zip(html_rows, table["rows"]):
                    for cell in html_row.findall("td"):
                        column = cell.get("data-col")
                        nums = cell.find("span")
                        shown = text_of(nums) if nums is not None else text_of(cell)
                        self.assertEqual(shown, as_shown(row[column]), f"{key}.{name}.{column}")
                        compared += 1
        self.assertGreater(compared, 100)
        # The charts carry the same numbers in their titles: Ann's sparkline, the last week.
        self.assertIn("Trend: 0 0 0 1 0 1 0 1 0 1 0 1 0 0 0 0", self.page)
        self.assertIn("<title>2026-W48 In: 3</title>", self.page)


if __name__ == "__main__":
    unittest.main()
