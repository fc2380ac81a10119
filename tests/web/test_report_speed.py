"""Where the report's time went, kept away: the command imports no library it does not use,
WeasyPrint loads without running a library search, and chart text in a PDF is drawn a run at
a time (issue 14's speed targets; the figures themselves are in `make bench`)."""

import base64
import os
import re
import subprocess
import sys

import pytest

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" '
    'font-family="DejaVu Sans">{}</svg>'
)


def pdf_of_svg(text_element: str) -> bytes:
    from consult.web.plumbing.pdf import load_weasyprint

    svg = base64.b64encode(SVG.format(text_element).encode()).decode()
    html = f'<img src="data:image/svg+xml;base64,{svg}">'
    return load_weasyprint().HTML(string=html).write_pdf(uncompressed_pdf=True)


def text_operators(pdf: bytes) -> int:
    """How many times the PDF shows text (one TJ per drawn run)."""
    return len(re.findall(rb"\]\s*TJ", pdf))


def test_a_chart_text_is_drawn_as_one_run_not_letter_by_letter():
    one = pdf_of_svg('<text x="10" y="30" text-anchor="start">Centre-ville</text>')
    anchored = pdf_of_svg('<text x="150" y="30" text-anchor="middle">Centre-ville</text>')
    assert text_operators(one) == 1
    assert text_operators(anchored) == 1


def test_a_text_placed_letter_by_letter_keeps_weasyprints_own_drawing():
    spaced = pdf_of_svg('<text x="10" y="30" dx="0 2 4">abc</text>')
    assert text_operators(spaced) == 3


def run_python(code: str, **env) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_weasyprint_loads_without_running_a_library_search():
    # ctypes' search runs ldconfig, gcc and ld for every name of Pango & co. that is not a file
    out = run_python(
        "import subprocess\n"
        "runs = []\n"
        "real = subprocess.Popen.__init__\n"
        "def counted(self, args, *a, **k):\n"
        "    runs.append(args)\n"
        "    real(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = counted\n"
        "from consult.web.plumbing.pdf import load_weasyprint\n"
        "assert load_weasyprint().HTML\n"
        "print(len(runs))\n"
    )
    assert out.strip() == "0"


@pytest.fixture
def demo_env(sqlite_demo_url, tmp_path):
    return {"CONSULT_DATABASE_URL": sqlite_demo_url, "CONSULT_VAR_DIR": str(tmp_path)}


def test_the_report_command_imports_neither_scipy_nor_openpyxl(demo_env, tmp_path):
    out = tmp_path / "report.pdf"
    modules = run_python(
        "import sys\n"
        "from consult.cli import main\n"
        f"assert main(['results', 'report', 'temps-libre-2013', '-o', {str(out)!r}]) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'openpyxl'}))\n"
        "print(sorted(m for m in sys.modules if m.startswith('consult.commands.')))\n",
        **demo_env,
    )
    assert out.read_bytes().startswith(b"%PDF")
    libraries, areas = modules.strip().splitlines()[-2:]
    assert libraries == "[]"
    assert areas == "['consult.commands.results']"  # no other area's services


def test_a_command_collects_garbage_less_often_and_leaves_the_collector_as_it_was(demo_env):
    import gc

    from consult.cli import fewer_collections, main

    before = gc.get_threshold()
    with fewer_collections(["results", "report", "x"]) as imported:
        assert gc.get_threshold()[0] >= 10_000
        imported()
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    with fewer_collections(["serve"]):
        assert gc.get_threshold() == before  # a server keeps Python's defaults
    os.environ.update(demo_env)
    try:
        assert main(["results", "report", "nope", "-o", os.devnull]) == 2
    finally:
        for key in demo_env:
            del os.environ[key]
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_help_still_lists_every_areas_commands():
    out = run_python(
        "from consult.cli import build_parser\nbuild_parser(['--help']).print_help()\n"
    )
    for command in ("results", "questionnaire", "campaign", "population", "audit", "backup"):
        assert command in out


def test_no_password_is_hashed_until_someone_signs_in():
    out = run_python(
        "import consult.cli\n"
        "from consult.accounts import services\n"
        "print(services._dummy_hash.cache_info().currsize)\n"
    )
    assert out.strip() == "0"
