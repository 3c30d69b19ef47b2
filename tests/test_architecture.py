"""The layering of ARCHITECTURE.md holds.

strategies imports nothing of the other packages; reports reads only the result types.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]


def imports(package):
    for path in (ROOT / package).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                yield path.name, node.module
            elif isinstance(node, ast.Import):
                yield from ((path.name, alias.name) for alias in node.names)


def test_strategies_imports_neither_conformance_nor_reports():
    bad = [
        (f, m) for f, m in imports("strategies") if m.split(".")[0] in ("conformance", "reports")
    ]
    assert bad == []


def test_reports_read_only_the_result_types():
    bad = [
        (f, m)
        for f, m in imports("reports")
        if m.startswith("conformance") and m != "conformance.results"
    ]
    assert bad == []


def test_the_core_imports_no_testee():
    assert [(f, m) for f, m in imports("conformance") if m.startswith("testees")] == []
