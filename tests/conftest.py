"""Unit tests never write to the results table of a run.

``./course test`` sets ``AEHELPERS_RESULTS`` in the TensorFlow stage so that the lessons' records
land in ``build/executed/fast/results.jsonl`` (the fast site's table). A unit test that calls
``ae.record`` must not add rows to it; the tests of ``record`` itself set the variable to their
own file.
"""

import pytest


@pytest.fixture(autouse=True)
def _no_results_file(monkeypatch):
    monkeypatch.delenv("AEHELPERS_RESULTS", raising=False)
