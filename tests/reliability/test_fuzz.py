"""Fuzz the review path (#19): 280 mutated clips (truncations, byte flips, noise blocks, bad headers, and 40
damaged only inside the coded pictures) made here from a small generated sample. Each: no traceback, no hang,
exit 0 with a report or exit 2 with one plain `coach:` line (a clip damaged only in its pictures: exit 0); peak
memory under 1 GB. Two child processes review the files in-process (a model-free estimator: decoding and the
CLI are under test), each timing every case and reporting its own peak memory."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np

from coach.video import VideoWriter
from tests.conftest import pattern_frame

CHILD = Path(__file__).with_name("fuzz_child.py")
MAX_PEAK_MIB = 1024
CHILDREN = 2
PROGRAMMER_WORDS = re.compile(r"Errno|codec can't|Cannot allocate memory|[A-Z][a-z]+Error\b|Traceback")
"""What a line for the person must not hold: Python's or the C library's own words (found: 11 of the clips said
"'utf-8' codec can't decode byte 0x99", 3 "Cannot allocate memory")."""


def sample(path: Path) -> Path:
    """A 4 s, 10 fps, 96 × 64 H.264 mp4 of moving pattern frames (the moov atom first)."""
    with VideoWriter(path, fps=10.0, width=96, height=64) as writer:
        for i in range(40):
            image = pattern_frame(i, 96, 64)
            image[40:, (i * 2) % 96:] = (0, 200, 0)
            writer.write(image, i / 10.0)
    return path


def _atoms(data: bytes) -> list[int]:
    """Offsets of the size fields of the mp4 atoms named in the file (moov, trak, stsd, avcC, …)."""
    found = []
    for name in (b"ftyp", b"moov", b"mvhd", b"trak", b"tkhd", b"mdia", b"minf", b"stbl", b"stsd", b"avcC",
                 b"stts", b"stsz", b"stco", b"stss", b"mdat"):
        at = data.find(name)
        if at >= 4:
            found.append(at - 4)
    return found


def picture_data(data: bytes) -> tuple[int, int]:
    """(start, end) of the bytes inside the mdat atom: the coded pictures, no header."""
    at = data.find(b"mdat")
    size = struct.unpack(">I", data[at - 4:at])[0]
    return at + 4, min(len(data), at - 4 + size)


def picture_damage(data: bytes, seed: int = 7) -> dict[str, bytes]:
    """40 copies of `data` damaged only inside the coded pictures (1–8 flipped bytes, or 8–200 bytes of noise):
    the headers are whole, so each must be reviewed (a glitch is skipped, never the end of the review)."""
    rng = np.random.default_rng(seed)
    start, end = picture_data(data)
    out: dict[str, bytes] = {}
    for i in range(40):
        b = bytearray(data)
        if i % 2:
            for pos in rng.integers(start, end, int(rng.integers(1, 9))):
                b[pos] ^= int(rng.integers(1, 256))
        else:
            size = int(rng.integers(8, 200))
            at = int(rng.integers(start, end - size))
            b[at:at + size] = rng.bytes(size)
        out[f"picture{i:02d}"] = bytes(b)
    return out


def mutations(data: bytes, seed: int = 19) -> dict[str, bytes]:
    """240 damaged copies of `data`, by name."""
    rng = np.random.default_rng(seed)
    n = len(data)
    out: dict[str, bytes] = {}
    for i, share in enumerate(np.linspace(0.0, 0.999, 60)):  # truncations, 0 bytes to 99.9 %
        out[f"cut{i:02d}"] = data[: int(n * share)]
    for i in range(80):  # byte flips: 1–64 random bytes changed anywhere
        b = bytearray(data)
        for pos in rng.integers(0, n, int(rng.integers(1, 65))):
            b[pos] ^= int(rng.integers(1, 256))
        out[f"flip{i:02d}"] = bytes(b)
    for i in range(40):  # noise blocks of 16 B – 16 kB at random places
        b = bytearray(data)
        size = int(rng.integers(16, 16 * 1024))
        at = int(rng.integers(0, max(1, n - size)))
        b[at:at + size] = rng.bytes(min(size, n - at))
        out[f"noise{i:02d}"] = bytes(b)
    atoms = _atoms(data)
    for i in range(60):  # bad headers: atom sizes set to 0, 1, huge or random; the first bytes noise; names wrong
        b = bytearray(data)
        kind = i % 4
        if kind == 0:
            at = atoms[i // 4 % len(atoms)]
            b[at:at + 4] = struct.pack(">I", [0, 1, 0xFFFFFFFF, int(rng.integers(0, 2**32))][i // 4 % 4])
        elif kind == 1:
            size = int(rng.integers(4, 512))
            b[:size] = rng.bytes(size)
        elif kind == 2:
            at = atoms[i // 4 % len(atoms)]
            b[at + 4:at + 8] = rng.bytes(4)
        else:  # header region (first 2 kB: ftyp, moov with stsd/avcC) flipped densely
            for pos in rng.integers(0, min(n, 2048), 16):
                b[pos] = int(rng.integers(0, 256))
        out[f"header{i:02d}"] = bytes(b)
    return out


def test_fuzzed_clips_never_crash_hang_or_blow_memory(tmp_path: Path) -> None:
    data = sample(tmp_path / "sample.mp4").read_bytes()
    cases = {**mutations(data), **picture_damage(data)}
    assert len(cases) >= 200
    paths = []
    for name, blob in cases.items():
        path = tmp_path / f"{name}.mp4"
        path.write_bytes(blob)
        paths.append(path)
    procs = []
    for k in range(CHILDREN):
        listing = tmp_path / f"list{k}.txt"
        listing.write_text("".join(f"{p}\n" for p in paths[k::CHILDREN]))
        with listing.open() as stdin:
            procs.append(subprocess.Popen([sys.executable, str(CHILD)], stdin=stdin, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        outputs.append([json.loads(line) for line in out.splitlines() if line.startswith("{")])
    results = [r for lines in outputs for r in lines[:-1]]
    peaks = [lines[-1]["peak_mib"] for lines in outputs]
    assert len(results) == len(cases)
    bad = []
    for r in results:
        ok_zero = r["rc"] == 0 and r["report"] and not any("Traceback" in ln for ln in r["err"])
        ok_two = r["rc"] == 2 and len(r["err"]) == 1 and r["err"][0].startswith("coach: ")
        if not (ok_zero or ok_two) or any(PROGRAMMER_WORDS.search(ln) for ln in r["err"]):
            bad.append(r)
        elif r["path"].startswith("picture") and not ok_zero:  # found: damage in the first frame refused it
            bad.append(r)
    assert not bad, json.dumps(bad[:10], ensure_ascii=False, indent=1)
    assert max(peaks) < MAX_PEAK_MIB, peaks
    assert not list(tmp_path.glob(".coach-*")), "a temporary output was left behind"
    exits = {rc: sum(r["rc"] == rc for r in results) for rc in (0, 2)}
    print(f"fuzz: {len(results)} clips, exit 0: {exits[0]}, exit 2: {exits[2]}, peak {max(peaks)} MiB, "
          f"slowest {max(r['s'] for r in results)} s")
