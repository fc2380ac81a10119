"""The channels a response came through (``Response.channel``), as people name them.

Codes are stored: ``web`` (the public link or its QR code), ``paper`` (typed in from a paper
questionnaire), ``kiosk`` (a shared tablet), ``import`` (a response file), ``test`` (the
designer's trial runs) and ``partner:<code>`` (a partner's own link). Every page, slide,
report and human-readable file says them with :func:`channel_name`, in the reader's language.
"""

from collections.abc import Callable

from analysis.i18n import N_

CHANNEL_NAMES = {
    "web": N_("Online"),
    "paper": N_("Paper"),
    "kiosk": N_("Kiosk"),
    "import": N_("File import"),
    "test": N_("Test run"),
}
PARTNER_PREFIX = "partner:"
PARTNER_NAME = N_("Partner link: {code}")


def channel_name(code: str, gettext: Callable[[str], str]) -> str:
    """« En ligne », « Papier », « Borne », « Import », « Lien partenaire : mjc »; an unknown
    code is shown as it is."""
    code = str(code)
    if code in CHANNEL_NAMES:
        return gettext(CHANNEL_NAMES[code])
    if code.startswith(PARTNER_PREFIX):
        return gettext(PARTNER_NAME).format(code=code.removeprefix(PARTNER_PREFIX))
    return code
