"""`make bench`: figures and ratios against bare baselines measured in the same run, on the
same server set-up (uvicorn, one worker unless said), over loopback with wrk.

Set BENCH_SECONDS (wrk duration, default 8), BENCH_LOAD_TOTAL (default 10000),
BENCH_MILLION=0 to skip the 1,000,000-response summaries, and BENCH_SECTIONS (or BENCH_ONLY)
to run some sections only, comma-separated (e.g. "scale_section,results_section"; see
bench/scale.py for its own settings).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import servers, wrk
from bench.common import (
    FORM_HEADERS,
    add_staff,
    cookie_header,
    drop_postgres,
    get_lua,
    met,
    paper_body,
    prepare_postgres,
    prepare_sqlite,
    record,
    rows,
    staff_client,
    start_draft,
)
from bench.crash import crash_run
from bench.data import create_campaign, generate_answers, insert_responses
from bench.load import run_load, stored_tokens, verdict
from bench.scale import scale_section as scale_out

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
LOAD_TOTAL = int(os.environ.get("BENCH_LOAD_TOTAL", "10000"))
MILLION = os.environ.get("BENCH_MILLION", "1") != "0"


def page_weight(
    base: str, path: str, cached: set[str], cookies: httpx.Cookies | None = None
) -> tuple[int, int]:
    """Bytes over the wire (gzip) and requests for a page and what it loads, minus what a
    browser already has in its cache. A section page needs the respondent's draft cookie:
    without it the answer is a redirect of a few hundred bytes, not the page."""
    headers = {"Accept-Encoding": "gzip"}
    with httpx.Client(base_url=base, headers=headers, cookies=cookies, timeout=30) as client:
        page = client.get(path)
        if page.status_code != 200:
            raise RuntimeError(f"{path} answered {page.status_code}, not the page")
        total, requests = page.num_bytes_downloaded + _header_bytes(page), 1
        for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text):
            if asset in cached:
                continue
            cached.add(asset)
            response = client.get(asset)
            total += response.num_bytes_downloaded + _header_bytes(response)
            requests += 1
    return total, requests


def _header_bytes(response: httpx.Response) -> int:
    return sum(len(k) + len(v) + 4 for k, v in response.headers.raw)


def http_section(tmp: Path) -> None:
    print("HTTP throughput (wrk -t2 -c32, one worker)", flush=True)
    url = prepare_sqlite(tmp)
    create_campaign(url, "page20", questions=20, per_page=20)
    create_campaign(url, "paper", questions=10, per_page=10)
    add_staff(url)
    base_env = {"BENCH_DATABASE_URL": f"sqlite:///{tmp / 'baseline.db'}"}
    with servers.baseline_server(base_env, 1, tmp / "baseline.log") as base:
        hello = wrk.run(base + "/hello", SECONDS)
        core = wrk.run(base + "/insert", SECONDS, lua=wrk.post_lua("a=1&b=2", FORM_HEADERS))
    record("bare hello-world", f"{hello.requests_per_second:,.0f} req/s")
    record("disk: one durable SQLite commit (WAL, synchronous=FULL)", commit_latency(tmp))
    record(
        "bare Core insert (form POST)",
        f"{core.requests_per_second:,.0f} req/s, p99 {core.p99_ms:.0f} ms",
    )

    results = {}
    for synchronous in ("FULL", "NORMAL"):
        env = {
            "CONSULT_VAR_DIR": str(tmp),
            "CONSULT_DATABASE_URL": url,
            "CONSULT_SQLITE_SYNCHRONOUS": synchronous,
        }
        with servers.consult_server(env, 1, tmp / f"consult-{synchronous}.log") as base:
            if synchronous == "FULL":
                respondent = start_draft(base, "page20")
                page = wrk.run(
                    base + "/r/page20/s/page0", SECONDS, lua=get_lua(cookie_header(respondent))
                )
                ratio = page.requests_per_second / hello.requests_per_second
                record(
                    "respondent page (20 questions)",
                    f"{page.requests_per_second:,.0f} req/s, p99 {page.p99_ms:.0f} ms",
                    f"{ratio:.0%} of hello-world (target ≥ 40 %)",
                    met(ratio >= 0.40),
                )
                cached: set[str] = set()
                first = page_weight(base, "/r/page20", cached)
                following = page_weight(base, "/r/page20/s/page0", cached, respondent.cookies)
                record(
                    "first respondent page",
                    f"{first[0] / 1024:.1f} KB in {first[1]} requests",
                    "target ≤ 60 KB, ≤ 6",
                    met(first[0] <= 60 * 1024 and first[1] <= 6),
                )
                record(
                    "next respondent page",
                    f"{following[0] / 1024:.1f} KB in {following[1]} requests",
                    "target ≤ 15 KB",
                    met(following[0] <= 15 * 1024),
                )
            staff = staff_client(base)
            lua = wrk.post_lua(paper_body(staff), {**FORM_HEADERS, "Cookie": cookie_header(staff)})
            results[synchronous] = wrk.run(base + "/campaigns/paper/entry", SECONDS, lua=lua)
    full, normal = results["FULL"], results["NORMAL"]
    ratio = full.requests_per_second / core.requests_per_second
    record(
        "submission (parse, validate, durable insert), synchronous=FULL",
        f"{full.requests_per_second:,.0f} /s, p50 {full.p50_ms:.0f} ms, p99 {full.p99_ms:.0f} ms, errors {full.errors}",
        f"{ratio:.0%} of bare Core insert (target ≥ 50 %); target ≥ 1,000/s, p99 ≤ 50 ms",
        met(ratio >= 0.5 and full.requests_per_second >= 1000 and full.p99_ms <= 50),
    )
    cost = 1 - full.requests_per_second / normal.requests_per_second
    record(
        "synchronous=NORMAL instead",
        f"{normal.requests_per_second:,.0f} /s",
        f"FULL costs {cost:.0%} (FULL kept if ≤ 20 %)",
        "FULL kept" if cost <= 0.2 else "FULL costs more than 20 %",
    )


def commit_latency(tmp: Path, commits: int = 200) -> str:
    """What bounds one-transaction-per-request writes: a durable commit waits for the disk
    (on a shared machine its flush time varies tenfold from one minute to the next)."""
    import sqlite3
    import statistics

    with sqlite3.connect(tmp / "fsync-probe.db", isolation_level=None) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, value TEXT)")
        times = []
        for _ in range(commits):
            start = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO probe (value) VALUES ('x')")
            conn.execute("COMMIT")
            times.append(time.perf_counter() - start)
    times.sort()
    median, p99 = statistics.median(times) * 1000, times[int(len(times) * 0.99)] * 1000
    return (
        f"median {median:.2f} ms, p99 {p99:.1f} ms, max {times[-1] * 1000:.1f} ms: one commit"
        f" after another, at most {1000 / median:,.0f}/s, and every slow flush stalls them all"
    )


def load_section(tmp: Path) -> None:
    print(f"Load: {LOAD_TOTAL} full respondent submissions, 64 concurrent clients", flush=True)
    url = prepare_sqlite(tmp / "load-sqlite")
    create_campaign(url, "load", questions=10)
    env = {"CONSULT_VAR_DIR": str(tmp / "load-sqlite"), "CONSULT_DATABASE_URL": url}
    with servers.consult_server(env, 1, tmp / "load-sqlite.log") as base:
        tally = run_load([base], "load", LOAD_TOTAL, 64)
    _record_load("load on SQLite, 1 worker", verdict(tally, stored_tokens(url, "load")))

    pg = prepare_postgres("consult_bench_load", tmp)
    if pg:
        create_campaign(pg, "load", questions=10)
        env = {"CONSULT_VAR_DIR": str(tmp / "load-pg"), "CONSULT_DATABASE_URL": pg}
        with servers.consult_server(env, 2, tmp / "load-pg.log") as base:
            tally = run_load([base], "load", LOAD_TOTAL, 64)
        _record_load("load on PostgreSQL, 2 workers", verdict(tally, stored_tokens(pg, "load")))
        drop_postgres("consult_bench_load")

    crash_dir = tmp / "crash"
    url = prepare_sqlite(crash_dir)
    create_campaign(url, "load", questions=10)
    figures = crash_run(
        url,
        {"CONSULT_VAR_DIR": str(crash_dir), "CONSULT_DATABASE_URL": url},
        "load",
        total=2000,
        clients=32,
        kill_after=500,
        log=tmp / "crash.log",
    )
    record(
        "kill -9 mid-run, restart (SQLite)",
        f"acknowledged {figures['acknowledged']}, stored {figures['stored']}, lost {figures['lost']}, "
        f"duplicated {figures['duplicated']}, integrity {figures['integrity']}",
        "",
        met(figures["lost"] == 0 and figures["duplicated"] == 0 and figures["integrity"] == "ok"),
    )


def _record_load(name: str, f: dict) -> None:
    ok = f["errors"] == 0 and f["stored"] == f["sent"] and f["lost"] == 0 and f["duplicated"] == 0
    record(
        name,
        f"sent {f['sent']}, acknowledged {f['acknowledged']}, stored {f['stored']}, lost {f['lost']}, "
        f"duplicated {f['duplicated']}, errors {f['errors']}, {f['per_second']}/s",
        "target: 0 errors, all stored once",
        met(ok),
    )


def summaries_section(tmp: Path) -> None:
    print("All-question summaries (30 questions), each in a fresh process", flush=True)
    answers = generate_answers(1_000_000 if MILLION else 100_000)
    plans = [("SQLite", 100_000), ("PostgreSQL", 100_000)]
    if MILLION:
        plans += [("PostgreSQL", 1_000_000), ("SQLite", 1_000_000)]
    for kind, n in plans:
        if kind == "SQLite":
            url = prepare_sqlite(tmp / f"sum-{n}")
        else:
            url = prepare_postgres(f"consult_bench_{n}", tmp)
            if url is None:
                continue
        slug = f"bench-{n}"
        campaign_id, version_id = create_campaign(url, slug)
        insert_responses(url, campaign_id, version_id, answers[:n])
        out = subprocess.run(
            [sys.executable, "-m", "bench.summaries", url, slug],
            capture_output=True,
            text=True,
            timeout=1200,
        )
        if out.returncode != 0:
            record(
                f"summary {n:,} × 30 on {kind}", "failed: " + out.stderr.strip().splitlines()[-1]
            )
            continue
        f = json.loads(out.stdout.strip().splitlines()[-1])
        if n == 100_000:
            target, ok = (
                "target ≤ 2 s cold, ≤ 100 ms warm, ≤ 1 GB",
                f["cold_s"] <= 2 and f["warm_s"] <= 0.1 and f["peak_mb"] <= 1024,
            )
        elif kind == "PostgreSQL":
            target, ok = "target ≤ 15 s cold, ≤ 1 GB", f["cold_s"] <= 15 and f["peak_mb"] <= 1024
        else:
            target, ok = "≤ 1 GB", f["peak_mb"] <= 1024
        record(
            f"summary {n:,} × 30 on {kind}",
            f"cold {f['cold_s']:.2f} s, warm {f['warm_s'] * 1000:.0f} ms, peak {f['peak_mb']:.0f} MB",
            target,
            met(ok),
        )
        if kind == "PostgreSQL":
            drop_postgres(f"consult_bench_{n}")


def report_section(tmp: Path) -> None:
    url = prepare_sqlite(tmp / "report")
    campaign_id, version_id = create_campaign(url, "report")
    insert_responses(url, campaign_id, version_id, generate_answers(1000))
    env = {**os.environ, "CONSULT_VAR_DIR": str(tmp / "report"), "CONSULT_DATABASE_URL": url}
    start = time.perf_counter()
    done = subprocess.run(
        [
            str(servers.BIN / "consult"),
            "results",
            "report",
            "report",
            "-o",
            str(tmp / "report.pdf"),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        record(
            "PDF report, 30 questions", "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
        )
        return
    record(
        "PDF report, 30 questions, 1,000 responses (whole command)",
        f"{seconds:.1f} s",
        "target ≤ 10 s",
        met(seconds <= 10),
    )


def scale_section(tmp: Path) -> None:
    scale_out(tmp, SECONDS)


def results_section(tmp: Path) -> None:
    """A facilitator's results on the demo: targets of issue 14."""
    from bench import results_pages

    print("Results pages on the demo (one worker)", flush=True)
    url = results_pages.prepare_demo(tmp)
    env = {"CONSULT_VAR_DIR": str(tmp), "CONSULT_DATABASE_URL": url}
    with servers.consult_server(env, 1, tmp / "results.log") as base:
        pid = servers.last_pid()
        t = results_pages.measure_pages(base, pid)
    cold, warm, filtered, pdf = t["cold"], t["warm"], t["filter"], t["pdf"]
    record(
        f"results page + its {cold.charts} charts, cold (first view)",
        f"{cold.seconds * 1000:,.0f} ms (server CPU {cold.cpu * 1000:,.0f} ms)",
        "target ≤ 1 s",
        met(cold.seconds <= 1),
    )
    record(
        "results page, warm (its charts in the browser's cache)",
        f"{warm.seconds * 1000:,.0f} ms (server CPU {warm.cpu * 1000:,.0f} ms)",
        "target ≤ 150 ms",
        met(warm.seconds <= 0.15),
    )
    again = t["refetched"]
    record(
        f"results page + its {again.charts} charts fetched again, warm",
        f"{again.seconds * 1000:,.0f} ms (server CPU {again.cpu * 1000:,.0f} ms)",
    )
    record(
        "results page + charts, a new filter (slowest of 3)",
        f"{filtered.seconds * 1000:,.0f} ms (server CPU {filtered.cpu * 1000:,.0f} ms)",
        "target ≤ 500 ms",
        met(filtered.seconds <= 0.5),
    )
    record(
        "PDF report from the web (demo)",
        f"{pdf.seconds:.2f} s (server CPU {pdf.cpu:.2f} s)",
        "target ≤ 3 s",
        met(pdf.seconds <= 3),
    )
    out = tmp / "report.pdf"
    command = results_pages.measure_command(servers.BIN / "consult", {**os.environ, **env}, out)
    record(
        "PDF report, `consult results report` (demo, whole command)",
        f"{command.seconds:.2f} s (CPU {command.cpu:.2f} s), {results_pages.page_count(out)} pages",
        "target ≤ 3 s",
        met(command.seconds <= 3),
    )


