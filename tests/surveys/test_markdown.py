"""Labels in Markdown reach respondents as safe HTML; HTML of their own never does."""

import pytest

from surveys.markdown import to_html, to_text


@pytest.mark.parametrize(
    ("label", "html"),
    [
        ("**Âge/Sexe**", "<strong>Âge/Sexe</strong>"),
        ("Un *petit* mot", "Un <em>petit</em> mot"),
        ("ligne 1\nligne 2", "ligne 1<br>ligne 2"),
        (
            "[site](https://example.org/a?b=1&c=2)",
            '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">site</a>',
        ),
        ("nom_de_variable reste", "nom_de_variable reste"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        (
            '[x](https://a.b/"onmouseover=1)',
            '<a href="https://a.b/&quot;onmouseover=1" rel="noopener noreferrer" target="_blank">x</a>',
        ),
        ("5 * 3 * 2", "5 * 3 * 2"),
    ],
)
def test_the_markdown_subset_and_nothing_else(label, html):
    assert to_html(label) == html


def test_plain_text_of_a_label():
    assert to_text("**Âge** et [site](https://a.org)") == "Âge et site"
