"""How fast each strategy makes documents, beside hypothesis-jsonschema on the same schema.

Generation speed decides how many cases a conformance run can afford, and
hypothesis-jsonschema's ``from_schema(json_schema())`` is the yardstick: what one would get
from the exported schema with no hand-written strategies. Every strategy is measured the
same way, as a ``@given`` test that only counts its calls, so Hypothesis' own overhead is
in every figure alike.

Run from the repository root: ``python benchmarks/generation.py [--examples N]``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# Run as a script from anywhere: the packages live at the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from strategies import (
    implementation_defined_documents,
    invalid_documents,
    malformed_documents,
    valid_documents,
)
from strategies.schema import json_schema

if TYPE_CHECKING:
    from collections.abc import Callable

LAST_WORKING = "6.170.9"
"""The newest Hypothesis that hypothesis-jsonschema 0.23.1 works with."""
YARDSTICK = "hypothesis-jsonschema"


def measure(strategy: st.SearchStrategy[object], examples: int) -> tuple[int, float]:
    """Return how many documents a ``@given`` test drew from *strategy*, and in how long."""
    calls = 0

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(_: object) -> None:
        nonlocal calls
        calls += 1

    start = time.perf_counter()
    draw()
    return calls, time.perf_counter() - start


def _yardstick() -> Callable[[], st.SearchStrategy[object]] | str:
    """Return a factory of the yardstick strategy, or why it cannot run here."""
    try:
        from hypothesis_jsonschema import from_schema  # noqa: PLC0415 - optional
    except ImportError:
        return f"{YARDSTICK} is not installed: pip install {YARDSTICK}"
    return lambda: from_schema(json_schema())


def steady(strategy: st.SearchStrategy[object], examples: int, repeats: int) -> tuple[int, float]:
    """Measure after a short unreported warm-up, *repeats* times; return the median run.

    The warm-up pays the one-time costs (imports, strategy validation, caches) that would
    otherwise land on whichever strategy runs first; the median damps a busy machine.
    """
    measure(strategy, min(50, examples))
    runs = sorted((measure(strategy, examples) for _ in range(repeats)), key=lambda r: r[1])
    return runs[len(runs) // 2]


def _row(name: str, count: int, seconds: float) -> str:
    return f"{name:<34} {count:>9} {seconds:>9.2f} {count / seconds:>12.1f}"


def main(argv: list[str] | None = None) -> int:
    """Measure every strategy and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=1000, help="documents per strategy")
    parser.add_argument("--repeats", type=int, default=3, help="runs per strategy (median)")
    options = parser.parse_args(argv)
    examples, repeats = options.examples, options.repeats
    ours = {
        "valid_documents()": valid_documents(),
        "invalid_documents()": invalid_documents(),
        "malformed_documents()": malformed_documents(),
        "implementation_defined_documents()": implementation_defined_documents(),
    }
    print(
        f"Hypothesis {hypothesis.__version__}, {examples} examples per strategy,"
        f" median of {repeats} runs after a warm-up"
    )
    print(f"{'strategy':<34} {'documents':>9} {'seconds':>9} {'documents/s':>12}")
    rates = {}
    for name, strategy in ours.items():
        count, seconds = steady(strategy, examples, repeats)
        rates[name] = count / seconds
        print(_row(name, count, seconds))
    factory = _yardstick()
    if isinstance(factory, str):
        print(factory)
        return 0
    try:
        count, seconds = steady(factory(), examples, repeats)
    except AttributeError:
        version = importlib.metadata.version(YARDSTICK)
        print(
            f"{YARDSTICK} {version} cannot run on Hypothesis {hypothesis.__version__}:"
            f" it needs Hypothesis <= {LAST_WORKING}"
        )
        return 0
    print(_row(f"{YARDSTICK} from_schema", count, seconds))
    ratio = rates["valid_documents()"] / (count / seconds)
    print(f"ratio valid_documents() / {YARDSTICK}: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
