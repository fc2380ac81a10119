"""A question's choices, and the ones it offers when its document lists none (yes/no).

The document (:meth:`surveys.document.Question.choice_values`) and the type registry
(:mod:`surveys.types`) both need this; it lives here, below both, so that neither imports the
other (they used to import each other).
"""

from dataclasses import dataclass, field, replace
from typing import Protocol

Labels = dict[str, str]


@dataclass(frozen=True)
class Choice:
    value: str
    label: Labels = field(default_factory=dict)
    # "None of these": ticking it excludes every other choice of a multiple choice
    exclusive: bool = False
    # a picture shown as a large tile above the label (surveys.images): the SHA-256 of its
    # small WebP file, its size in pixels, and its text for those who cannot see it
    image: str = ""
    image_width: int = 0
    image_height: int = 0
    image_alt: Labels = field(default_factory=dict)
    # the choices-sheet columns a choice_filter reads, one mapping per row of the sheet that
    # gave this value (surveys.choice_filter); none: always offered
    columns: tuple[dict[str, str], ...] = ()


IMAGE_FIELDS = ("image", "image_width", "image_height", "image_alt")


def with_image_of(choice: Choice, source: Choice | None) -> Choice:
    """``choice`` carrying the image of ``source`` (when it has one and ``choice`` none)."""
    if source is None or not source.image or choice.image:
        return choice
    return replace(choice, **{name: getattr(source, name) for name in IMAGE_FIELDS})


YES_NO_CHOICES = (
    Choice("yes", {"fr": "Oui", "en": "Yes"}),
    Choice("no", {"fr": "Non", "en": "No"}),
)


class HasChoices(Protocol):
    """What :func:`effective_choices` reads of a question."""

    @property
    def type(self) -> str: ...

    @property
    def choices(self) -> tuple[Choice, ...]: ...


def effective_choices(question: HasChoices) -> tuple[Choice, ...]:
    if question.type == "yes_no" and not question.choices:
        return YES_NO_CHOICES
    return question.choices
