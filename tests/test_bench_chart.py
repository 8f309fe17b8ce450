"""scripts/bench_chart.py: the benchmark's results.json drawn as an SVG chart."""

import importlib.util
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_chart.py"
SVG = "{http://www.w3.org/2000/svg}"
PAGES = ["home", "condition detail"]
SIZES = [10, 1000]


def load_bench_chart():
    spec = importlib.util.spec_from_file_location("bench_chart", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_chart = load_bench_chart()


def result_row(size, url, page_cache, ratio):
    return {
        "conditions": size,
        "url": url,
        "path": "/",
        "page_cache": page_cache,
        "rps": 1000 * ratio,
        "p50": 1.0,
        "p99": 2.0,
        "errors": 0,
        "socket_errors": "",
        "floor_rps": 1000,
        "floor_p99": 2.0,
        "ratio": ratio,
        "p99_ratio": 1.0,
        "target": "",
    }


@pytest.fixture
def report():
    rows = []
    for size in SIZES:
        rows.append(result_row(size, "floor (/healthz)", None, 1.0))
        for page in PAGES:
            rows.append(result_row(size, page, "cached", 1.1 if page == "home" else 0.5))
            rows.append(result_row(size, page, "uncached", 0.05))
    return {
        "run": {
            "date": "2026-12-01T10:00:00+00:00",
            "sizes": SIZES,
            "modes": ["cached", "uncached"],
            "seconds": 1,
            "connections": 8,
            "workers": 2,
            "cpus": 2,
            "cache": "files",
        },
        "targets": {
            "cached_min_ratio": 0.8,
            "uncached_detail_min_ratio": 0.35,
            "max_p99_ratio": 3.0,
            "search_p95_ms": 30,
        },
        "rows": rows,
        "page_costs": [],
        "memory": [],
        "search": [],
    }


def bars(svg):
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def test_one_bar_per_page_size_and_mode(report):
    svg = ET.fromstring(bench_chart.render_chart(report))
    drawn = [
        (bar.get("data-page-cache"), bar.get("data-page"), int(bar.get("data-conditions")))
        for bar in bars(svg)
    ]
    expected = [
        (mode, page, size) for mode in ("cached", "uncached") for page in PAGES for size in SIZES
    ]
    assert sorted(drawn) == sorted(expected)  # and no bar for the floor row itself


def test_bar_lengths_follow_the_ratios(report):
    svg = ET.fromstring(bench_chart.render_chart(report))
    width = {
        (bar.get("data-page-cache"), bar.get("data-page")): float(bar.get("width"))
        for bar in bars(svg)
    }
    assert width["cached", "home"] == pytest.approx(width["cached", "condition detail"] * 1.1 / 0.5)


def test_target_and_floor_lines(report):
    svg = ET.fromstring(bench_chart.render_chart(report))
    panels = {group.get("data-page-cache"): group for group in svg.iter(f"{SVG}g")}
    cached_lines = {line.get("class"): line for line in panels["cached"].iter(f"{SVG}line")}
    assert cached_lines["target"].get("data-ratio") == "0.8"
    assert cached_lines["floor"].get("data-ratio") == "1"
    # The 0.8x line sits at 0.8 of the way from 0x to 1x.
    zero = min(float(bar.get("x")) for bar in bars(svg))
    floor_x = float(cached_lines["floor"].get("x1"))
    assert float(cached_lines["target"].get("x1")) == pytest.approx(
        zero + 0.8 * (floor_x - zero), abs=0.1
    )
    texts = {text.text for text in svg.iter(f"{SVG}text")}
    assert {"target 0.8x", "10 conditions", "1,000 conditions"} <= texts


def test_title_and_description_name_the_chart(report):
    svg = ET.fromstring(bench_chart.render_chart(report))
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "ratio to the floor" in title.text
    assert "2 of 4 at or above the 0.8x target" in desc.text


def test_runs_alone_from_a_results_file(report, tmp_path):
    results = tmp_path / "results.json"
    results.write_text(json.dumps(report))
    subprocess.run([sys.executable, SCRIPT, results], check=True, capture_output=True)
    assert len(bars(ET.parse(tmp_path / "results.svg").getroot())) == 8
