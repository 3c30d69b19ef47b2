"""results.json: written and read back unchanged, whatever text a testee answered."""

from conformance.results import CheckResult, Failure, RunResults, dump_results, load_results


def test_a_record_holding_a_lone_surrogate_is_utf8_and_reads_back_equal():
    """A real SDK (Jackson) accepts a lone surrogate and answers with it: the record survives."""
    failure = Failure(
        message="accepted",
        document='{"instructions":"\\ud800"}',
        expected=None,
        answer='accepted: {"instructions":"\ud800"}',
        difference=None,
        replay="true",
    )
    check = CheckResult("required.valid.roundtrip", "REQUIRED", "failed", 1, 0.1, failure=failure)
    results = RunResults("0", 1, "t", {}, {}, "quick", 0, "now", 1.0, (check,))
    text = dump_results(results)
    text.encode("utf-8")  # raises UnicodeEncodeError on a raw lone surrogate
    assert load_results(text) == results
