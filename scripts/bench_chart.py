"""The benchmark's figures as a chart: each page's requests per second as a ratio to the floor.

Reads the results.json that scripts/bench.py writes and draws plain SVG (no plotting library):
one panel per page cache mode (cached, uncached), a group of bars per page, one bar per content
size, and the floor (1.0x) and the targets as vertical lines. Every label is real text, and a
<title> and <desc> say what the chart shows for readers who cannot see it.

Usage: python scripts/bench_chart.py docs/bench/results.json [--output docs/bench/results.svg]
"""

import argparse
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

MODES = {"cached": "Page cache on (cached)", "uncached": "Page cache off (uncached)"}
# Okabe-Ito hues, darkened where needed to keep 3:1 contrast against the white background.
SIZE_COLOURS = ["#0072B2", "#D55E00", "#007A5A", "#8E3C97", "#8A6100", "#4D4D4D"]
TARGET_COLOUR = "#B2182B"
FLOOR_COLOUR = "#4D4D4D"
TEXT_COLOUR = "#1A1A1A"
GRID_COLOUR = "#DDDDDD"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

WIDTH = 880
PLOT_LEFT, PLOT_RIGHT = 210, WIDTH - 40
BAR, BAR_GAP, GROUP_GAP = 10, 2, 14
TICK = 0.2


def number(value):
    return f"{value:,}"


def ratio_text(value):
    return f"{value:.2f}x"


