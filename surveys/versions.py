"""What changed between two versions of a questionnaire, question by question.

Questions are matched on their stable ``name``, the join key with stored answers, so a
rename shows as one question removed and one added — which is what it means for the data.
"""

from dataclasses import dataclass, fields

from surveys.document import Document, Question


@dataclass(frozen=True)
class Change:
    name: str
    fields: tuple[str, ...]  # Question fields that differ, plus "section" when it moved


@dataclass(frozen=True)
class VersionDiff:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[Change, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _questions(document: Document) -> dict[str, tuple[str, Question]]:
    return {q.name: (s.name, q) for s in document.sections for q in s.questions}


def diff(old: Document, new: Document) -> VersionDiff:
    before, after = _questions(old), _questions(new)
    changed = []
    for name, (section, question) in after.items():
        if name not in before:
            continue
        old_section, old_question = before[name]
        names = [
            f.name
            for f in fields(Question)
            if getattr(old_question, f.name) != getattr(question, f.name)
        ]
        if old_section != section:
            names.append("section")
        if names:
            changed.append(Change(name, tuple(names)))
    return VersionDiff(
        added=tuple(n for n in after if n not in before),
        removed=tuple(n for n in before if n not in after),
        changed=tuple(changed),
    )
