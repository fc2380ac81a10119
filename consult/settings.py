"""Settings: one frozen dataclass, read from ``CONSULT_*`` environment variables when asked.

Nothing here runs at import time; ``create_app(settings)`` and the CLI pass settings along.
"""

import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

from surveys.limits import MAX_QUESTIONS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = ROOT / "var"


def _secret_key(var_dir: Path) -> str:
    # Generated once and kept beside the data, so sessions survive restarts without any
    # hard-coded default key ever existing.
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Every field is documented in the README's settings table (a test keeps them in step)."""

    var_dir: Path = field(default=DEFAULT_VAR_DIR, metadata={"env": "CONSULT_VAR_DIR"})
    database_url: str = field(default="", metadata={"env": "CONSULT_DATABASE_URL"})
    secret_key: str = field(default="", metadata={"env": "CONSULT_SECRET_KEY"})
    host: str = field(default="127.0.0.1", metadata={"env": "CONSULT_HOST"})
    port: int = field(default=8000, metadata={"env": "CONSULT_PORT"})
    workers: int = field(default=1, metadata={"env": "CONSULT_WORKERS"})
    default_language: str = field(default="fr", metadata={"env": "CONSULT_DEFAULT_LANGUAGE"})
    secure_cookies: bool = field(default=False, metadata={"env": "CONSULT_SECURE_COOKIES"})
    redis_url: str = field(default="", metadata={"env": "CONSULT_REDIS_URL"})
    login_attempts: int = field(default=5, metadata={"env": "CONSULT_LOGIN_ATTEMPTS"})
    login_window_seconds: int = field(default=300, metadata={"env": "CONSULT_LOGIN_WINDOW_SECONDS"})
    code_attempts: int = field(default=10, metadata={"env": "CONSULT_CODE_ATTEMPTS"})
    code_window_seconds: int = field(default=900, metadata={"env": "CONSULT_CODE_WINDOW_SECONDS"})
    submit_rate: int = field(default=60, metadata={"env": "CONSULT_SUBMIT_RATE"})
    submit_rate_per_address: int = field(
        default=600, metadata={"env": "CONSULT_SUBMIT_RATE_PER_ADDRESS"}
    )
    suppression_k: int = field(default=5, metadata={"env": "CONSULT_SUPPRESSION_K"})
    max_questions: int = field(default=MAX_QUESTIONS, metadata={"env": "CONSULT_MAX_QUESTIONS"})
    sqlite_synchronous: str = field(default="FULL", metadata={"env": "CONSULT_SQLITE_SYNCHRONOUS"})
    debug: bool = field(default=False, metadata={"env": "CONSULT_DEBUG"})

    def __post_init__(self) -> None:
        var_dir = Path(self.var_dir)
        object.__setattr__(self, "var_dir", var_dir)
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{var_dir / 'consult.db'}")
        if not self.secret_key:
            object.__setattr__(self, "secret_key", _secret_key(var_dir))
        if self.suppression_k < 2:
            raise ValueError(f"CONSULT_SUPPRESSION_K must be at least 2, not {self.suppression_k}")
        if self.max_questions < 1:
            raise ValueError(f"CONSULT_MAX_QUESTIONS must be at least 1, not {self.max_questions}")
        if self.sqlite_synchronous not in ("FULL", "NORMAL"):
            raise ValueError(
                f"CONSULT_SQLITE_SYNCHRONOUS must be FULL or NORMAL, not {self.sqlite_synchronous!r}"
            )
        if self.default_language not in ("fr", "en"):
            raise ValueError(
                f"CONSULT_DEFAULT_LANGUAGE must be 'fr' or 'en', not {self.default_language!r}"
            )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        environ = dict(os.environ if environ is None else environ)
        values: dict = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            if f.type is int or f.type == "int":
                values[f.name] = int(raw)
            elif f.type is bool or f.type == "bool":
                values[f.name] = _bool(raw)
            elif f.name == "var_dir":
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
        values.update(overrides)
        return cls(**values)


def documented_variables() -> list[str]:
    return [f.metadata["env"] for f in fields(Settings)]