def weights_section(tmp: Path) -> None:
    from bench.weights import raking_seconds

    seconds, iterations, error = raking_seconds()
    record(
        "raking 100,000 respondents to 3 margins (trimmed 0.2–5)",
        f"{seconds * 1000:.0f} ms, {iterations} iterations, max error {error:.1e}",
        "target ≤ 1 s",
        met(seconds <= 1),
    )


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
        tmp_path = Path(tmp)
        sections = (
            http_section,
            load_section,
            scale_section,
            summaries_section,
            report_section,
            weights_section,
            results_section,
        )
        chosen = os.environ.get("BENCH_SECTIONS") or os.environ.get("BENCH_ONLY", "")
        for section in sections:
            if chosen and section.__name__ not in chosen.split(","):
                continue
            try:
                section(tmp_path / section.__name__)
            except Exception as exc:  # one broken section must not hide the others' figures
                record(section.__name__, f"failed: {type(exc).__name__}: {exc}"[:200])
    print()
    print(
        f"make bench — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {time.perf_counter() - started:.0f} s"
    )
    print()
    print("| measure | figure | compared with | verdict |")
    print("| --- | --- | --- | --- |")
    for measure, figure, compared, outcome in rows:
        print(f"| {measure} | {figure} | {compared} | {outcome} |")


if __name__ == "__main__":
    main()
