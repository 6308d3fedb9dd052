"""Helpers for tests: threads raced against PostgreSQL's locks, the Redis server, and
phone photos stored sideways."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_in_threads(work: Callable[[int], Any], count: int = 8) -> list[Any]:
    """Start ``work(0)`` … ``work(count - 1)`` together, each on its own connection.

    Returns, in thread order, what each call returned or the exception it raised.
    """
    barrier = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def runner(n: int) -> None:
        try:
            barrier.wait()
            outcomes[n] = work(n)
        except Exception as error:  # the caller asserts on it
            outcomes[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def errors_in_threads(work: Callable[[int], Any], count: int = 8) -> list[Exception]:
    """``run_in_threads``, keeping only the exceptions raised."""
    return [o for o in run_in_threads(work, count) if isinstance(o, Exception)]


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
NEEDS_REDIS = "needs Redis at 127.0.0.1:6379 (CI has it)"


def redis_up() -> bool:
    """Whether the Redis server the tests use answers (they skip with NEEDS_REDIS if not)."""
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.3):
            return True
    except OSError:
        return False


def unreachable_redis_url() -> str:
    """A redis:// URL on a local port nothing listens on: Redis "down" for a test."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


ORIENTATION = 0x0112


def sideways_jpeg(width: int = 60, height: int = 30) -> bytes:
    """A phone photo stored sideways: left half red, right half blue, with EXIF
    orientation 6 ("turn 90° clockwise to view"), as phones write portrait shots."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (255, 0, 0))
    image.paste((0, 0, 255), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def assert_upright(data: bytes) -> None:
    """Turned clockwise, the red left half is on top and the blue right half below."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as stored:
        assert not stored.getexif()
        width, height = stored.size
        assert height > width
        rgb = stored.convert("RGB")
        top, bottom = (
            rgb.getpixel((width // 2, height // 8)),
            rgb.getpixel((width // 2, height * 7 // 8)),
        )
        assert isinstance(top, tuple) and isinstance(bottom, tuple)
        assert top[0] > 200 and top[2] < 60  # red
        assert bottom[2] > 200 and bottom[0] < 60  # blue
