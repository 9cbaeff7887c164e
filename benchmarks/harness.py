"""The harness's plumbing, apart from any measuring: one figure's row, its verdict, the table that
``benchmarks/run.py`` prints (and reads back), and running one benchmark function in a child process.

Every benchmark module keeps its own ``main()`` (runnable alone) and offers a function that answers
its figures as a dict; ``run.py`` calls those functions each in a fresh interpreter
(``run_child``), so no benchmark inherits another's threads, garbage or Qt state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT_MARK = "BENCH-RESULT "
COLUMNS = ("figure", "measured", "baseline (same run)", "target", "result")


@dataclass
class Figure:
    """One row: ``value`` is compared with ``limit`` (``value <= limit`` passes, or ``==`` when
    ``exact``); ``value`` None means it could not be measured (a miss, with ``note`` saying why).
    ``limit`` None makes an informational row (result "—")."""

    name: str
    value: float | None
    unit: str = ""
    limit: float | None = None
    baseline: str = "—"
    target: str = "—"
    exact: bool = False
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        if self.limit is None:
            return None if self.value is not None else False
        if self.value is None:
            return False
        return self.value == self.limit if self.exact else self.value <= self.limit

    @property
    def result(self) -> str:
        verdict = self.passed
        return "—" if verdict is None else ("pass" if verdict else "MISS")

    def measured(self) -> str:
        if self.value is None:
            return f"not measured ({self.note})" if self.note else "not measured"
        value = float(self.value)
        if self.unit == "×":
            text = f"{value:.3f}×" if value < 2 else f"{value:.2f}×"
        elif self.unit == "s":
            text = f"{value:.2f} s"
        elif self.unit == "ms":
            text = f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
        elif value.is_integer():
            text = f"{value:.0f} {self.unit}".strip()
        else:
            text = f"{value:.3g} {self.unit}".strip()
        return f"{text} ({self.note})" if self.note else text


def build_table(figures: list[Figure]) -> str:
    """A Markdown table (what the README holds): one line per figure."""
    rows = [COLUMNS, tuple("---" for _ in COLUMNS)]
    rows += [(f.name, f.measured(), f.baseline, f.target, f.result) for f in figures]
    return "\n".join("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows)


def parse_table(text: str) -> list[dict[str, str]]:
    """The rows of a table ``build_table`` printed (anything around it is ignored), keyed by column."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [cell.strip() for cell in line[1:-1].split("|")]
        if header is None:
            header = cells
        elif set("".join(cells)) <= set("-: "):
            continue
        else:
            rows.append(dict(zip(header, cells, strict=False)))
    return rows


def summary(figures: list[Figure]) -> str:
    judged = [f for f in figures if f.passed is not None]
    missed = [f.name for f in judged if not f.passed]
    return f"{len(judged) - len(missed)} of {len(judged)} targets met" + (f"; missed: {', '.join(missed)}" if missed
                                                                           else "")


def run_child(module: str, function: str, kwargs: dict, *, env: dict | None = None, timeout: float = 600) -> dict:
    """``benchmarks/<module>.py``'s ``function(**kwargs)`` in a fresh interpreter; answers its dict.

    The child prints the dict as one JSON line after ``RESULT_MARK``; what else it prints goes to
    this process's stderr (so the table stays the only thing on stdout). A child that fails
    answers ``{"error": ...}``.
    """
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); import importlib; "
            "m = importlib.import_module(sys.argv[2]); r = getattr(m, sys.argv[3])(**json.loads(sys.argv[4])); "
            f"print({RESULT_MARK!r} + json.dumps(r), flush=True)")
    child_env = {**os.environ, **(env or {})}
    try:
        done = subprocess.run([sys.executable, "-c", code, str(ROOT / "benchmarks"), module, function,
                               json.dumps(kwargs)], cwd=ROOT, env=child_env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"{module}.{function} took over {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):])
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
    return {"error": f"{module}.{function} exited {done.returncode}: {tail[:200]}"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0
