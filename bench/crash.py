"""kill -9 the server in the middle of a load run, restart it, and check that every
submission that got a success answer is in the database and that SQLite is intact."""

import os
import signal
import sqlite3
import subprocess
import threading
import time
from contextlib import closing
from pathlib import Path

from bench import servers
from bench.load import Tally, run_load, stored_tokens, verdict


def crash_run(
    url: str, env: dict, slug: str, total: int, clients: int, kill_after: int, log: Path
) -> dict:
    """Kill the server once `kill_after` submissions have been acknowledged."""
    port = servers.free_port()
    command = [str(servers.BIN / "consult"), "serve", "--port", str(port)]
    full_env = {**os.environ, **env}
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        servers.wait_until_up(base + "/healthz", process)
        tally = Tally()

        def kill_when_due() -> None:
            while len(tally.acknowledged) < kill_after and tally.sent < total:
                time.sleep(0.01)
            os.kill(process.pid, signal.SIGKILL)

        killer = threading.Thread(target=kill_when_due)
        killer.start()
        run_load([base], slug, total, clients, tally=tally)
        killer.join()
        process.wait()
        restarted = subprocess.Popen(command, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        try:
            servers.wait_until_up(base + "/healthz", restarted)
            time.sleep(0.2)
            result = verdict(tally, stored_tokens(url, slug))
        finally:
            restarted.terminate()
            restarted.wait(timeout=30)
    result["integrity"] = _integrity(url)
    return result


def _integrity(url: str) -> str:
    if not url.startswith("sqlite"):
        return "n/a"
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
