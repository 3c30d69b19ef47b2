"""One revision of the object as one value: its models, rulebook, pins and mutations.

The OpenAPI document kept its label (2.3.0) while `RealtimeSessionCreateResponse`
changed under it, so an implementation is certified against the revision it targets.
Everything that depends on the shape takes a `Spec`: the codec, the generators, the
schema export, the checks and the rulebook's page. What the models say is derived from
them (the rule ids of types, enums, bounds and required members, the nullable and
integer members); what they cannot say (the sentence each rule rests on, the bad values
that break it, the values to pin) is stated once, beside the models of the revision, in
`strategies.revisions`. A `Spec` refuses to exist when the two disagree.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from strategies import broken, invalid, valid
from strategies.cases import Case
from strategies.codec import Codec
from strategies.errors import DocumentError
from strategies.invalid import Mutation, Revision
from strategies.model import JSONValue, RealtimeSessionCreateResponse
from strategies.rules import TEXT_RULES, Level, Rule

__all__ = ["Spec"]

Path = tuple[str, ...]


def _member_path(rule_id: str) -> Path:
    head = tuple(rule_id.split(".")[:-1])
    return () if head == ("document",) else head


@attrs.frozen(slots=False)
class Spec:
    """One revision of `RealtimeSessionCreateResponse` and everything stated about it."""

    revision: str
    """The date of the revision in the openai-openapi history, such as ``2024-12-18``."""
    summary: str
    """One line: what changed from the revision before."""
    document: type
    """The root attrs model."""
    rules: tuple[Rule, ...]
    """The object rules (schema and documented levels), each with its sentence."""
    mutations: Mapping[str, Mutation]
    """How to break each object rule."""
    minimal: JSONValue = attrs.field(factory=dict)
    """The smallest valid document: the base when a testee accepted no boundary document."""
    draws: valid.Draws = attrs.field(factory=dict)
    """Members whose values are drawn differently from the seed's revision."""
    pins: Mapping[Path, Sequence[JSONValue]] = attrs.field(factory=dict)
    """Members whose boundary documents hold these values, every one at least once."""
    source: str = ""
    """Where the revision was read: the openai-openapi commit."""
    decisions: tuple[str, ...] = ()
    """How this revision's prose is read, beyond what every revision's rulebook page says."""

    def __attrs_post_init__(self) -> None:
        derived = set(self.codec.rule_ids)
        for what, ids in (("rulebook", {r.id for r in self.rules}), ("mutations", self.mutations)):
            if set(ids) != derived:
                raise ValueError(
                    f"the {what} of {self.revision} disagrees with its models: nothing for"
                    f" {sorted(derived - set(ids))}, no model member for"
                    f" {sorted(set(ids) - derived)}"
                )

    @functools.cached_property
    def codec(self) -> Codec:
        """The strict codec of this revision: the reference implementation."""
        return Codec(self.document)

    @functools.cached_property
    def rulebook(self) -> dict[str, Rule]:
        """Every rule of this revision, by id: the object's, then those of JSON text."""
        stated = {r.id: r for r in self.rules}
        return {**{i: stated[i] for i in self.codec.rule_ids}, **{r.id: r for r in TEXT_RULES}}

    def rules_at(self, *levels: Level) -> list[Rule]:
        """Return the rules of the given levels, in catalogue order."""
        return [r for r in self.rulebook.values() if r.level in levels]

    @functools.cached_property
    def member_paths(self) -> frozenset[Path]:
        """Every member path the model knows (``items`` for array elements)."""
        return frozenset(_member_path(i) for i in self.codec.rule_ids) - {()}

    @property
    def seed(self) -> bool:
        """Whether this revision's models are the seed's own (nothing to convert)."""
        return self.document is RealtimeSessionCreateResponse and not self.draws

    @functools.cached_property
    def documents(self) -> st.SearchStrategy[Any]:
        """Valid model instances of this revision."""
        if self.seed:
            return valid.documents
        return valid.revised_documents(self.codec.structure, self.draws)

    @functools.cached_property
    def boundary_documents(self) -> tuple[Any, ...]:
        """The smallest document, and documents holding every pin; sent first, every run."""
        if self.seed and not self.pins:
            return valid.BOUNDARY_DOCUMENTS
        return valid.revised_boundaries(
            self.codec.structure, self.minimal, self.pins, self.codec.known[()]
        )

    @functools.cached_property
    def smallest(self) -> Any:
        """The model of `minimal`."""
        return self.codec.structure(self.minimal)

    @functools.cached_property
    def _revision(self) -> Revision:
        return Revision(self.mutations, self.documents, self.smallest)

    def amend(self, revision: str, summary: str, **changes: Any) -> Spec:
        """Return the next revision: this one with *changes* (fields of `Spec`) applied."""
        return attrs.evolve(self, revision=revision, summary=summary, **changes)

    def valid_documents(self) -> st.SearchStrategy[Case]:
        """Return the valid cases of this revision."""
        return valid.valid_documents(self.boundary_documents, self.documents)

    def valid_boundaries(self) -> list[Case]:
        """Return the boundary documents as valid cases, in two spellings each."""
        return valid.boundary_cases(self.boundary_documents)

    def invalid_documents(
        self, rules: Sequence[str] | None = None, accepted: Sequence[object] = ()
    ) -> st.SearchStrategy[Case]:
        """Return invalid cases of this revision, each breaking exactly one of *rules*."""
        return invalid.invalid_documents(rules, accepted, self._revision)

    def invalid_boundaries(self, rule_id: str, accepted: Sequence[object] = ()) -> list[Case]:
        """Return one case per pinned bad value of *rule_id*."""
        return invalid.boundary_cases(rule_id, accepted, self._revision)

    def malformed_documents(
        self, names: Sequence[str] | None = None, accepted: Sequence[object] = ()
    ) -> st.SearchStrategy[Case]:
        """Return texts that are not JSON, most made by breaking a document of this revision."""
        return broken.malformed_documents(names, accepted, self.documents)

    def broken_boundaries(
        self, kind: str, name: str, accepted: Sequence[object] = ()
    ) -> list[Case]:
        """Return the boundary cases of one malformed or implementation-defined kind."""
        return broken.boundary_cases(kind, name, accepted, self.smallest)

    def handle(self, text: str) -> tuple[bool, str]:
        """Answer as the reference does: accept and re-serialize *text*, or say why not."""
        try:
            return True, self.codec.encode(self.codec.decode(text))
        except DocumentError as error:
            return False, str(error)
