"""The revisions of the object, by date; each is one `strategies.spec.Spec`, in one module.

A revision is stated as the change it makes to the one before it. `DEFAULT` is the
seed's revision, which a run certifies against unless told otherwise.
"""

from __future__ import annotations

from strategies.revisions import r2024_12_18, r2025_01_31, r2025_03_22
from strategies.spec import Spec

__all__ = ["DEFAULT", "SPECS", "spec"]

SPECS: dict[str, Spec] = {
    s.revision: s for s in (r2024_12_18.SPEC, r2025_01_31.SPEC, r2025_03_22.SPEC)
}
"""Every revision, oldest first."""

DEFAULT = r2024_12_18.SPEC.revision
"""The seed's revision."""


def spec(revision: str) -> Spec:
    """Return the revision dated *revision*, or raise `ValueError` in one sentence."""
    try:
        return SPECS[revision]
    except KeyError:
        known = ", ".join(SPECS)
        raise ValueError(
            f"no revision of the object is dated {revision!r} (known: {known})"
        ) from None
