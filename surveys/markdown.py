"""The small Markdown that XLSForm labels use (ODK and Kobo render it): bold, italic, links,
line breaks. Everything is escaped first, so a label can never carry HTML of its own; only
the tags made here (``strong``, ``em``, ``a href=http(s)/mailto``, ``br``) come out."""

import html
import re

_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_ITALIC = re.compile(
    r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"
)
_MARKERS = re.compile(r"[*_#]+")


def to_html(text: str) -> str:
    """Safe HTML for a label written in the Markdown subset."""
    out = html.escape(text, quote=True)
    out = _LINK.sub(
        lambda m: f'<a href="{m[2]}" rel="noopener noreferrer" target="_blank">{m[1]}</a>', out
    )
    out = _BOLD.sub(lambda m: f"<strong>{m[1] or m[2]}</strong>", out)
    out = _ITALIC.sub(lambda m: f"<em>{m[1] or m[2]}</em>", out)
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def to_text(text: str) -> str:
    """The label as plain text (charts, exports, screen titles): links keep their words."""
    return _MARKERS.sub("", _LINK.sub(lambda m: m[1], _BOLD.sub(lambda m: m[1] or m[2], text)))
