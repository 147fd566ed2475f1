"""The live camera stream connects on loopback alone and binds only where asked (issue #19 item 6)."""

from __future__ import annotations

import asyncio

import aioice.ice
import pytest

from coach.live import LiveCoach
from coach.ui import rtc
from coach.ui.live_page import CONNECT_WAIT_S, not_connected


def test_loopback_is_the_default_and_other_addresses_are_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(rtc.LIVE_ADDRESSES_ENV, raising=False)
    assert rtc.live_addresses() == ("127.0.0.1",)
    monkeypatch.setenv(rtc.LIVE_ADDRESSES_ENV, " 127.0.0.1, 192.168.1.20 ,")
    assert rtc.live_addresses() == ("127.0.0.1", "192.168.1.20")
    with pytest.raises(ValueError, match="'phone' is not an IP address"):
        rtc.live_addresses("phone")
    assert rtc.host_addresses(("127.0.0.1", "::1"), use_ipv4=True, use_ipv6=False) == ["127.0.0.1"]
    assert rtc.host_addresses(("127.0.0.1", "::1"), use_ipv4=False, use_ipv6=True) == ["::1"]


def test_the_ice_agent_offers_only_loopback_and_asks_no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """aioice on its own skips 127.0.0.1 (no candidate at all without a network); restricted, it gathers the
    loopback candidate alone, with no STUN server."""
    monkeypatch.setattr(aioice.ice, "get_host_addresses", aioice.ice.get_host_addresses)
    assert "127.0.0.1" not in aioice.ice.get_host_addresses(True, False)
    rtc.restrict_host_candidates(("127.0.0.1",))

    async def gather() -> list[str]:
        conn = aioice.Connection(ice_controlling=False, components=1, use_ipv6=False)
        try:
            await conn.gather_candidates()
            return [f"{c.type} {c.host}" for c in conn.local_candidates]
        finally:
            await conn.close()

    assert asyncio.run(gather()) == ["host 127.0.0.1"]


def test_the_server_side_gets_no_stun_server() -> None:
    from streamlit_webrtc.component import _resolve_server_rtc_configuration

    assert _resolve_server_rtc_configuration(rtc.RTC_CONFIGURATION).iceServers == []


def test_no_picture_after_start_is_told() -> None:
    coach = LiveCoach("squat", estimator_factory=lambda: None)  # type: ignore[arg-type,return-value]
    snap = coach.snapshot()
    assert snap.frames == 0
    assert not_connected(snap, True, CONNECT_WAIT_S)
    assert not not_connected(snap, True, CONNECT_WAIT_S - 1.0)
    assert not not_connected(snap, False, CONNECT_WAIT_S * 2)


def test_a_computer_with_loopback_alone_has_no_network() -> None:
    """The no-picture message says "switch Wi-Fi on" only when no interface has an address but loopback."""
    import ifaddr

    lo = ifaddr.Adapter("lo", "lo", [ifaddr.IP("127.0.0.1", 8, "lo"), ifaddr.IP(("::1", 0, 0), 128, "lo")])
    wifi = ifaddr.Adapter("wlan0", "wlan0", [ifaddr.IP(("fe80::1%wlan0", 0, 2), 64, "wlan0")])
    assert not rtc.machine_has_network([lo])
    assert rtc.machine_has_network([lo, wifi])
