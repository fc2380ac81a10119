"""Results for a facilitator, timed on the demo (`make bench` rows): the results page with all
its charts cold (first view after the server starts) and warm, a new filter with its charts,
the PDF report from the web and from `consult results report`.

Each figure is wall time over loopback to a real server (one worker); the server's CPU
seconds for the same request are read from /proc, since on a shared machine the wall time
also counts other processes' turns.
"""

import re
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from consult.db import make_engine
from consult.demo import load_demo
from consult.migrations import upgrade
from consult.settings import Settings

SLUG = "temps-libre-2013"
LOGIN = ("animation@consult.demo", "demo-animation")
FILTERS = ("genre=fille", "genre=garcon", "quartier=centre_ville")
CHART = re.compile(r'src="(/campaigns/[^"]+\.svg[^"]*)"')


@dataclass(frozen=True)
class Timing:
    seconds: float
    cpu: float  # the server process's CPU seconds for it
    charts: int = 0


def prepare_demo(tmp: Path) -> str:
    tmp.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{tmp / 'demo.db'}"
    upgrade(Settings(var_dir=tmp, database_url=url))
    engine = make_engine(url)
    load_demo(engine)
    engine.dispose()
    return url


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children so far."""
    ticks = 0
    # the server itself and its children (whose parent, field 4, is the server), each once
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if path.parent.name == str(pid) or fields[1] == str(pid):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / 100


def login(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    client.get("/login")
    client.post(
        "/login",
        data={
            "email": LOGIN[0],
            "password": LOGIN[1],
            "_csrf_token": client.cookies["consult_csrf"],
        },
    )
    return client


def page_with_charts(
    client: httpx.Client, pid: int, query: str = "", cached: set[str] | None = None
) -> Timing:
    """The results page and every chart image it shows, fetched one after the other, except
    those in ``cached`` (a browser's cache: chart URLs carry the data version and are
    cacheable for a day, so a browser asks for a chart again only when the data changed)."""
    cpu, start = server_cpu(pid), time.perf_counter()
    page = client.get(f"/campaigns/{SLUG}/results/" + (f"?{query}" if query else ""))
    page.raise_for_status()
    charts = [u.replace("&amp;", "&") for u in CHART.findall(page.text)]
    fetched = [u for u in charts if cached is None or u not in cached]
    for url in fetched:
        client.get(url).raise_for_status()
    if cached is not None:
        cached.update(fetched)
    return Timing(time.perf_counter() - start, server_cpu(pid) - cpu, len(fetched))


def timed_get(client: httpx.Client, pid: int, path: str) -> Timing:
    cpu, start = server_cpu(pid), time.perf_counter()
    client.get(path).raise_for_status()
    return Timing(time.perf_counter() - start, server_cpu(pid) - cpu)


def measure_pages(base: str, pid: int) -> dict[str, Timing]:
    client = login(base)
    try:
        browser: set[str] = set()
        cold = page_with_charts(client, pid, cached=browser)
        warm = min(
            (page_with_charts(client, pid, cached=browser) for _ in range(5)),
            key=lambda t: t.seconds,
        )
        refetched = min((page_with_charts(client, pid) for _ in range(3)), key=lambda t: t.seconds)
        filters = [page_with_charts(client, pid, q) for q in FILTERS]
        pdf = timed_get(client, pid, f"/campaigns/{SLUG}/results/report.pdf")
    finally:
        client.close()
    return {
        "cold": cold,
        "warm": warm,
        "refetched": refetched,
        "filter": max(filters, key=lambda t: t.seconds),
        "pdf": pdf,
    }


def measure_command(consult: Path, env: dict, out: Path) -> Timing:
    """The whole command, interpreter start and imports included; its CPU seconds from the
    rusage of finished children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [str(consult), "results", "report", SLUG, "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Timing(seconds, cpu)


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages")), 0))
