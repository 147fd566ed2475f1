"""Reading `strace -f -e trace=connect,sendto,sendmsg,sendmmsg` output: which calls leave the machine."""

from __future__ import annotations

import ipaddress
import os
import re
import shutil

import pytest

TRACED = "connect,sendto,sendmsg,sendmmsg"
"""The system calls that could reach another machine."""
DNS_PORT = 53

_INET = re.compile(r'sa_family=AF_INET6?, sin6?_port=htons\((\d+)\),'
                   r'.*?(?:inet_addr|inet_pton\(AF_INET6?,)\s*\(?"([^"]+)"')


def need_strace() -> str:
    """strace's path; fails in CI, skips elsewhere, when it is missing."""
    path = shutil.which("strace")
    if path is None:
        message = "needs strace (scripts/setup.sh --dev installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def strace_prefix(strace: str, trace_path: str) -> list[str]:
    """The command words that run a program under strace, following every thread, writing only the TRACED calls
    to `trace_path`. `--seccomp-bpf` stops the program only at those calls: without it every system call of every
    thread (MediaPipe's many futex waits) stops for strace, which slowed the live server so much on one machine
    that no rep was counted in two minutes."""
    return [strace, "-f", "--seccomp-bpf", "-qq", "-e", f"trace={TRACED}", "-o", trace_path]


def leaks(trace: str) -> list[str]:
    """Trace lines that reach a non-loopback address or a DNS port."""
    found = []
    for line in trace.splitlines():
        match = _INET.search(line)
        if match is None:
            continue
        port, host = int(match.group(1)), match.group(2)
        ip = ipaddress.ip_address(host)
        mapped = getattr(ip, "ipv4_mapped", None)
        loopback = ip.is_loopback or (mapped is not None and mapped.is_loopback)
        if port == DNS_PORT or not loopback:
            found.append(line.strip())
    return found
