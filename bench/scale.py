"""Scale-out on PostgreSQL + Redis, at 1, 2 and 4 workers: a respondent page, a submission
(one request, and the whole respondent journey), and a live poll's fan-out (300 voters; time
until the projector's stream shows every vote). Each figure is set against the bare baseline
measured in the same run with the same number of workers (hello-world, one Core insert, 300
bare inserts).

BENCH_SCALE_WORKERS (default "1,2,4"), BENCH_SCALE_TOTAL (respondent journeys per run, default
2000) and BENCH_VOTERS (default 300) make it shorter.
"""

import asyncio
import os
import re
import threading
import time
from pathlib import Path

import httpx
from sqlmodel import Session, select

from bench import baseline, servers, wrk
from bench.common import (
    FORM_HEADERS,
    add_staff,
    cookie_header,
    drop_postgres,
    get_lua,
    met,
    paper_body,
    prepare_postgres,
    record,
    staff_client,
    start_draft,
)
from bench.data import create_campaign
from bench.load import run_load, stored_tokens, verdict
from consult.db import make_engine
from consult.network.models import Commission

WORKERS = [int(n) for n in os.environ.get("BENCH_SCALE_WORKERS", "1,2,4").split(",")]
TOTAL = int(os.environ.get("BENCH_SCALE_TOTAL", "2000"))
VOTERS = int(os.environ.get("BENCH_VOTERS", "300"))
CONCURRENT_VOTERS = 50
WARM_UP = 2  # seconds of wrk on the page before measuring it
START_SECONDS = 240  # four workers importing pandas and matplotlib at once on two busy cores
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
COUNT = re.compile(r'class="poll-count" data-total>(\d+)<')
CHOICES = ("Sport", "Musique", "Jeux vidéo")


def scale_section(tmp: Path, seconds: int) -> None:
    print(f"Scale-out: PostgreSQL + Redis at {WORKERS} workers", flush=True)
    tmp.mkdir(parents=True, exist_ok=True)
    url = prepare_postgres("consult_bench_scale", tmp)
    if url is None:
        return
    try:
        create_campaign(url, "page20", questions=20, per_page=20)
        create_campaign(url, "paper", questions=10, per_page=10)
        for workers in WORKERS:  # one campaign per run: its stored responses are that run's
            create_campaign(url, f"journey{workers}", questions=10, per_page=10)
        add_staff(url)
        engine = make_engine(url)
        baseline.metadata.create_all(engine)  # once, not by each baseline worker at once
        with Session(engine) as session:
            commission = session.exec(select(Commission.id).where(Commission.slug == "bench"))
            commission_id = commission.one()
        engine.dispose()
        figures = {}
        for workers in WORKERS:
            figures[workers] = _at(tmp, url, workers, seconds, commission_id)
        _growth(figures)
    finally:
        drop_postgres("consult_bench_scale")


