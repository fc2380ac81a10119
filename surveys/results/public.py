"""What may leave the commission: the rows public figures are computed on, the note.

Every public output (public page, deck, public API scope, public files and report) reads its
rows from :func:`public_results` and its figures through ``analysis.disclosure`` (with ``k``):
whole fieldwork periods only — no date, group or channel filter, so that two public readings
cannot be subtracted — and the first ``floor(n / k) * k`` responses of each wave in
submission order, so that a live page moves in steps of k responses. Row-level data never
leaves in public form.
"""

from analysis.disclosure import public_rows
from analysis.formats import below_k
from surveys.results.cache import ResultsData
from surveys.results.filters import Filtered
from surveys.results.messages import gettext_for

DEFAULT_K = 5


def public_results(data: ResultsData, k: int) -> Filtered:
    """The rows public figures are computed on (every filter ignored)."""
    frame = data.memo(("public-frame", k), lambda: public_rows(data.frame, k))
    return Filtered(frame, (), (), ("public", k))


def suppression_note(k: int, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "Outside the commission, any figure about fewer than %(k)s respondents is hidden "
        "and shown as “%(shown)s”; a few larger ones are hidden the same way so that the "
        "small ones cannot be worked out, and a question answered by fewer than %(k)s people "
        "shows no figure."
    ) % {"k": k, "shown": below_k(k, lang)}
