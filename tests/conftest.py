"""Hypothesis profiles (``dev`` for speed, ``ci`` derandomized), and the fixtures' testees.

The fakes and mutants are test fixtures, not testees a user should see: the tests find
them by name through the documented search path ``REALTIME_CONFORMANCE_TESTEES``, set
here for this process and every subprocess it starts.

Every ``results.json`` a test leaves in its temporary folders is checked against the
record's JSON Schema when the session ends.
"""

import json
import os
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

_FIXTURES = [str(Path(__file__).parent / name) for name in ("fakes", "mutants")]
os.environ["REALTIME_CONFORMANCE_TESTEES"] = os.pathsep.join(
    [*_FIXTURES, *filter(None, [os.environ.get("REALTIME_CONFORMANCE_TESTEES")])]
)


_SCHEMA = Path(__file__).parents[1] / "conformance" / "schemas" / "results.json"


@pytest.fixture(scope="session", autouse=True)
def _every_record_matches_the_results_schema(tmp_path_factory):
    """After the last test: every results.json the tests produced validates (else an error)."""
    yield
    validator = jsonschema.Draft202012Validator(json.loads(_SCHEMA.read_text()))
    bad = []
    for path in sorted(tmp_path_factory.getbasetemp().glob("**/results.json")):
        if "site-packages" in path.parts:  # the schema itself, in a venv a test installed
            continue
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        bad += [f"{path}: {error.message} at {error.json_path}" for error in errors[:3]]
    assert bad == [], "records that do not match conformance/schemas/results.json"
