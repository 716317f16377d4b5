"""One writer per store: an advisory lock on ``<store>/.lock``, held for a whole fetch.

A fetch takes the lock before it reads anything of the store and keeps it until its line
is in the fetch log, so a second fetch reads the store only once the first has written
it. A second fetch waits up to :data:`LOCK_WAIT` seconds, then gives up, naming the fetch
that holds the lock.

It is ``flock``: the kernel lets go of it when its process ends, however it ends, so a
killed fetch never leaves the store locked. The file is never deleted (a fetch waiting on
a deleted file would get a lock nobody else sees). It holds who has the lock, one JSON
line written when a fetch starts and emptied when it finishes: a line found there by the
next fetch names one that was stopped before it finished.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .schedule import stored_moment
from .writing import StoreWriteError

LOCK_NAME = ".lock"
LOCK_WAIT = 300.0  # seconds: a first fetch of several keywords can take minutes
RETRY_EVERY = 0.1  # seconds between tries while waiting: a try is one system call


class StoreBusy(StoreWriteError):
    """Another fetch holds the store's lock; the message says which."""


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) the lock: a fetch's process, its machine, when it started."""

    pid: int
    host: str
    started: datetime  # aware, UTC

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host}, started {self.started:%Y-%m-%d %H:%M:%S} UTC"

    def to_text(self) -> str:
        started = f"{self.started:%Y-%m-%dT%H:%M:%SZ}"
        return json.dumps({"host": self.host, "pid": self.pid, "started": started}) + "\n"

    @classmethod
    def from_text(cls, text: str) -> Holder | None:
        """The holder a lock file names; None when it names none that can be read."""
        try:
            data = json.loads(text)
            pid, host, started = data["pid"], data["host"], stored_moment(data["started"])
        except (ValueError, TypeError, KeyError, RecursionError):
            return None
        if type(pid) is not int or pid <= 0 or type(host) is not str:
            return None
        return cls(pid, host, started)

    def is_gone(self) -> bool:
        """Whether it is a process of this machine that has ended."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except (PermissionError, OverflowError, ValueError):
            return False
        return False


class StoreLock:
    """The store's lock, held by this fetch."""

    def __init__(self, path: Path, fd: int, left_by: str):
        self.path = path
        self.fd = fd
        # What the lock file held when this fetch got it: the line of a fetch that was
        # stopped before it finished, or "" after a fetch that finished.
        self.left_by = left_by

    @property
    def interrupted(self) -> bool:
        """Whether the fetch before this one was stopped before it finished."""
        return bool(self.left_by.strip())

    @property
    def interrupted_fetch(self) -> Holder | None:
        """That fetch, when its line can be read."""
        return Holder.from_text(self.left_by) if self.interrupted else None

    def claim(self, holder: Holder) -> None:
        """Write who holds the lock; a full disk shows here, before arXiv is asked anything."""
        try:
            os.ftruncate(self.fd, 0)
            os.lseek(self.fd, 0, os.SEEK_SET)
            os.write(self.fd, holder.to_text().encode("utf-8"))  # ~90 bytes: one write
            os.fsync(self.fd)
        except OSError as err:
            raise StoreWriteError(f"cannot write {self.path}: {err.strerror or err}") from None

    def finish(self) -> None:
        """Record that this fetch finished: the lock file is emptied."""
        try:
            os.ftruncate(self.fd, 0)
            os.fsync(self.fd)
        except OSError:
            pass  # the next fetch then notes this one as unfinished: wrong, but harmless


@contextmanager
def hold_store(
    root: Path,
    *,
    wait: float = LOCK_WAIT,
    progress: Callable[[str], None] = lambda line: None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[StoreLock]:
    """Hold the store's lock for the ``with`` block, waiting up to ``wait`` seconds for
    another fetch to let go of it; raises :class:`StoreBusy` after that."""
    path = root / LOCK_NAME
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise StoreWriteError(f"cannot open {path}: {err.strerror or err}") from None
    try:
        _acquire(fd, root, wait, progress, sleep)
        lock = StoreLock(path, fd, os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        try:
            yield lock
        finally:
            lock.finish()
    finally:
        os.close(fd)  # lets go of the lock


def _acquire(
    fd: int,
    root: Path,
    wait: float,
    progress: Callable[[str], None],
    sleep: Callable[[float], None],
) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise StoreBusy(
                f"another fetch is writing the store {root} ({_holder(fd)}); gave up after "
                f"waiting {wait:.0f} s: run this one again once that one has finished"
            )
        if not told:
            progress(
                f"Another fetch is writing the store ({_holder(fd)}): waiting up to "
                f"{wait:.0f} s for it to finish"
            )
            told = True
        sleep(min(RETRY_EVERY, max(deadline - time.monotonic(), 0.0)))


def _holder(fd: int) -> str:
    """Who holds the lock, as far as its file says; a line left by a process that has
    ended is not believed (the new holder has not written its own yet)."""
    holder = Holder.from_text(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
    if holder is None or holder.is_gone():
        return "it has not said which yet"
    return str(holder)
