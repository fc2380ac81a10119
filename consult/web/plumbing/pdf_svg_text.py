"""SVG text in WeasyPrint drawn a run at a time instead of a letter at a time.

WeasyPrint 70 lays out and draws every character of an SVG ``<text>`` on its own with Pango
(so that ``x``, ``dx``, ``rotate`` lists can place each one), even when nothing places them
one by one. A report's twenty charts hold some 4,000 characters: drawing their text was about
a third of the time WeasyPrint spends writing the PDF. A text with at most one ``x`` and one
``y`` and none of ``dx``, ``dy``, ``rotate``, ``textLength`` or ``letter-spacing`` (all our
charts write, :func:`analysis.charts.write_svg`) is drawn here as one run: the layout
WeasyPrint already makes of the whole text to measure it, drawn once, at the place its first
letter would have had. Pango then shapes the run as a whole (kerning included), as it does
for the text of the page. Any other text goes to WeasyPrint's own function.

Installed by :func:`consult.web.plumbing.pdf.load_weasyprint` for the versions whose
``svg.text.text`` this follows line by line (``VERSIONS``); another version keeps its own.
"""

from math import inf

VERSIONS = ("70.",)
PER_LETTER = ("dx", "dy", "rotate", "textLength")


def _one(value: str | None) -> bool:
    return value is None or len(value.replace(",", " ").split()) <= 1


def install(weasyprint) -> bool:
    """Use the run-at-a-time text in this WeasyPrint if it is a version this follows."""
    if not weasyprint.__version__.startswith(VERSIONS):
        return False
    from weasyprint import svg

    original = svg.TAGS["text"]
    if getattr(original, "run_at_a_time", False):
        return True
    fast = _fast_text(original)
    svg.TAGS["text"] = svg.TAGS["tspan"] = fast
    svg.text = fast  # draw_node compares TAGS entries with this name
    return True


def _fast_text(original):
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import normalize, size
    from weasyprint.text.line_break import split_first_line

    def text(svg, node, font_size):
        attrib = node.attrib
        if (
            not node.text
            or any(name in attrib for name in PER_LETTER)
            or node.get("letter-spacing") not in (None, "", "0", "normal")
            or not _one(attrib.get("x"))
            or not _one(attrib.get("y"))
        ):
            return original(svg, node, font_size)
        style = Style()
        style.update(INITIAL_VALUES)
        style.font_config = svg.font_config
        style["font_family"] = [
            font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
        ]
        style["font_style"] = node.get("font-style", "normal")
        weight = node.get("font-weight", 400)
        if node.get("direction") in ("ltr", "rtl"):
            style["direction"] = node.get("direction")
        if weight == "normal":
            weight = 400
        elif weight == "bold":
            weight = 700
        else:
            try:
                weight = int(weight)
            except ValueError:
                weight = 400
        style["font_weight"] = weight
        style["font_size"] = font_size
        layout, _, _, width, height, baseline = split_first_line(
            node.text, style, svg.context, inf, 0
        )
        x = (
            size(normalize(attrib["x"]).strip(), font_size, svg.inner_width)
            if "x" in attrib
            else None
        )
        y = (
            size(normalize(attrib["y"]).strip(), font_size, svg.inner_height)
            if "y" in attrib
            else None
        )
        # as WeasyPrint aligns a text vertically (its own approximations of ascent and descent)
        ascent, descent = font_size * 0.8, font_size * 0.2
        y_align = 0
        display_anchor = node.get("display-anchor")
        alignment_baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
        if display_anchor == "middle":
            y_align = -height / 2
        elif display_anchor == "top":
            pass
        elif display_anchor == "bottom":
            y_align = -height
        elif alignment_baseline in ("central", "middle"):
            y_align = (ascent + descent) / 2 - descent
        elif alignment_baseline in (
            "text-before-edge",
            "before_edge",
            "top",
            "hanging",
            "text-top",
        ):
            y_align = ascent
        elif alignment_baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
            y_align = -descent
        # the whole run where its first letter would have gone
        if x:
            svg.cursor_d_position[0] = 0
        if y:
            svg.cursor_d_position[1] = 0
        x = svg.cursor_position[0] if x is None else x
        y = svg.cursor_position[1] if y is None else y
        svg.cursor_position = x + width, y
        x_position = x + svg.cursor_d_position[0]
        y_position = y + svg.cursor_d_position[1] + y_align
        points = (
            (x_position, y_position - baseline),
            (x_position + width, y_position - baseline + height),
        )
        node.text_bounding_box = extend_bounding_box(node.text_bounding_box, points)

        svg.stream.push_state()
        fill, stroke = svg.set_graphical_state(node, font_size)
        svg.stream.begin_text()
        layout.reactivate(style)
        svg.fill_stroke(fill, stroke, text=True)
        text_box = TextBox(layout, style)
        text_box.baseline = baseline
        matrix = Matrix(a=1, d=-1, e=x_position, f=y_position)
        emojis = draw_first_line(svg.stream, text_box, "none", "none", matrix)
        svg.stream.end_text()
        svg.stream.pop_state()
        draw_emojis(svg.stream, style, x, y, emojis)

    text.run_at_a_time = True
    return text
