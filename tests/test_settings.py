import re
from pathlib import Path

import pytest

from consult.settings import Settings, documented_variables

README = Path(__file__).parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme_and_nothing_more():
    table = re.findall(r"^\| `(CONSULT_[A-Z_]+)` \|", README.read_text(), flags=re.M)
    assert sorted(table) == sorted(documented_variables())


def test_defaults_use_an_sqlite_file_under_var(tmp_path):
    settings = Settings.from_env({"CONSULT_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'consult.db'}"
    assert settings.default_language == "fr"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = Settings.from_env({"CONSULT_VAR_DIR": str(tmp_path)}).secret_key
    second = Settings.from_env({"CONSULT_VAR_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert Settings.from_env({"CONSULT_VAR_DIR": str(tmp_path / "other")}).secret_key != first


def test_environment_values_are_typed(tmp_path):
    settings = Settings.from_env(
        {
            "CONSULT_VAR_DIR": str(tmp_path),
            "CONSULT_PORT": "9000",
            "CONSULT_SECURE_COOKIES": "true",
            "CONSULT_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/consult",
            "CONSULT_SECRET_KEY": "from-the-environment",
        }
    )
    assert settings.port == 9000 and settings.secure_cookies is True
    assert not settings.is_sqlite
    assert settings.secret_key == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_unknown_default_language_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(ValueError, match="CONSULT_DEFAULT_LANGUAGE"):
        Settings.from_env({"CONSULT_VAR_DIR": str(tmp_path), "CONSULT_DEFAULT_LANGUAGE": "de"})


def test_settings_are_frozen(tmp_path):
    settings = Settings(var_dir=tmp_path)
    with pytest.raises(AttributeError):
        settings.port = 1
