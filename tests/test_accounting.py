"""tools/accounting.py: what each lesson asks of a learner, counted (issue 21's table)."""

import nbformat
import pytest

from tools.accounting import count_lesson, table

pytestmark = pytest.mark.tooling


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(c[3:])
        if c.startswith("md:")
        else nbformat.v4.new_code_cell(c)
        for c in cells
    ]
    return nb


def test_core_and_going_deeper_are_counted_apart():
    counts, kinds = count_lesson(
        _nb(
            "md:## The model\none two three",
            "model = keras.Sequential([layers.Dense(3)])\n# a comment\nx = 1\nassert x == 1",
            "md:### Going deeper: a control\nfour five",
            "model.fit(x, x)\nplt.show()",
            "md:### Back in the core path\nsix",
            "md:## Exercises\nseven eight nine ten",
            "y = 2",
        )
    )
    # words of headings, prose and code, comments too (the exercises' "y = 2" in neither)
    assert counts["core_words"] == 5 + 13 + 6 and counts["deeper_words"] == 6 + 6
    assert counts["keras_lines"] == 2 and counts["other_lines"] == 3  # the comment is neither
    assert counts["asserts"] == 1 and counts["figures"] == 1 and not kinds


def test_every_lesson_has_a_row_and_declares_its_exercise_kinds():
    rows = table().splitlines()[2:]
    assert len(rows) >= 15 and not any("undeclared" in row for row in rows)
    assert table(["02b"]).splitlines()[2].startswith("| 02b_regularisation_and_properties |")
    with pytest.raises(SystemExit, match="no lesson starts with 99"):
        table(["99"])
