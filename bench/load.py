"""Concurrent respondents over HTTP: each one opens the intro, starts, answers its page and
submits, as a phone would. Counts what was sent, acknowledged, stored, lost and duplicated."""

import asyncio
import re
import threading
import time
from dataclasses import dataclass, field

import httpx
from sqlalchemy import text

from consult.db import make_engine

TOKEN = re.compile(r'name="token" value="([^"]+)"')


@dataclass
class Tally:
    sent: int = 0
    acknowledged: list[str] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0


def answers_form(questions: int = 10) -> dict:
    """The page as a browser posts it, `_shown` listing the questions it displayed."""
    answers = {f"s{i}": f"c{i % 5}" for i in range(questions)}
    return {**answers, "_shown": list(answers)}


async def _respondent(base: str, slug: str, section: str, form: dict, tally: Tally, budget) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        while budget():
            tally.sent += 1
            try:
                token = await _submit(client, slug, section, form)
                tally.acknowledged.append(token)
            except Exception as exc:  # counted, never hidden: the figures print them
                tally.errors += 1
                if len(tally.error_samples) < 5:
                    tally.error_samples.append(f"{type(exc).__name__}: {exc}"[:200])


async def _submit(client: httpx.AsyncClient, slug: str, section: str, form: dict) -> str:
    intro = await client.get(f"/r/{slug}")
    intro.raise_for_status()
    token = TOKEN.search(intro.text).group(1)
    csrf = client.cookies.get("consult_csrf")
    common = {"token": token, "_csrf_token": csrf}
    steps = [
        (f"/r/{slug}/start", {**common, "age_group": "15plus", "consent": "yes"}),
        (f"/r/{slug}/s/{section}", {**common, **form}),
        (f"/r/{slug}/submit", common),
    ]
    for path, data in steps:
        response = await client.post(path, data=data)
        if response.status_code != 303:
            raise RuntimeError(f"{path} answered {response.status_code}")
    if not response.headers["location"].endswith("/thanks"):
        raise RuntimeError(f"submit went to {response.headers['location']}")
    return token


def run_load(
    bases: list[str], slug: str, total: int, clients: int, section: str = "page0", tally=None
) -> Tally:
    """`total` submissions from `clients` concurrent respondents, spread over the servers
    (pass a `tally` to watch it from another thread while the run goes on)."""
    tally = tally if tally is not None else Tally()
    form = answers_form()

    def budget() -> bool:
        return tally.sent < total

    async def main() -> None:
        await asyncio.gather(
            *(
                _respondent(bases[i % len(bases)], slug, section, form, tally, budget)
                for i in range(clients)
            )
        )

    start = time.perf_counter()
    # In a thread of its own: the caller may already run an event loop (pytest with Playwright).
    runner = threading.Thread(target=asyncio.run, args=(main(),))
    runner.start()
    runner.join()
    tally.seconds = time.perf_counter() - start
    return tally


def stored_tokens(url: str, slug: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.token FROM response r JOIN campaign c ON c.id = r.campaign_id"
                " WHERE c.slug = :slug AND r.completed"
            ),
            {"slug": slug},
        ).all()
    engine.dispose()
    return [r[0] for r in rows]


def verdict(tally: Tally, stored: list[str]) -> dict:
    acknowledged = set(tally.acknowledged)
    return {
        "sent": tally.sent,
        "acknowledged": len(tally.acknowledged),
        "stored": len(stored),
        "lost": len(acknowledged - set(stored)),
        "duplicated": len(stored) - len(set(stored)),
        "errors": tally.errors,
        "per_second": round(len(tally.acknowledged) / tally.seconds, 1) if tally.seconds else 0,
    }
