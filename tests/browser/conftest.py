"""A real server (`consult serve` in its own process) and Debian's Chromium through Playwright."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, templates, request) -> Iterator[str]:
    """The demo app served over HTTP by uvicorn, as `make run` does."""
    from tests.conftest import _template

    var_dir = tmp_path_factory.mktemp("live")
    database = var_dir / "consult.db"
    shutil.copyfile(_template("sqlite", True, templates, tmp_path_factory, request), database)
    port = free_port()
    env = {
        **os.environ,
        "CONSULT_VAR_DIR": str(var_dir),
        "CONSULT_DATABASE_URL": f"sqlite:///{database}",
    }
    log = (var_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "consult"), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def live_database(tmp_path_factory, live_server) -> Path:
    """The live server's SQLite file (``live_server`` puts it in a "live" folder)."""
    return sorted(tmp_path_factory.getbasetemp().glob("live*/consult.db"))[0]


def open_live_campaign(database: Path, make_version, slug: str, name: str, **fields) -> None:
    """A campaign open for a month on the live server, on the version ``make_version(db,
    commission_id)`` publishes for the youth commission."""
    from datetime import UTC, datetime, timedelta

    from sqlmodel import Session, select

    from consult.db import make_engine
    from consult.network.models import Commission
    from surveys.models import Campaign

    engine = make_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as db:
            youth = db.exec(select(Commission).where(Commission.slug == "jeunesse")).one()
            version = make_version(db, youth.id)
            assert version is not None
            now = datetime.now(UTC)
            db.add(Campaign(slug=slug, name=name, version_id=version.id,
                            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
                            consent_text="Tes réponses sont anonymes.", **fields))  # fmt: skip
            db.commit()
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    page = context.new_page()
    yield page
    context.close()


def htmx_idle(page, timeout: float = 30_000) -> None:
    """Wait until htmx has no request in flight and has bound what it swapped in.

    htmx binds new content (hx-get on change, hx-post on submit) only when it settles, ~20 ms
    after the swap; an event fired in between is lost and the test waits forever.
    """
    page.wait_for_function(
        "() => window.htmx && !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')",
        timeout=timeout,
    )
