"""Where the live camera stream may connect: loopback only unless an address is asked for (issue #19 item 6).

The browser sends its camera picture to this computer over WebRTC. aiortc's ICE library offers every network
address of the machine except loopback, so with no network at all there was no address to connect to, and on a
network the stream listened on every interface. `restrict_host_candidates()` makes it offer exactly the
addresses in COACH_LIVE_ADDRESSES (default 127.0.0.1: the browser on this computer). No STUN or TURN server is
ever contacted (`RTC_CONFIGURATION`).

A browser itself needs a network interface for WebRTC: with none but loopback, Chrome and Chromium offer no
address at all (measured), so `machine_has_network()` lets the page say so instead of waiting silently.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

LIVE_ADDRESSES_ENV = "COACH_LIVE_ADDRESSES"
"""Comma-separated addresses the live stream may use, e.g. `127.0.0.1,192.168.1.20` for a phone on the LAN."""

DEFAULT_LIVE_ADDRESSES = ("127.0.0.1",)
"""Loopback only: the browser on this computer."""

RTC_CONFIGURATION: dict[str, Any] = {"iceServers": []}
"""Host candidates only: works offline and on the local network, no STUN/TURN server is contacted."""


def machine_has_network(adapters: list[Any] | None = None) -> bool:
    """True when an interface of this computer has an address other than loopback (`adapters`: ifaddr's)."""
    import ifaddr

    for adapter in ifaddr.get_adapters() if adapters is None else adapters:
        for ip in adapter.ips:
            address = ip.ip if isinstance(ip.ip, str) else ip.ip[0]
            if not ipaddress.ip_address(address.split("%")[0]).is_loopback:
                return True
    return False


def live_addresses(value: str | None = None) -> tuple[str, ...]:
    """The addresses asked for (`value`, else $COACH_LIVE_ADDRESSES, else loopback); bad entries raise ValueError."""
    text = os.environ.get(LIVE_ADDRESSES_ENV, "") if value is None else value
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return DEFAULT_LIVE_ADDRESSES
    for part in parts:
        try:
            ipaddress.ip_address(part)
        except ValueError:
            raise ValueError(f"{LIVE_ADDRESSES_ENV}: '{part}' is not an IP address") from None
    return tuple(parts)


def host_addresses(addresses: tuple[str, ...], use_ipv4: bool, use_ipv6: bool) -> list[str]:
    """The asked-for addresses of the families the ICE agent wants."""
    out = []
    for address in addresses:
        version = ipaddress.ip_address(address).version
        if (version == 4 and use_ipv4) or (version == 6 and use_ipv6):
            out.append(address)
    return out


def restrict_host_candidates(addresses: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Make the WebRTC (aioice) agent of this process offer only `addresses` (default `live_addresses()`)."""
    import aioice.ice

    chosen = live_addresses() if addresses is None else addresses

    def offered(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        return host_addresses(chosen, use_ipv4, use_ipv6)

    aioice.ice.get_host_addresses = offered
    return chosen