def _at(tmp: Path, url: str, workers: int, seconds: int, commission_id: int) -> dict:
    """Every figure at this number of workers, with its same-run bare baseline."""
    label = f"PostgreSQL + Redis, {workers} worker{'s' if workers > 1 else ''}"
    with servers.baseline_server({"BENCH_DATABASE_URL": url}, workers, tmp / "bare.log") as base:
        hello = wrk.run(base + "/hello", seconds)
        insert = wrk.run(base + "/insert", seconds, lua=wrk.post_lua("a=1&b=2", FORM_HEADERS))
        bare_burst = _bare_burst(base)
    record(f"{label}: bare hello-world", f"{hello.requests_per_second:,.0f} req/s")
    record(
        f"{label}: bare Core insert (form POST)",
        f"{insert.requests_per_second:,.0f} req/s, p99 {insert.p99_ms:.0f} ms",
    )
    env = {
        "CONSULT_VAR_DIR": str(tmp / f"var-{workers}"),
        "CONSULT_DATABASE_URL": url,
        "CONSULT_REDIS_URL": REDIS_URL,
        "CONSULT_SECRET_KEY": "bench-scale-" + "k" * 32,
    }
    out: dict = {"hello": hello.requests_per_second, "insert": insert.requests_per_second}
    log = tmp / f"consult-{workers}.log"
    with servers.consult_server(env, workers, log, timeout=START_SECONDS) as base:
        respondent = start_draft(base, "page20")
        page_lua = get_lua(cookie_header(respondent))
        wrk.run(base + "/r/page20/s/page0", WARM_UP, lua=page_lua)  # every worker warmed up
        page = wrk.run(base + "/r/page20/s/page0", seconds, lua=page_lua)
        ratio = page.requests_per_second / hello.requests_per_second
        record(
            f"{label}: respondent page (20 questions)",
            f"{page.requests_per_second:,.0f} req/s, p99 {page.p99_ms:.0f} ms, errors {page.errors}",
            f"{ratio:.0%} of bare hello-world (target ≥ 40 %)",
            met(ratio >= 0.40),
        )
        staff = staff_client(base)
        lua = wrk.post_lua(paper_body(staff), {**FORM_HEADERS, "Cookie": cookie_header(staff)})
        paper = wrk.run(base + "/campaigns/paper/entry", seconds, lua=lua)
        ratio = paper.requests_per_second / insert.requests_per_second
        target = workers != 2 or (paper.requests_per_second >= 1000 and paper.p99_ms <= 50)
        record(
            f"{label}: submission (parse, validate, durable insert)",
            f"{paper.requests_per_second:,.0f} /s, p50 {paper.p50_ms:.0f} ms, "
            f"p99 {paper.p99_ms:.0f} ms, errors {paper.errors}",
            f"{ratio:.0%} of bare Core insert"
            + ("; target ≥ 1,000/s, p99 ≤ 50 ms" if workers == 2 else ""),
            met(target and paper.errors == 0) if workers == 2 else "",
        )
        tally = run_load([base], f"journey{workers}", TOTAL, 64)
        f = verdict(tally, stored_tokens(url, f"journey{workers}"))
        journeys = f["per_second"]
        record(
            f"{label}: full respondent submission (intro, start, page, submit: 4 requests)",
            f"{journeys:,.0f} /s, sent {f['sent']}, stored {f['stored']}, errors {f['errors']}",
            f"{journeys * 4 / insert.requests_per_second:.0%} of bare Core insert in requests",
            met(f["errors"] == 0 and f["stored"] == f["sent"]),
        )
        fanout = _fanout(base, staff, commission_id)
        record(
            f"{label}: live poll fan-out, {VOTERS} voters",
            f"all {fanout['shown']} on the projector {fanout['seconds']:.2f} s after the first "
            f"vote (the last vote acknowledged at {fanout['voted']:.2f} s; errors {fanout['errors']})",
            f"{fanout['seconds'] / bare_burst:.1f}× the {bare_burst:.2f} s of {VOTERS} bare inserts",
            met(fanout["shown"] == VOTERS and fanout["errors"] == 0),
        )
        staff.close()
        respondent.close()
    out.update(page=page.requests_per_second, paper=paper.requests_per_second, journeys=journeys)
    out["fanout"] = fanout["seconds"]
    return out


def _growth(figures: dict[int, dict]) -> None:
    """Throughput should grow with workers up to the cores there are, and not fall after."""
    counts = sorted(figures)
    if len(counts) < 2:
        return
    cores = os.cpu_count() or 1
    one = figures[counts[0]]
    for n in counts[1:]:
        f = figures[n]
        growth = {key: f[key] / one[key] for key in ("page", "paper", "journeys")}
        bare = f["hello"] / one["hello"]
        expected = n <= cores
        ok = all(g >= 1.2 for g in growth.values()) if expected else min(growth.values()) >= 0.8
        record(
            f"PostgreSQL + Redis, {n} workers against {counts[0]}",
            f"page ×{growth['page']:.2f}, submission ×{growth['paper']:.2f}, "
            f"journey ×{growth['journeys']:.2f} (bare hello ×{bare:.2f})",
            f"{cores} cores: "
            + ("target grows (≥ ×1.2)" if expected else "target holds (≥ ×0.8), no core left"),
            met(ok),
        )


