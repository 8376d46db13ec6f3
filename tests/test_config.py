"""Settings come from ARCHIVE_* variables; bad ones stop start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive import create_app
from archive.config import database_url, from_environment, resolve_secret_key
from archive.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_point_into_the_checkout(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("ARCHIVE_"):
            monkeypatch.delenv(name)
    config = from_environment(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'archive.sqlite'}"
    assert config["MEDIA_DIR"] == str(ROOT / "media")
    assert config["INDEX_DIR"] == str(ROOT / "index")
    assert config["BASE_URL"] is None
    assert config["MAX_UPLOAD_MB"] == 500
    assert config["PROXY_FIX"] == 0


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", "postgresql+psycopg://archief@db/archief")
    monkeypatch.setenv("ARCHIVE_BASE_URL", "https://verhalen.example.nl/")
    monkeypatch.setenv("ARCHIVE_MAX_UPLOAD_MB", "20")
    monkeypatch.setenv("ARCHIVE_PROXY_FIX", "1")
    config = from_environment(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://archief@db/archief"
    assert config["BASE_URL"] == "https://verhalen.example.nl"
    assert config["MAX_UPLOAD_MB"] == 20
    assert config["PROXY_FIX"] == 1


@pytest.mark.parametrize(
    ("written", "used"),
    [
        ("postgresql://archief@db/archief", "postgresql+psycopg://archief@db/archief"),
        (
            "postgres://archief:geheim@db:5433/archief",
            "postgresql+psycopg://archief:geheim@db:5433/archief",
        ),
        ("postgresql+psycopg://archief@db/archief", "postgresql+psycopg://archief@db/archief"),
        ("postgresql+psycopg2://archief@db/archief", "postgresql+psycopg2://archief@db/archief"),
        ("sqlite:////srv/archief.sqlite", "sqlite:////srv/archief.sqlite"),
    ],
)
def test_plain_postgresql_url_uses_psycopg_3(monkeypatch, tmp_path, written, used):
    assert database_url(written) == used
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", written)
    assert from_environment(tmp_path)["SQLALCHEMY_DATABASE_URI"] == used


@pytest.mark.parametrize("value", ["veel", "0", "-3", "1.5", "2048"])
def test_bad_upload_limit_names_the_setting(monkeypatch, tmp_path, value):
    monkeypatch.setenv("ARCHIVE_MAX_UPLOAD_MB", value)
    with pytest.raises(ConfigError, match="ARCHIVE_MAX_UPLOAD_MB"):
        from_environment(tmp_path)


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = resolve_secret_key({}, tmp_path / "instance")
    second = resolve_secret_key({}, tmp_path / "instance")
    assert first == second and len(first) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
    assert resolve_secret_key({"SECRET_KEY": "gegeven"}, tmp_path / "instance") == "gegeven"


@pytest.mark.parametrize(
    ("override", "setting"),
    [
        ({"MEDIA_DIR": "/bestaat/niet"}, "ARCHIVE_MEDIA_DIR"),
        ({"INDEX_DIR": "/proc"}, "ARCHIVE_INDEX_DIR"),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:////bestaat/niet/x.db"}, "ARCHIVE_DATABASE_URL"),
        ({"SQLALCHEMY_DATABASE_URI": "geen-url"}, "ARCHIVE_DATABASE_URL"),
        ({"SQLALCHEMY_DATABASE_URI": "nosuchdb://x/y"}, "ARCHIVE_DATABASE_URL"),
    ],
)
def test_bad_configuration_stops_create_app(app_config, override, setting):
    with pytest.raises(ConfigError) as error:
        create_app({**app_config, **override})
    assert error.value.setting == setting
    assert setting in str(error.value.message)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ARCHIVE_MEDIA_DIR", "/bestaat/niet"),
        ("ARCHIVE_INDEX_DIR", "/proc"),
        ("ARCHIVE_DATABASE_URL", "sqlite:////bestaat/niet/archief.db"),
        ("ARCHIVE_DATABASE_URL", "postgresql://archief@127.0.0.1:1/archief"),
    ],
)
def test_start_up_error_is_one_line_without_traceback(tmp_path, variable, value):
    env = {
        **os.environ,
        "ARCHIVE_DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite'}",
        "ARCHIVE_MEDIA_DIR": str(tmp_path),
        "ARCHIVE_INDEX_DIR": str(tmp_path),
        "ARCHIVE_SECRET_KEY": "x",
        variable: value,
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "archive", "init-db"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {variable}:")
    assert "Traceback" not in result.stderr


def test_proxy_fix_uses_forwarded_headers_when_enabled(app_config):
    app = create_app({**app_config, "PROXY_FIX": 1})

    @app.get("/_waar")
    def where() -> str:
        from flask import request

        return request.host_url

    response = app.test_client().get(
        "/_waar", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "archief.example.nl"}
    )
    assert response.get_data(as_text=True) == "https://archief.example.nl/"
