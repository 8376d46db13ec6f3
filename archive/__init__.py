"""The story and podcast archive of the Week tegen Kindermishandeling.

``create_app`` reads like a table of contents: one ``configure_*`` step per
concern. Tests pass a mapping to override settings (temporary database,
``media/`` and ``index/``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.cli import FlaskGroup
from werkzeug.middleware.proxy_fix import ProxyFix

from . import auth, cli, database, hosts, search, security, stats
from . import config as settings
from .views import delivery, editor, public
from .views import search as search_views


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; raises :class:`~archive.errors.ConfigError` on bad settings."""
    app = Flask(
        __name__,
        instance_path=str(settings.PROJECT_ROOT / "instance"),
        template_folder=str(settings.PROJECT_ROOT / "templates"),
    )
    configure_settings(app, config)
    database.init_app(app)
    configure_search(app)
    configure_stats(app)
    configure_proxy(app)
    configure_hosts(app)
    configure_auth(app)
    configure_security(app)
    configure_blueprints(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    instance_path = Path(app.instance_path)
    app.config.update(settings.from_environment(instance_path))
    if overrides:
        app.config.update(overrides)
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite:///"):
        # The default database lives in instance/, which git ignores.
        instance_path.mkdir(parents=True, exist_ok=True)
    app.config["SECRET_KEY"] = settings.resolve_secret_key(app.config, instance_path)
    app.config["MEDIA_DIR"] = settings.check_directory("ARCHIVE_MEDIA_DIR", app.config["MEDIA_DIR"])
    app.config["INDEX_DIR"] = settings.check_directory("ARCHIVE_INDEX_DIR", app.config["INDEX_DIR"])
    app.config["BASE_URL"] = settings.check_base_url(app.config.get("BASE_URL"))
    if app.config.get("TRUSTED_HOSTS") is None:
        extra = list(app.config.get("EXTRA_HOSTS") or [])
        app.config["TRUSTED_HOSTS"] = settings.trusted_hosts(app.config["BASE_URL"], extra)
    app.config["MAX_UPLOAD_BYTES"] = int(app.config["MAX_UPLOAD_MB"]) * 1024 * 1024
    # The request limit leaves room for the form around the file; the media store
    # enforces the exact limit on the file itself while streaming.
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_BYTES"] + 1024 * 1024


def configure_search(app: Flask) -> None:
    search.init_app(app)


def configure_stats(app: Flask) -> None:
    stats.init_app(app)


def configure_proxy(app: Flask) -> None:
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )


def configure_hosts(app: Flask) -> None:
    hosts.init_app(app)


def configure_auth(app: Flask) -> None:
    app.config.setdefault("WTF_I18N_ENABLED", False)  # WTForms' own Dutch messages
    auth.init_app(app)


def configure_security(app: Flask) -> None:
    security.init_app(app)


def configure_blueprints(app: Flask) -> None:
    app.register_blueprint(public.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(delivery.bp)
    app.register_blueprint(search_views.bp)


def configure_cli(app: Flask) -> None:
    cli.init_app(app)


def main() -> None:
    """Console script ``archive``: the same commands as ``flask --app archive``."""
    FlaskGroup(create_app=create_app)()
