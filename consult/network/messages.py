"""Every message of the network's coded problems, in one place (French in network.po).

A message never names its row or field: ``render`` puts "Row 3, column “kind”:" in front.
"""

from analysis.i18n import N_
from surveys.problems import Problem

MESSAGES: dict[str, str] = {
    "REQUIRED": N_("This field is required."),
    "TOO_LONG": N_("At most {limit} characters."),
    "BAD_SLUG": N_(
        "“{value}” is not a valid identifier: lowercase letters, digits and dashes only."
    ),
    "SLUG_TAKEN": N_("The identifier “{value}” is already used by another partner."),
    "DUPLICATE_SLUG": N_("The identifier “{value}” already appears on row {first}."),
    "BAD_KIND": N_("“{value}” is not a kind of structure (association or institution)."),
    "BAD_BOOLEAN": N_("“{value}” is neither yes (oui) nor no (non)."),
    "BAD_DATE": N_("“{value}” is not a date; write it as YYYY-MM-DD, e.g. 2012-09-14."),
    "BAD_THEME": N_("“{value}” is not a theme code; known codes: {known}."),
    "BAD_EMAIL": N_("“{value}” is not an e-mail address."),
    "BAD_CONTACT": N_(
        "“{value}” is not a contact; write one per line as: name | role | phone | e-mail."
    ),
    "BAD_YEAR": N_("“{value}” is not a year between {low} and {high}."),
    "BAD_STATUS": N_("“{value}” is not a project status."),
    "BAD_CHOICE": N_("This choice is not available."),
    "UNKNOWN_QUESTION": N_("The campaign has no question named “{value}”."),
    "CSV_NOT_UTF8": N_("The file is not UTF-8 text: save it as “CSV UTF-8” and try again."),
    "CSV_EMPTY": N_("The file holds no partner."),
    "CSV_MISSING_COLUMN": N_("The column “{value}” is missing from the first row."),
    "CSV_UNKNOWN_COLUMN": N_("The column “{value}” is not known; expected columns: {known}."),
    "CSV_BAD_ROW": N_("This row has {found} cells where the first row has {expected}."),
}

WHERE_ROW_FIELD = N_("Row {row}, column “{field}”:")
WHERE_ROW = N_("Row {row}:")


def render(problem: Problem, gettext, with_where: bool = True) -> str:
    """The problem in the language of ``gettext``; CSV rows and columns go in front."""
    params = problem.params
    text = gettext(MESSAGES[problem.code]).format(**params)
    if not with_where or "row" not in params:
        return text
    if params.get("field"):
        prefix = gettext(WHERE_ROW_FIELD).format(row=params["row"], field=params["field"])
    else:
        prefix = gettext(WHERE_ROW).format(row=params["row"])
    return f"{prefix} {text}"
