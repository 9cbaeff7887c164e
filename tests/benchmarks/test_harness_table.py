"""The performance harness's own plumbing (benchmarks/harness.py, benchmarks/run.py), measuring nothing:
the table an engineer reads says pass or MISS as the targets say, reads back the same, and a
benchmark function run in a child process hands its figures back. No timing is asserted."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str):
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


harness = _load("harness")
run = _load("run")


def test_the_table_says_pass_miss_and_reads_back_the_same():
    figures = [
        harness.Figure("start-up", 1.62, "×", 1.5, baseline="bare 0.20 s", target="≤ 1.5×", note="1.61 s"),
        harness.Figure("memory", 169.4, "MB", 200, target="≤ 200 MB"),
        harness.Figure("extra calls", 0, "calls", 0, target="0", exact=True),
        harness.Figure("sign-in page", None, "s", 1.0, note="the page never loaded"),
        harness.Figure("calls per second", 12.5, "/s"),
    ]
    rows = harness.parse_table("Box Office performance\n\n" + harness.build_table(figures) + "\n\n1 of 4 met")
    assert [row["figure"] for row in rows] == ["start-up", "memory", "extra calls", "sign-in page", "calls per second"]
    assert [row["result"] for row in rows] == ["MISS", "pass", "pass", "MISS", "—"]
    assert rows[0]["measured"] == "1.620× (1.61 s)"
    assert rows[0]["baseline (same run)"] == "bare 0.20 s"
    assert rows[1]["measured"] == "169 MB"
    assert rows[3]["measured"] == "not measured (the page never loaded)"
    assert harness.summary(figures) == "2 of 4 targets met; missed: start-up, sign-in page"


def test_a_figure_a_child_could_not_measure_is_a_miss_that_says_why():
    rows = run.stall_figures({"error": "gui_stall.figures exited 1: no display"})
    assert all(f.result == "MISS" and "no display" in f.measured() for f in rows)


def test_a_load_where_a_flow_did_not_finish_is_a_miss_even_without_an_error():
    load = {"flows": 20, "purchases": 40, "completed": 39, "errors": 0, "first_errors": [], "wall_s": 3.0,
            "purchases_per_s": 13.0, "calls": 585, "latency_median_ms": 20.0, "latency_p99_ms": 90.0,
            "latency_max_ms": 120.0}
    (figure,) = run.load_figures({"loads": [load]})
    assert figure.result == "MISS"
    assert figure.baseline == "39/40 purchases done"


def test_a_benchmark_function_runs_in_a_child_and_hands_back_its_answer():
    assert harness.run_child("harness", "percentile", {"values": [3.0, 1.0, 2.0], "share": 0.5}) == 2.0
    failed = harness.run_child("harness", "no_such_function", {})
    assert "error" in failed


def test_the_start_up_floor_is_information_beside_the_target_not_a_target_of_its_own():
    measured = {"ratio": 3.4, "app_s": 0.68, "bare_s": 0.2, "summaries_s": 0.6, "floor_s": 0.39, "floor_ratio": 1.94,
                "app_over_floor": 1.7, "rss_mb": 101.0, "bare_rss_mb": 55.0, "webengine_loaded": False,
                "signin_loaded_s": 0.3, "signin_dialog_shown_s": 0.2}
    figures = run.startup_figures(measured)
    floor = next(f for f in figures if f.name.startswith("floor"))
    assert floor.result == "—"
    assert floor.measured() == "1.940× (0.39 s; the app is 1.70× this)"
    assert harness.summary(figures) == "2 of 3 targets met; missed: start-up: `python -m app` until events listed"
    assert len(run.startup_figures({"error": "no display"})) == len(figures)