class Chart:
    def __init__(self, report):
        self.report = report
        self.targets = report["targets"]
        self.rows = [row for row in report["rows"] if row.get("page_cache") in MODES]
        self.modes = [mode for mode in MODES if any(r["page_cache"] == mode for r in self.rows)]
        self.sizes = sorted({row["conditions"] for row in self.rows})
        self.colours = dict(zip(self.sizes, SIZE_COLOURS * len(self.sizes), strict=False))
        highest = max([1.0, self.targets["cached_min_ratio"], *(r["ratio"] for r in self.rows)])
        # Room past the longest bar for its value label.
        self.x_max = math.ceil((highest + 0.05) / TICK) * TICK
        self.root = ET.Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "role": "img",
                "aria-labelledby": "bench-chart-title bench-chart-desc",
                "font-family": FONT,
                "fill": TEXT_COLOUR,
            },
        )

    def x(self, ratio):
        return PLOT_LEFT + ratio / self.x_max * (PLOT_RIGHT - PLOT_LEFT)

    def add(self, parent, tag, text=None, **attributes):
        element = ET.SubElement(
            parent,
            tag,
            {name.rstrip("_").replace("_", "-"): str(value) for name, value in attributes.items()},
        )
        if text is not None:
            element.text = text
        return element

    def label(self, parent, x, y, text, size=13, **attributes):
        return self.add(
            parent, "text", text, x=f"{x:.1f}", y=f"{y:.1f}", font_size=size, **attributes
        )

    def render(self):
        run = self.report["run"]
        title = "Requests per second as a ratio to the floor (/healthz), by page and content size"
        self.add(self.root, "title", title, id="bench-chart-title")
        self.add(self.root, "desc", self.description(), id="bench-chart-desc")
        background = self.add(self.root, "rect", x=0, y=0, width=WIDTH, fill="#FFFFFF")
        self.label(self.root, 16, 28, title, size=17, font_weight="bold")
        facts = [
            f"{run.get('date', '')[:10]}",
            f"wrk {run['connections']} connections, {run['seconds']} s per URL",
            f"gunicorn {run['workers']} workers on {run['cpus']} CPUs shared with wrk",
            f"cache: {run['cache']}",
        ]
        self.label(self.root, 16, 48, "; ".join(fact for fact in facts if fact), size=12)
        y = 48
        if run.get("source"):
            y += 16
            self.label(self.root, 16, y, run["source"], size=12)
        y = self.legend(y + 22)
        for mode in self.modes:
            y = self.panel(mode, y + 28)
        height = math.ceil(y + 16)
        background.set("height", str(height))
        self.root.set("width", str(WIDTH))
        self.root.set("height", str(height))
        self.root.set("viewBox", f"0 0 {WIDTH} {height}")
        ET.indent(self.root)
        return ET.tostring(self.root, encoding="unicode") + "\n"

    def legend(self, y):
        legend = self.add(self.root, "g", class_="legend")
        x = 16
        for size in self.sizes:
            self.add(legend, "rect", x=x, y=y - 10, width=14, height=12, fill=self.colours[size])
            text = f"{number(size)} conditions"
            self.label(legend, x + 20, y, text)
            x += 40 + 7.5 * len(text)
        for text, colour, dash in (
            ("target", TARGET_COLOUR, "6 4"),
            ("floor (1.0x)", FLOOR_COLOUR, None),
        ):
            line = self.add(legend, "line", x1=x, y1=y - 4, x2=x + 24, y2=y - 4, stroke=colour)
            line.set("stroke-width", "2")
            if dash:
                line.set("stroke-dasharray", dash)
            self.label(legend, x + 30, y, text)
            x += 50 + 7.5 * len(text)
        return y

    def panel(self, mode, y):
        rows = [row for row in self.rows if row["page_cache"] == mode]
        pages = list(dict.fromkeys(row["url"] for row in rows))
        by_key = {(row["url"], row["conditions"]): row for row in rows}
        panel = self.add(self.root, "g", class_="panel", data_page_cache=mode)
        self.label(panel, 16, y, MODES[mode], size=15, font_weight="bold")
        top = y + 22
        group_height = len(self.sizes) * (BAR + BAR_GAP) - BAR_GAP
        bottom = top + len(pages) * (group_height + GROUP_GAP)
        ticks = [i * TICK for i in range(round(self.x_max / TICK) + 1)]
        for tick in ticks:
            x = self.x(tick)
            grid = self.add(panel, "line", x1=f"{x:.1f}", y1=top - 6, x2=f"{x:.1f}", y2=bottom)
            grid.set("stroke", GRID_COLOUR)
            self.label(panel, x, bottom + 16, f"{tick:.1f}", size=12, text_anchor="middle")
        self.label(
            panel,
            (PLOT_LEFT + PLOT_RIGHT) / 2,
            bottom + 36,
            "requests per second ÷ the floor's (1.0 = as fast as /healthz)",
            text_anchor="middle",
        )
        # Under the bars and their labels.
        self.reference_line(panel, 1.0, "floor", FLOOR_COLOUR, top, bottom, "floor")
        if mode == "cached":
            target, text = self.targets["cached_min_ratio"], "target {}x"
        else:
            target, text = self.targets["uncached_detail_min_ratio"], "target {}x (detail pages)"
        self.reference_line(
            panel, target, "target", TARGET_COLOUR, top, bottom, text.format(target)
        )
        for index, page in enumerate(pages):
            group_top = top + GROUP_GAP / 2 + index * (group_height + GROUP_GAP)
            self.label(
                panel, PLOT_LEFT - 8, group_top + group_height / 2 + 4, page, text_anchor="end"
            )
            for offset, size in enumerate(self.sizes):
                row = by_key.get((page, size))
                if row is None:
                    continue
                bar_top = group_top + offset * (BAR + BAR_GAP)
                width = max(self.x(row["ratio"]) - PLOT_LEFT, 1)
                bar = self.add(
                    panel,
                    "rect",
                    x=PLOT_LEFT,
                    y=f"{bar_top:.1f}",
                    width=f"{width:.1f}",
                    height=BAR,
                    fill=self.colours[size],
                    class_="bar",
                    data_page=page,
                    data_conditions=size,
                    data_page_cache=mode,
                    data_ratio=f"{row['ratio']:.4f}",
                )
                self.add(
                    bar,
                    "title",
                    f"{page}, {number(size)} conditions, {mode}: {ratio_text(row['ratio'])} "
                    f"the floor ({row['rps']:,.0f} req/s)",
                )
                value = self.label(
                    panel, PLOT_LEFT + width + 4, bar_top + BAR - 1, f"{row['ratio']:.2f}", size=11
                )
                # A white outline keeps the figure legible where it crosses a line.
                value.attrib |= {"stroke": "#FFFFFF", "stroke-width": "3", "paint-order": "stroke"}
        return bottom + 36

    def reference_line(self, panel, ratio, kind, colour, top, bottom, text):
        x = self.x(ratio)
        line = self.add(panel, "line", x1=f"{x:.1f}", y1=top - 6, x2=f"{x:.1f}", y2=bottom)
        line.attrib |= {"stroke": colour, "class": kind, "data-ratio": f"{ratio:g}"}
        line.set("stroke-width", "2")
        if kind == "target":
            line.set("stroke-dasharray", "6 4")
        self.label(panel, x, top - 10, text, size=12, fill=colour, text_anchor="middle")

    def description(self):
        sizes = [number(size) for size in self.sizes]
        sizes_text = sizes[0] if len(sizes) == 1 else ", ".join(sizes[:-1]) + " and " + sizes[-1]
        parts = [
            f"Bar chart of each page's requests per second divided by the floor's (/healthz, a "
            f"minimal Django view through the same middleware), at {sizes_text} conditions."
        ]
        for mode in self.modes:
            rows = [row for row in self.rows if row["page_cache"] == mode]
            low = min(rows, key=lambda row: row["ratio"])
            high = max(rows, key=lambda row: row["ratio"])
            text = (
                f"{MODES[mode]}: from {ratio_text(low['ratio'])} ({low['url']}, "
                f"{number(low['conditions'])} conditions) to {ratio_text(high['ratio'])} "
                f"({high['url']}, {number(high['conditions'])} conditions)"
            )
            if mode == "cached":
                target = self.targets["cached_min_ratio"]
                held = [row for row in rows if row["ratio"] >= target]
                text += f"; {len(held)} of {len(rows)} at or above the {target}x target."
            else:
                target = self.targets["uncached_detail_min_ratio"]
                detail = [row for row in rows if "detail" in row["url"]]
                held = [row for row in detail if row["ratio"] >= target]
                text += (
                    f"; {len(held)} of {len(detail)} detail pages at or above their {target}x "
                    "target."
                )
            parts.append(text)
        parts.append("Every figure is in results.json beside this chart.")
        return " ".join(parts)


def render_chart(report):
    """The SVG text of the chart for a report as scripts/bench.py writes it."""
    return Chart(report).render()


def write_chart(report, path):
    path = Path(path)
    path.write_text(render_chart(report))
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="a results.json written by scripts/bench.py")
    parser.add_argument("--output", type=Path, help="default: results.svg beside the JSON")
    options = parser.parse_args()
    report = json.loads(options.results.read_text())
    output = write_chart(report, options.output or options.results.with_suffix(".svg"))
    print(output)


if __name__ == "__main__":
    main()
