"""Downloads with a per-read timeout and an overall deadline (issue 30).

pooch's downloader (and ``requests`` under it) bounds each wait for bytes, never the whole
download: a mirror URL that trickles a byte at a time made ``critique data fetch`` hang. Here a
download is streamed with ``requests`` (pooch's own HTTP client) and stopped when the whole
transfer passes :func:`download_deadline`. The caller (:func:`critique.datasets.catalog.fetch`)
writes to a temporary file and checks the sha256 before anything reaches the cache.
"""
from __future__ import annotations

import os
from pathlib import Path

NETWORK_TIMEOUT_S = 15  # longest wait for the next bytes of a download
DOWNLOAD_DEADLINE_S = 900  # longest a whole download may take (the largest upstream file is ~3 MB)


def no_network_hint() -> str:
    """What to do without a network (named in every download error)."""
    return ("With no network, set CRITIQUE_DATA_MIRROR to a folder holding the upstream files (for "
            "example ../shared/data/mirror, or one written by `critique data pack`)")


def download(url: str, dest: Path, filename: str, error: type[Exception] = OSError) -> None:
    """Stream ``url`` into ``dest`` with a per-read timeout and an overall deadline.

    ``NETWORK_TIMEOUT_S`` bounds each wait for bytes and ``DOWNLOAD_DEADLINE_S`` the whole
    download (``CRITIQUE_DOWNLOAD_DEADLINE`` seconds when set): a server that trickles a byte at a
    time never trips a per-read timeout, so without the deadline ``data fetch`` would hang. Reads
    use urllib3's ``read1`` (what is there, at most one receive), so the deadline is checked at
    least every ``NETWORK_TIMEOUT_S`` seconds. Any failure is one ``error`` (the catalogue passes
    its ``CatalogError``) naming the file, the address and CRITIQUE_DATA_MIRROR.
    """
    import time

    import requests  # pooch's own HTTP client (a dependency of pooch)

    deadline_s = download_deadline(error)
    start = time.monotonic()
    received = 0
    try:
        with requests.get(url, stream=True, timeout=NETWORK_TIMEOUT_S,
                          headers={"Accept-Encoding": "identity"}) as response:
            response.raise_for_status()
            with open(dest, "wb") as handle:
                while True:
                    chunk = response.raw.read1(1 << 16)
                    if not chunk:
                        break
                    handle.write(chunk)
                    received += len(chunk)
                    if time.monotonic() - start > deadline_s:
                        raise _Deadline(
                            f"{filename}: download from {url} took longer than {deadline_s:g} s "
                            f"overall ({received:,} bytes received; a slow or stalled server). "
                            f"{no_network_hint()}; or raise CRITIQUE_DOWNLOAD_DEADLINE")
    except _Deadline as exc:
        raise error(str(exc)) from None
    except Exception as exc:  # requests' ConnectionError, Timeout, HTTPError...
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}" if str(exc) else type(exc).__name__
        raise error(f"{filename}: download from {url} failed ({reason}). {no_network_hint()}") from None


class _Deadline(Exception):
    """The overall deadline passed (turned into the caller's error)."""


def download_deadline(error: type[Exception] = ValueError) -> float:
    """Seconds a whole download may take: ``CRITIQUE_DOWNLOAD_DEADLINE`` or ``DOWNLOAD_DEADLINE_S``;
    a setting that is not a number above 0 raises ``error`` naming it."""
    raw = os.environ.get("CRITIQUE_DOWNLOAD_DEADLINE", "").strip()
    if not raw:
        return DOWNLOAD_DEADLINE_S
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not (value > 0 and value != float("inf")):
        raise error(f"CRITIQUE_DOWNLOAD_DEADLINE={raw!r}: expected a number of seconds above 0")
    return value
