"""Any worker can serve any request: a session opened on one server process is valid on
another, with the file store (one machine) and with Redis (several machines)."""

import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from bench import servers

CONSULT = str(Path(sys.executable).parent / "consult")


def _prepare(env: dict) -> None:
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([CONSULT, *command], env=env, check=True, capture_output=True)


@pytest.mark.parametrize("store", ["files", "redis"])
def test_a_login_on_one_process_is_valid_on_another(postgres, tmp_path, store, monkeypatch):
    url = postgres.url(postgres.create())
    env = {
        "CONSULT_DATABASE_URL": url,
        "CONSULT_VAR_DIR": str(tmp_path),
        "CONSULT_SECRET_KEY": "shared-secret-for-this-test-only",
        "PATH": "/usr/bin:/bin",
    }
    if store == "redis":
        env["CONSULT_REDIS_URL"] = "redis://127.0.0.1:6379/5"
        # Each process then has its own var folder: only Redis can share the session.
        env_b = {**env, "CONSULT_VAR_DIR": str(tmp_path / "other-machine")}
    else:
        env_b = env
    _prepare(env)
    with ExitStack() as stack:
        first = stack.enter_context(servers.consult_server(env, 1, tmp_path / "a.log"))
        second = stack.enter_context(servers.consult_server(env_b, 1, tmp_path / "b.log"))
        with httpx.Client(base_url=first, timeout=30) as client:
            client.get("/login")
            response = client.post(
                "/login",
                data={
                    "email": "jeunesse@consult.demo",
                    "password": "demo-jeunesse",
                    "_csrf_token": client.cookies["consult_csrf"],
                },
            )
            assert response.status_code == 303
            cookies = dict(client.cookies)
        with httpx.Client(base_url=second, cookies=cookies, timeout=30) as other:
            dashboard = other.get("/dashboard")
            assert dashboard.status_code == 200
            assert "Tableau de bord" in dashboard.text
            # A form posted to the second process passes its CSRF check too.
            logout = other.post("/logout", data={"_csrf_token": cookies["consult_csrf"]})
            assert logout.status_code == 303
        with httpx.Client(base_url=first, cookies=cookies, timeout=30) as again:
            assert again.get("/dashboard").status_code == 303
