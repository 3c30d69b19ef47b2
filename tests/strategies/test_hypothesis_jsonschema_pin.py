"""Tell when the crosscheck environment's pin of Hypothesis can go.

hypothesis-jsonschema 0.23.1 reaches into ``hypothesis.internal`` and fails on every
object schema with Hypothesis 6.170.10 and later, so the crosscheck environment pins
Hypothesis 6.170.9. This test runs in the main environment, on the current Hypothesis:
while the incompatibility lasts it is an expected failure; once a fixed
hypothesis-jsonschema is installed the strict xfail turns into a failure whose reason
says the pin can go.
"""

from __future__ import annotations

import hypothesis
import pytest
from hypothesis import given, settings

hypothesis_jsonschema = pytest.importorskip(
    "hypothesis_jsonschema", reason="hypothesis-jsonschema is not installed"
)

LAST_WORKING = (6, 170, 9)
"""The newest Hypothesis that hypothesis-jsonschema 0.23.1 works with."""

INSTALLED = tuple(int(part) for part in hypothesis.__version__.split(".")[:3])
BROKEN = INSTALLED > LAST_WORKING


@pytest.mark.xfail(
    BROKEN,
    strict=True,
    raises=AttributeError,
    reason=(
        f"hypothesis-jsonschema {hypothesis_jsonschema.__version__} fails on object schemas"
        f" with Hypothesis > {'.'.join(map(str, LAST_WORKING))}; if this passes, the pin of"
        " Hypothesis in the crosscheck environment can go"
    ),
)
@settings(max_examples=1, database=None)
@given(hypothesis_jsonschema.from_schema({"type": "object"}))
def test_pin_still_needed(value) -> None:
    """Drawing one object shows whether hypothesis-jsonschema works on this Hypothesis."""
    assert isinstance(value, dict)
