"""Where an instance keeps its data: the database, the cache and file storage, built for
``spilka/settings.py`` from its environment variables (see the README's table).

Each function returns the setting's value and fails loudly on a bad one, as the rest of
the settings do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from spilka.lib.env import env_int, env_str


def databases(*, url: str | None, replica_url: str | None, sqlite_path: Path) -> dict[str, Any]:
    """``DATABASE_URL`` (PostgreSQL in production), else a SQLite file; a read replica
    when ``DATABASE_REPLICA_URL`` is set (the settings add its router)."""
    if url:
        default: dict[str, Any] = dict(
            dj_database_url.parse(
                url,
                conn_max_age=env_int("SPILKA_DB_CONN_MAX_AGE", 60, minimum=0),
                conn_health_checks=True,
            )
        )
    else:
        default = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {
                # WAL lets the web server read while the task worker writes; IMMEDIATE
                # transactions take the write lock up front instead of failing mid-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    result: dict[str, Any] = {"default": default}
    if replica_url:
        result["replica"] = dj_database_url.parse(replica_url, conn_max_age=60)
        result["replica"]["TEST"] = {"MIRROR": "default"}
    return result


def caches(*, url: str | None, debug: bool) -> dict[str, Any]:
    """Redis when ``SPILKA_CACHE_URL`` is set; else memory in debug, a table in production."""
    if url:
        if not url.startswith(("redis://", "rediss://")):
            raise ImproperlyConfigured("SPILKA_CACHE_URL must be a redis:// or rediss:// URL.")
        return {
            "default": {
                "BACKEND": "spilka.lib.cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "spilka",
                # A hung Redis must not hold a web worker for long: every call gives up after
                # these, and the cache then serves from the process's memory
                # (spilka/lib/cache.py).
                "OPTIONS": {
                    "socket_connect_timeout": env_int(
                        "SPILKA_CACHE_CONNECT_TIMEOUT_MS", 500, minimum=1
                    )
                    / 1000,
                    "socket_timeout": env_int("SPILKA_CACHE_TIMEOUT_MS", 1000, minimum=1) / 1000,
                },
            }
        }
    if debug:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Without Redis, production still shares rate limits and proof-of-work replay marks
    # between processes and servers, through a table (``manage.py createcachetable``).
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "spilka_cache",
        }
    }


def storages(*, media: str, private_root: str | None, debug: bool) -> dict[str, Any]:
    """Uploaded files on the file system or in S3 (``media``), static files hashed and
    compressed outside debug."""
    result: dict[str, Any] = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            if debug
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
        # Receipts, bank statements and recipients' photos: never under MEDIA_ROOT
        # (spilka/lib/storage.py).
        "private": {
            "BACKEND": "spilka.lib.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": private_root},
        },
    }
    if media == "s3":
        # Needs the optional extra: pip install 'spilka[s3]'. Credentials come from the
        # standard AWS_* variables read by django-storages.
        s3 = {
            "bucket_name": env_str("SPILKA_S3_BUCKET"),
            "endpoint_url": env_str("SPILKA_S3_ENDPOINT_URL"),
            "default_acl": "private",
            "querystring_auth": True,
        }
        result["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3}
        result["private"] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**s3, "location": "private"},
        }
    return result
