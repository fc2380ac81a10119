"""The layering of DESIGN.md is checked by import-linter; a planted upward import must fail it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def run_lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project_copy(tmp_path) -> Path:
    for package in ("consult", "surveys", "analysis"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_project_keeps_its_import_contracts():
    result = run_lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "planted", "broken"),
    [
        ("analysis/planted.py", "import surveys.models\n", "consult -> surveys -> analysis"),
        ("surveys/planted.py", "import consult.settings\n", "consult -> surveys -> analysis"),
        (
            "surveys/planted_web.py",
            "import litestar\n",
            "surveys and analysis know no web framework",
        ),
        (
            "consult/accounts/planted.py",
            "import consult.web.plumbing.access\n",
            "Layers inside consult",
        ),
        ("consult/db.py", "import consult.accounts.services\n", "Layers inside consult"),
        # the document and the type registry imported each other; surveys.choices broke the circle
        (
            "surveys/document.py",
            "import surveys.types\n",
            "No import cycles inside surveys or analysis",
        ),
        (
            "consult/web/plumbing/sessions.py",
            "import consult.web.areas.respond\n",
            "Web areas stand on the request plumbing",
        ),
        (
            "surveys/results/cache.py",
            "import surveys.results.report\n",
            "No import cycles inside surveys or analysis",
        ),
    ],
)
def test_a_planted_upward_import_breaks_the_contracts(project_copy, module, planted, broken):
    target = project_copy / module
    target.write_text((target.read_text() if target.exists() else "") + planted)
    result = run_lint_imports(project_copy)
    assert result.returncode != 0
    assert f"{broken} BROKEN" in result.stdout, result.stdout
