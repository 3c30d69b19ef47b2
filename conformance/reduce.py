"""Shrinking what Hypothesis cannot: a failing document that is one of the boundary documents.

Every run sends the boundary documents, and Hypothesis' strategies hold them too, as one
choice among the pinned documents: when only a boundary document shows a bug, Hypothesis
can shrink it to nothing but an earlier boundary document, and the failure was reported
on the whole of it (775 characters where 85 show the bug). Here a failing document is
made smaller by taking parts out of its JSON value, the largest part first, as long as
the smaller document is still valid for the revision and still fails the same check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import attrs

from strategies.model import JSONValue

__all__ = ["reduce", "smaller"]

Path = tuple[str | int, ...]


@attrs.frozen
class _Edit:
    """Take out, or empty, the part of a value at each of *paths* (equal parts of twins)."""

    paths: tuple[Path, ...]
    size: int
    """Characters of the part's JSON text: larger edits are tried first."""
    empty: bool = False
    """Replace the part with an empty value of its type instead of taking it out."""

    def apply(self, value: JSONValue) -> JSONValue:
        for path in self.paths:
            value = _edited(value, path, self.empty)
        return value


def _edited(value: JSONValue, path: Path, empty: bool) -> JSONValue:
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        assert isinstance(head, str)  # noqa: S101 - paths come from the value itself
        if not rest:
            copy = dict(value)
            if empty:
                copy[head] = _emptied(value[head])
            else:
                del copy[head]
            return copy
        return {**value, head: _edited(value[head], rest, empty)}
    assert isinstance(value, list)  # noqa: S101
    assert isinstance(head, int)  # noqa: S101
    if not rest:
        if empty:
            return [*value[:head], _emptied(value[head]), *value[head + 1 :]]
        return [*value[:head], *value[head + 1 :]]
    return [*value[:head], _edited(value[head], rest, empty), *value[head + 1 :]]


def _emptied(value: JSONValue) -> JSONValue:
    if isinstance(value, dict):
        return {}
    if isinstance(value, list):
        return []
    return ""


def _size(value: JSONValue) -> int:
    return len(json.dumps(value, ensure_ascii=False))


def _edits(value: JSONValue, path: Path = ()) -> Iterator[_Edit]:
    items: list[tuple[str | int, JSONValue]]
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return
    twins: dict[str, list[int]] = {}
    for key, member in items:
        where = (*path, key)
        size = _size(member)
        yield _Edit((where,), size)
        if member and isinstance(member, dict | list | str):
            yield _Edit((where,), size - 2, empty=True)
        yield from _edits(member, where)
        if isinstance(key, int) and isinstance(member, dict | list):
            twins.setdefault(json.dumps(member, sort_keys=True), []).append(key)
    # Equal items of an array change together: a bug that needs them equal (duplicates
    # dropped, say) is lost by any edit to one of them alone.
    for indices in (group for group in twins.values() if len(group) > 1):
        first = len(path)
        for edit in _edits(value[indices[0]], (*path, indices[0])):  # type: ignore[index]
            paths = tuple(
                (*inner[:first], i, *inner[first + 1 :]) for inner in edit.paths for i in indices
            )
            yield _Edit(paths, edit.size * len(indices), edit.empty)


def smaller(value: JSONValue) -> Iterator[JSONValue]:
    """Yield copies of *value* with one part taken out or emptied, the largest part first."""
    for edit in sorted(_edits(value), key=lambda e: -e.size):
        yield edit.apply(value)


def reduce(value: JSONValue, fails: Callable[[JSONValue], bool | None]) -> JSONValue:
    """Return the smallest value reached from *value* by edits after which it still fails.

    *fails* says whether a candidate fails as *value* does: True, False, or None when the
    search must stop (out of time or budget). Greedy: after each successful edit the
    candidates are made again from the smaller value.
    """
    while True:
        for candidate in smaller(value):
            verdict = fails(candidate)
            if verdict is None:
                return value
            if verdict:
                value = candidate
                break
        else:
            return value
