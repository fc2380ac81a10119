"""Every message of the plenary area's coded problems, in one place (French in plenary.po)."""

from analysis.i18n import N_
from surveys.problems import Problem

MESSAGES: dict[str, str] = {
    "POLL_QUESTION_REQUIRED": N_("Type the question to ask the room."),
    "POLL_QUESTION_TOO_LONG": N_("At most {limit} characters."),
    "POLL_BAD_KIND": N_("Choose the kind of question."),
    "POLL_TOO_FEW_CHOICES": N_("Give at least two choices, one per line."),
    "POLL_TOO_MANY_CHOICES": N_("At most {limit} choices."),
    "POLL_DUPLICATE_CHOICE": N_("The choice “{value}” appears twice."),
    "POLL_BAD_SCALE": N_("Choose a scale: 1 to 5 or 0 to 10."),
    "POLL_BAD_COMMISSION": N_("Choose one of your commissions."),
    "POLL_BAD_PLENARY": N_("This plenary does not exist."),
    "VOTE_CLOSED": N_("This poll is closed: answers are no longer taken."),
    "VOTE_ALREADY_ANSWERED": N_("You have already answered this poll from this phone."),
    "VOTE_CHOOSE_ONE": N_("Choose one answer."),
    "VOTE_CHOOSE_AT_LEAST_ONE": N_("Choose at least one answer."),
    "VOTE_BAD_CHOICE": N_("This answer is not one of the choices."),
    "VOTE_TEXT_REQUIRED": N_("Type a few words."),
    "VOTE_TEXT_TOO_LONG": N_("At most {limit} characters."),
    "DECK_BAD_KIND": N_("Choose the kind of slide."),
    "DECK_QUESTION_REQUIRED": N_("Choose a question for this slide."),
    "DECK_UNKNOWN_QUESTION": N_("The campaign has no question “{value}” to show."),
    "DECK_NO_SERIES": N_("This campaign has no earlier wave to compare with."),
    "DECK_TAKEAWAY_TOO_LONG": N_("At most {limit} characters."),
    "DECK_NO_QUESTION_CHOSEN": N_("Choose at least one question to show."),
    "DECK_PAIR_TOO_LONG": N_("At most {limit} characters."),
    "PUBLIC_UNKNOWN_QUESTION": N_("The campaign has no question “{value}” to show."),
}


def render(problem: Problem, gettext) -> str:
    return gettext(MESSAGES[problem.code]).format(**problem.params)


def by_field(problems, gettext) -> dict[str, list[str]]:
    """Messages grouped by the field they concern, for the ``error`` macro."""
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(problem.where or "form", []).append(render(problem, gettext))
    return out
