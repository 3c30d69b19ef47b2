"""``junit.xml``: the run as CI systems read test results (GitLab, Jenkins, GitHub actions).

One testcase per check id, its classname the level and kind (``required.invalid``).
A REQUIRED failure is a ``failure``; an error or an unexpected pass is an ``error``; an
expected failure is ``skipped`` with its reason; a RECOMMENDED failure is ``skipped``
with its explanation: visible in every consumer, but it does not fail the build. The
shapes are those of the common JUnit XML schema (tests/reports checks them).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conformance.results import CheckResult, Failure, RunResults
from reports.common import failing, implementation_line, verdict, visible

__all__ = ["render"]


def _x(text: object) -> str:
    """Escape *text* for XML, the one place it enters: `visible`, then ElementTree."""
    return visible(str(text))


_SHOWN = ("message", "rule", "mutation", "document", "expected", "answer", "difference",
          "stderr", "note", "replay")  # fmt: skip


def _details(check: CheckResult, failure: Failure | None) -> str:
    lines = [f"{check.id} ({check.level}): {check.description}"]
    if failure is not None:
        shown = ((name, getattr(failure, name)) for name in _SHOWN)
        lines += [f"{name + ':':<12}{value}" for name, value in shown if value]
    return "\n".join(lines)


def _testcase(suite: ET.Element, check: CheckResult) -> str:
    """Add the testcase of *check*; return which counter it adds to."""
    level_kind = f"{check.level.lower()}.{check.kind}"
    case = ET.SubElement(
        suite, "testcase", name=_x(check.id), classname=_x(level_kind), time=f"{check.seconds:.3f}"
    )
    failure = check.failure
    message = failure.message if failure else check.outcome
    details = _details(check, failure)
    if check.outcome == "passed":
        return "passed"
    if check.outcome == "xfailed":
        ET.SubElement(case, "skipped", message=_x(f"expected failure: {check.reason}")).text = _x(
            details
        )
        return "skipped"
    if not failing(check):
        note = f"{check.level} check {check.outcome}, which does not fail the run: {message}"
        ET.SubElement(case, "skipped", message=_x(note)).text = _x(details)
        return "skipped"
    if check.outcome == "failed":
        ET.SubElement(case, "failure", message=_x(message), type=check.level).text = _x(details)
        return "failures"
    if check.outcome == "xpassed":
        message = f"unexpected pass: {check.id} is listed as an expected failure but passed"
    ET.SubElement(case, "error", message=_x(message), type=_x(check.outcome)).text = _x(details)
    return "errors"


def render(results: RunResults) -> str:
    """Render *results* as JUnit XML."""
    root = ET.Element("testsuites", name="realtime-conformance")
    suite = ET.SubElement(
        root,
        "testsuite",
        name=_x(f"realtime-conformance: {implementation_line(results)}"),
        timestamp=_x(results.started[:19]),
        hostname="localhost",
        time=f"{results.seconds:.3f}",
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in _properties(results):
        ET.SubElement(properties, "property", name=name, value=_x(value))
    tally = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for check in results.checks:
        tally["tests"] += 1
        counter = _testcase(suite, check)
        if counter != "passed":
            tally[counter] += 1
    for element in (root, suite):
        element.attrib.update({name: str(count) for name, count in tally.items()})
    root.set("time", f"{results.seconds:.3f}")
    ET.SubElement(suite, "system-out").text = _x(f"verdict: {verdict(results)}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _properties(results: RunResults) -> list[tuple[str, object]]:
    impl = results.implementation
    found: list[tuple[str, object]] = [
        ("verdict", verdict(results)),
        ("implementation.name", impl.get("name", "")),
        ("implementation.version", impl.get("version", "")),
        ("implementation.language", impl.get("language", "")),
        ("implementation.homepage", impl.get("homepage") or ""),
        *((f"claims.{name}", value) for name, value in sorted(results.claims.items())),
        ("testee", results.testee),
        ("suite_version", results.suite_version),
        ("protocol", results.protocol),
        ("spec_version", results.spec_version),
        ("spec", results.spec),
        ("profile", results.profile),
        ("seed", results.seed),
        ("python_version", results.python_version),
        ("hypothesis_version", results.hypothesis_version),
    ]
    found += [("unmatched_expectation", entry) for entry in results.unmatched_expectations]
    return found
