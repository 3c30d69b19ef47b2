"""Hypothesis profiles (``dev`` for speed, ``ci`` derandomized), and the fixtures' testees.

The fakes and mutants are test fixtures, not testees a user should see: the tests find
them by name through the documented search path ``REALTIME_CONFORMANCE_TESTEES``, set
here for this process and every subprocess it starts.
"""

import os
from pathlib import Path

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