def _bare_burst(base: str) -> float:
    """Seconds for VOTERS bare form POSTs with the voters' concurrency: the fan-out's baseline."""

    async def post(client: httpx.AsyncClient, gate: asyncio.Semaphore) -> None:
        async with gate:
            response = await client.post("/insert", content="answer=Sport", headers=FORM_HEADERS)
            response.raise_for_status()

    async def main() -> float:
        gate = asyncio.Semaphore(CONCURRENT_VOTERS)
        limits = httpx.Limits(max_connections=CONCURRENT_VOTERS)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            start = time.perf_counter()
            await asyncio.gather(*(post(client, gate) for _ in range(VOTERS)))
            return time.perf_counter() - start

    return _in_thread(main())


def _fanout(base: str, staff: httpx.Client, commission_id: int) -> dict:
    """A hidden single-choice poll, its projector stream open, VOTERS phones voting at once:
    seconds from the first vote to the stream showing them all."""
    code = _create_poll(staff, commission_id)
    watcher = _Watcher(base, staff.cookies, code)
    watcher.start()
    if not watcher.ready.wait(30):
        raise RuntimeError("the projector stream sent nothing within 30 s")
    errors = []

    async def vote(i: int, gate: asyncio.Semaphore) -> None:
        async with gate, httpx.AsyncClient(base_url=base, timeout=60) as phone:
            try:
                await phone.get(f"/v/{code}")
                data = {"_csrf_token": phone.cookies["consult_csrf"], "answer": CHOICES[i % 3]}
                response = await phone.post(f"/v/{code}", data=data)
                if response.status_code != 303:
                    errors.append(response.status_code)
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)

    async def main() -> float:
        gate = asyncio.Semaphore(CONCURRENT_VOTERS)
        await asyncio.gather(*(vote(i, gate) for i in range(VOTERS)))
        return time.perf_counter() - start

    start = time.perf_counter()
    voted = _in_thread(main())
    watcher.all_shown.wait(60)
    watcher.stop()
    shown = watcher.count
    seconds = (watcher.shown_at - start) if watcher.shown_at else float("nan")
    return {"shown": shown, "seconds": seconds, "voted": voted, "errors": len(errors)}


def _create_poll(staff: httpx.Client, commission_id: int) -> str:
    staff.get("/polls")
    response = staff.post(
        "/polls",
        data={
            "commission_id": str(commission_id),
            "kind": "single",
            "question": "Quelle activité en priorité ?",
            "choices": "\n".join(CHOICES),
            "scale": "1-5",
            "hidden": "1",
            "_csrf_token": staff.cookies["consult_csrf"],
        },
    )
    location = response.headers.get("location", "")
    if response.status_code != 303 or "/polls/" not in location:
        raise RuntimeError(f"creating the poll answered {response.status_code}")
    return location.rsplit("/", 1)[-1]


class _Watcher(threading.Thread):
    """The projector: reads the poll's server-sent events and notes when all votes show."""

    def __init__(self, base: str, cookies: httpx.Cookies, code: str) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=base, cookies=cookies, timeout=httpx.Timeout(60))
        self.code = code
        self.ready = threading.Event()
        self.all_shown = threading.Event()
        self.count = 0
        self.shown_at: float | None = None
        self._stopping = False

    def run(self) -> None:
        try:
            with self.client.stream("GET", f"/polls/{self.code}/stream") as response:
                for line in response.iter_lines():
                    if self._stopping:
                        return
                    if match := COUNT.search(line):
                        self.count = int(match.group(1))
                        self.ready.set()
                        if self.count >= VOTERS and self.shown_at is None:
                            self.shown_at = time.perf_counter()
                            self.all_shown.set()
                            return
        except httpx.HTTPError:
            pass  # stopped, or the server went: the figures say what was seen
        finally:
            self.ready.set()
            self.client.close()

    def stop(self) -> None:
        self._stopping = True


def _in_thread(coroutine):
    """Run a coroutine to its end in a thread of its own (the caller may have a loop)."""
    result = {}
    runner = threading.Thread(target=lambda: result.update(value=asyncio.run(coroutine)))
    runner.start()
    runner.join()
    return result["value"]
