"""No network at run time, localhost only, uploads apart (issue #6), in a real Chromium against a real server.

The server runs with a `sitecustomize.py` on PYTHONPATH that makes every non-loopback connect, sendto and
name lookup raise, and logs each attempt. Browser session A reviews a real clip; session B, open on the
same server at the same time, sees neither A's upload nor A's result. Afterwards the log shows the guard
was loaded in the server and nothing tried to leave the machine, and the server refuses connections on the
machine's non-loopback address.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from browser_helpers import launch, need_browser, shot, start_app

pytestmark = pytest.mark.browser

CLIP = ("squat", "calimiro_squat_17.mp4")
"""A short (4.4 s) real side-on squat clip."""

GUARD = r'''
"""Test guard: only loopback networking; every other attempt is logged and refused."""
import ipaddress
import os
import socket
import traceback

_LOG = os.environ["COACH_NET_LOG"]
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}


def _log(line):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _loopback(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).split("%")[0]
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def _check(kind, address):
    if isinstance(address, tuple) and address and not _loopback(address[0]):
        where = "".join(traceback.format_stack(limit=6)[:-2]).replace("\n", " | ")
        _log(f"BLOCKED {kind} {address!r} pid={os.getpid()} at {where}")
        raise OSError(f"network blocked by test guard: {kind} {address!r}")


_connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
_getaddrinfo = socket.getaddrinfo


def connect(self, address):
    _check("connect", address)
    return _connect(self, address)


def connect_ex(self, address):
    _check("connect_ex", address)
    return _connect_ex(self, address)


def sendto(self, data, *args):
    _check("sendto", args[-1])
    return _sendto(self, data, *args)


def getaddrinfo(host, *args, **kwargs):
    _check("getaddrinfo", (host,))
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
socket.getaddrinfo = getaddrinfo
_log(f"LOADED pid={os.getpid()}")
'''


def _guard(tmp_path: Path) -> tuple[dict[str, str], Path]:
    site = tmp_path / "guard"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "net.log"
    return {"PYTHONPATH": str(site), "COACH_NET_LOG": str(log)}, log


def _non_loopback_address() -> str | None:
    """This machine's outgoing IPv4 address (a UDP connect sends nothing), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.123", 9))
            addr = str(s.getsockname()[0])
    except OSError:
        return None
    return None if addr.startswith("127.") or addr == "0.0.0.0" else addr


def test_the_guard_catches_a_connection_attempt(tmp_path: Path) -> None:
    """The guard itself works: a non-loopback connect from a guarded Python is refused and logged."""
    import os

    env, log = _guard(tmp_path)
    code = ("import socket, urllib.request\n"
            "try:\n    socket.socket().connect(('192.0.2.1', 80))\nexcept OSError as e: print(e)\n"
            "try:\n    urllib.request.urlopen('http://example.com', timeout=1)\nexcept OSError as e: print(e)\n"
            "s = socket.create_server(('127.0.0.1', 0)); socket.create_connection(s.getsockname()).close()\n")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                         check=True).stdout
    assert out.count("network blocked by test guard") == 2
    lines = log.read_text().splitlines()
    assert lines[0].startswith("LOADED")
    assert [ln.split()[1] for ln in lines[1:]] == ["connect", "getaddrinfo"]  # loopback passed silently


def test_review_works_with_the_network_blocked_and_stays_in_its_session(shared_videos: Path,
                                                                         tmp_path: Path) -> None:
    need_browser()
    from playwright.sync_api import expect, sync_playwright

    clip = shared_videos.joinpath(*CLIP)
    if not clip.exists():
        pytest.skip(f"clip {clip} not found")
    env, net_log = _guard(tmp_path)
    app = start_app(tmp_path / "data", tmp_path / "streamlit.log", env)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            a = browser.new_context(viewport={"width": 1300, "height": 1600}).new_page()
            b = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
            b.goto(app.url + "/review")
            a.goto(app.url + "/review")
            a.locator('input[type="file"]').set_input_files(str(clip))
            expect(a.get_by_role("button", name=f"Remove {CLIP[1]}")).to_be_visible(timeout=30_000)
            a.get_by_role("button", name="Review this video").click()
            expect(a.locator('[data-testid="review-count"]')).to_contain_text("counted", timeout=240_000)
            assert a.locator('[data-testid="stAlertContentError"]').count() == 0
            shot(a, "no-network-a.png")
            # B was open all along: none of A's upload, result or downloads
            b.wait_for_timeout(1000)
            assert b.get_by_role("button", name=f"Remove {CLIP[1]}").count() == 0
            assert b.locator('[data-testid="review-count"]').count() == 0
            assert b.get_by_role("button", name="Table of reps (CSV)").count() == 0
            expect(b.get_by_role("button", name="Review this video")).to_be_disabled()
            shot(b, "no-network-b.png")
            browser.close()
        # the server only listens on loopback
        address = _non_loopback_address()
        if address is not None:
            with pytest.raises(OSError), socket.create_connection((address, app.port), timeout=3):
                pass
    finally:
        app.stop()
    lines = net_log.read_text().splitlines()
    assert any(ln.startswith(f"LOADED pid={app.proc.pid}") for ln in lines), lines
    assert [ln for ln in lines if ln.startswith("BLOCKED")] == []
    assert "network blocked" not in (tmp_path / "streamlit.log").read_text(errors="replace")
