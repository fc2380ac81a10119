from dataclasses import replace

from surveys.document import Section
from surveys.versions import diff
from tests.surveys.helpers import L, doc, q


def test_diff_lists_added_removed_and_changed_questions():
    old = doc(q("age", "integer"), q("town", "text"), q("mark", "rating"))
    new = doc(
        q("age", "integer", required=True, label=L("Âge")),
        q("mark", "rating"),
        q("wish", "long_text"),
    )
    changes = diff(old, new)
    assert changes.added == ("wish",)
    assert changes.removed == ("town",)
    assert [(c.name, c.fields) for c in changes.changed] == [("age", ("label", "required"))]


def test_a_question_moved_to_another_section():
    old = doc(q("age", "integer"))
    new = replace(old, sections=(Section("other", L("Autre"), questions=(q("age", "integer"),)),))
    assert [(c.name, c.fields) for c in diff(old, new).changed] == [("age", ("section",))]
    assert diff(old, old).is_empty
