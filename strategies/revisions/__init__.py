"""The revisions of the object, by date; each is one `strategies.spec.Spec`, in one module.

A revision is stated as the change it makes to the one before it, in a module of this
package named ``r<date>`` (``r2025_03_22``) whose ``SPEC`` is the revision: adding one
touches that module alone (and its docs). `DEFAULT` is the seed's revision, which a run
certifies against unless told otherwise.
"""

from __future__ import annotations

import importlib
import pkgutil

from strategies.spec import Spec

__all__ = ["DEFAULT", "SPECS", "spec"]


def _found() -> dict[str, Spec]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("r"))
    specs = [importlib.import_module(f"{__name__}.{name}").SPEC for name in names]
    return {s.revision: s for s in sorted(specs, key=lambda s: s.revision)}


SPECS: dict[str, Spec] = _found()
"""Every revision, oldest first."""

DEFAULT = "2024-12-18"
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
