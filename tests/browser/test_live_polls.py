"""A live poll of the room, end to end: the projector screen in one Chromium context, phones in
others and 30 more answers over plain HTTP; every answer reaches the screen within 2 s, and
hidden results stay hidden until the facilitator reveals them.

Run on one server (SQLite, in-process fan-out) and on two app processes sharing PostgreSQL
(LISTEN/NOTIFY) and PostgreSQL + Redis (pub/sub), each phone talking to either process.
"""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, free_port, wait_until_up

pytestmark = pytest.mark.browser
CONSULT = str(Path(sys.executable).parent / "consult")
REDIS_URL = "redis://127.0.0.1:6379/11"
HTTP_ANSWERS = 30


@pytest.fixture
def cluster(request, tmp_path, templates, tmp_path_factory) -> Iterator[list[str]]:
    """Two `consult serve` processes on one fresh PostgreSQL demo database, sharing the var
    folder and the secret key (and Redis when asked)."""
    from tests.conftest import _fresh_database

    url = _fresh_database("postgresql", True, templates, tmp_path_factory, request, tmp_path)
    env = {
        **os.environ,
        "CONSULT_DATABASE_URL": url,
        "CONSULT_VAR_DIR": str(tmp_path),
        "CONSULT_SECRET_KEY": "the-same-key-for-both-processes-" + "x" * 16,
    }
    if request.param == "redis":
        env["CONSULT_REDIS_URL"] = REDIS_URL
    processes, bases = [], []
    try:
        for i in range(2):
            port = free_port()
            log = (tmp_path / f"server-{i}.log").open("wb")
            process = subprocess.Popen(
                [CONSULT, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
            )
            processes.append((process, log))
            bases.append(f"http://127.0.0.1:{port}")
        for (process, _), base in zip(processes, bases, strict=True):
            wait_until_up(f"{base}/healthz", process)
        yield bases
    finally:
        for process, _log in processes:
            process.terminate()
        for process, log in processes:
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", "animation@consult.demo")
    page.fill("#password", "demo-animation")
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/dashboard$"))


def create_poll(page, base: str) -> str:
    page.goto(f"{base}/polls")
    page.fill("#question", "Quelle activité voulez-vous en priorité ?")
    page.select_option("#kind", "single")
    page.fill("#choices", "Sport\nMusique\nJeux vidéo")
    expect(page.locator("#hidden")).to_be_checked()
    page.locator("form[action='/polls'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/polls/[A-Z0-9]{5}$"))
    return page.url.rsplit("/", 1)[-1]


def answer_over_http(base: str, code: str, choice: str) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        client.get(f"/v/{code}")
        response = client.post(
            f"/v/{code}",
            data={"_csrf_token": client.cookies["consult_csrf"], "answer": choice},
        )
        assert response.status_code == 303, response.text


def run_live_poll(browser, bases: list[str], artifacts: Path, name: str) -> None:
    staff = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    phones = []
    try:
        control = staff.new_page()
        sign_in(control, bases[0])
        code = create_poll(control, bases[0])
        screen = staff.new_page()
        screen.goto(f"{bases[0]}/polls/{code}/screen")
        total = screen.locator("#poll-results .poll-count")
        expect(total).to_have_text("0")
        sent = {"Sport": 0, "Musique": 0, "Jeux vidéo": 0}
        choices = list(sent)
        order = []

        # Phones in their own browser contexts, each on either process.
        for i in range(3):
            context = browser.new_context(
                viewport=PHONE,
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                locale="fr-FR",
            )
            phones.append(context)
            phone = context.new_page()
            phone.goto(f"{bases[i % len(bases)]}/v/{code}")
            choice = choices[i % 3]
            phone.get_by_label(choice, exact=True).check()
            phone.locator(f"form[action='/v/{code}'] button[type=submit]").click()
            expect(phone.locator("p.notice[role=status]")).to_be_visible()
            sent[choice] += 1
            order.append(choice)
            expect(total).to_have_text(str(sum(sent.values())), timeout=2000)
            if i == 0:
                phone.screenshot(path=artifacts / f"poll-{name}-phone-thanks.png")

        # Thirty more people answering with a plain HTTP client (the CSRF cookie and token).
        for i in range(HTTP_ANSWERS):
            choice = choices[(i * 7) % 3]
            answer_over_http(bases[(i + 1) % len(bases)], code, choice)
            sent[choice] += 1
            order.append(choice)
            expect(total).to_have_text(str(sum(sent.values())), timeout=2000)

        # Hidden: the screen has the total and nothing else.
        assert screen.locator(".poll-bars").count() == 0
        assert screen.locator(".poll-hidden").is_visible()
        screen.screenshot(path=artifacts / f"poll-{name}-screen-hidden.png")

        # Revealed from the control page (on the other process when there are two).
        control.goto(f"{bases[-1]}/polls/{code}")
        control.locator(f"form[action='/polls/{code}/reveal'] button").click()
        bars = screen.locator(".poll-bars li")
        expect(bars).to_have_count(3, timeout=2000)
        # the bars count the votes in steps of k = 5 (disclosure control): the first 30 of 33
        counted = order[: len(order) // 5 * 5]
        for choice in sent:
            count = counted.count(choice)
            row = screen.locator(".poll-bars li", has_text=choice)
            expect(row.locator(".bar-value")).to_contain_text(str(count), timeout=2000)
        screen.screenshot(path=artifacts / f"poll-{name}-screen-revealed.png")
    finally:
        for context in phones:
            context.close()
        staff.close()


def test_a_live_poll_reaches_the_screen_within_two_seconds(browser, live_server, artifacts):
    run_live_poll(browser, [live_server], artifacts, "one-server")


@pytest.mark.postgres
@pytest.mark.parametrize("cluster", ["postgresql", "redis"], indirect=True)
def test_a_live_poll_fans_out_across_two_app_processes(browser, cluster, artifacts, request):
    run_live_poll(browser, cluster, artifacts, request.node.callspec.id)


def test_the_screen_falls_back_to_polling_without_event_source(browser, live_server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    context.add_init_script("delete window.EventSource;")
    try:
        page = context.new_page()
        sign_in(page, live_server)
        code = create_poll(page, live_server)
        page.goto(f"{live_server}/polls/{code}/screen")
        answer_over_http(live_server, code, "Sport")
        expect(page.locator(".poll-count")).to_have_text("1", timeout=3000)
    finally:
        context.close()


def test_the_phone_voting_page_has_no_accessibility_violations(browser, live_server, phone):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        sign_in(page, live_server)
        code = create_poll(page, live_server)
    finally:
        context.close()
    phone.goto(f"{live_server}/v/{code}")
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator(
        f"form[action='/v/{code}'] button[type=submit]"
    ).click()  # nothing chosen: the message
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
