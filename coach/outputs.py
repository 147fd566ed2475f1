"""Where reports and videos are written: outputs that can never destroy an input or each other.

`check_outputs` refuses an output path that is an input or another output (the same file after resolving
links). `write_text` writes a path as it deserves: a regular file (or a new one) is replaced atomically
(temporary file + rename in the folder the path finally resolves to, so a symlink stays a symlink and its target
gets the new content); a device or FIFO is written through, never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

TEMP_PREFIX = ".coach-"
"""Temporary files next to an output start with this (short, so a 250-character output name still fits)."""


def temp_file(folder: Path, suffix: str) -> Path:
    """A new private temporary file in `folder` named `.coach-PID-XXXX{suffix}` (the writer's process id lets a
    later run tell a leftover from a file still being written); stale leftovers there are removed first."""
    remove_stale_temps(folder, suffix)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=suffix, dir=folder)
    os.close(fd)
    return Path(tmp)


def process_alive(pid: int) -> bool:
    """True when process `pid` exists (also when it belongs to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(folder: Path, suffix: str) -> list[Path]:
    """Remove `.coach-PID-*{suffix}` files in `folder` whose writing process is gone (a killed run); returns
    them. Files of a running process, and names without a process id, are kept."""
    removed: list[Path] = []
    try:
        names = list(folder.glob(f"{TEMP_PREFIX}*{suffix}"))
    except OSError:
        return removed
    for path in names:
        pid_text = path.name[len(TEMP_PREFIX):].partition("-")[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or process_alive(int(pid_text)):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            continue
    return removed


def current_umask() -> int:
    """The process umask: from /proc (Linux), else by setting and restoring it (briefly process-wide)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class OutputError(OSError):
    """An output path that cannot or must not be written; str() is one line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def file_identity(path: str | os.PathLike[str]) -> tuple[str, int, int] | tuple[str, str]:
    """What identifies the file a path names: (device, inode) when it exists, else its resolved path."""
    try:
        st = os.stat(path)
        return ("inode", st.st_dev, st.st_ino)
    except OSError:  # a new file, a dangling link or a link loop (which the input's own check names)
        return ("path", os.path.realpath(path))


def _loops(path: str | os.PathLike[str]) -> bool:
    """True when following the path's symbolic links never ends (a link to itself, two links to each other)."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def check_outputs(inputs: Iterable[str | os.PathLike[str]],
                  outputs: Iterable[tuple[str, str | os.PathLike[str] | None]],
                  advice: str = "choose another file name") -> None:
    """Raise OutputError when an output (given as (option name, path)) is an input or another output; the
    message ends with `advice` and "so nothing is overwritten"."""
    taken: dict[object, str] = {}
    for src in inputs:
        taken[file_identity(src)] = f"the input '{src}'"
    for option, out in outputs:
        if not out:
            continue
        if str(out).strip() == "":
            raise OutputError(f"{option} needs a file name")
        if Path(out).is_dir():  # said before the review, not after it
            raise OutputError(f"{option} '{out}' is a folder: give a file name")
        if _loops(out):
            raise OutputError(f"{option} '{out}' is a symbolic link that points back to itself: choose another "
                              "file name")
        key = file_identity(out)
        if key in taken:
            raise OutputError(f"{option} '{out}' is {taken[key]}: {advice} so nothing is overwritten")
        taken[key] = f"also the {option} output"


def files_under(folder: str | os.PathLike[str]) -> list[Path]:
    """Every file in a folder and its sub-folders (the inputs an output written next to them must not be)."""
    return [p for p in Path(folder).rglob("*") if p.is_file()] if Path(folder).is_dir() else []


def is_special(path: str | os.PathLike[str]) -> bool:
    """True when the path (links followed) is a device, FIFO or socket: written through, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def final_path(path: str | os.PathLike[str]) -> Path:
    """The path a write lands on: symlinks followed (a dangling link's target is created)."""
    p = Path(path)
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def raise_if_disk_full(exc: OSError, path: str | os.PathLike[str]) -> None:
    """Raise a one-line OutputError ("disk full") when `exc` says the device is full; otherwise return."""
    if exc.errno == errno.ENOSPC:
        raise OutputError(f"disk full: could not write '{path}' (free some space and try again)") from exc


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write text: through to a device or FIFO, else atomically (temporary file in the same folder + rename)."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes: through to a device or FIFO, else atomically (temporary file in the same folder + rename)."""
    if Path(path).is_dir():
        raise OutputError(f"'{path}' is a folder: give a file name")
    if is_special(path):
        try:
            with open(path, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise_if_disk_full(exc, path)
            raise
        return
    target = final_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_file(target.parent, ".tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:  # the mode of the file replaced, else the usual one (mkstemp makes it 0600)
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            mode = 0o666 & ~current_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise_if_disk_full(exc, path)
        raise
