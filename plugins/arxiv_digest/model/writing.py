"""How the store is written: one file atomically, or several files as one.

A fetch changes some day files and adds its line to the fetch log, and they are written
together, all or none (:func:`write_together`):

1. each new text goes to a temporary file beside its target (``.NAME.*.tmp``), synced;
2. a journal (``.journal``) names each temporary file and its target: once it is in
   place, the write is decided;
3. each temporary file is renamed over its target, and the journal is removed.

A reader sees every file whole at every moment, the old text or the new. A fetch killed
before step 2 leaves only temporary files: the next fetch removes them, and nothing was
written. Killed after it, the next fetch finishes the renames from the journal
(:func:`recover`), and all was written. A write that fails (a full disk) before step 2
removes what it staged and raises :class:`StoreWriteError` naming the file.

Only the fetch holding the store's lock (:mod:`.lock`) writes, and recovers.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

JOURNAL_NAME = ".journal"
JOURNAL_FORMAT = 1


class StoreWriteError(Exception):
    """The store cannot be written now; the message names the file and why."""

    def __init__(self, message: str, *, decided: bool = False):
        super().__init__(message)
        self.decided = decided  # the journal was written: the next fetch finishes the write


def write_atomically(path: Path, text: str) -> None:
    """Write so that a reader sees the old file or the new one, never half of one."""
    staged = _stage(path, text)
    try:
        os.replace(staged, path)
    except OSError as err:
        Path(staged).unlink(missing_ok=True)
        raise StoreWriteError(f"cannot write {path}: {_why(err)}") from None
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise


def write_together(
    root: Path, texts: Mapping[Path, str], before_done: Callable[[], None] = lambda: None
) -> None:
    """Write every file in ``texts`` (paths under ``root``) as one: all of them, or none.

    ``before_done`` runs once every file is in place, before the journal is removed (the
    lock records there that the fetch finished).
    """
    if not texts:
        before_done()
        return
    staged: dict[Path, Path] = {}
    journal = root / JOURNAL_NAME
    try:
        for path, text in sorted(texts.items()):
            staged[path] = _stage(path, text)
        files = [
            [str(temporary.relative_to(root)), str(path.relative_to(root))]
            for path, temporary in staged.items()
        ]
        write_atomically(journal, json.dumps({"format": JOURNAL_FORMAT, "files": files}) + "\n")
    except BaseException:
        if not journal.exists():  # decided after all (stopped on its way out): keep them
            _remove(staged.values())
        raise
    _sync_folder(root)
    _apply(root, staged.items())
    before_done()
    journal.unlink()


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` found of a write that did not finish."""

    finished: bool = False  # a decided write was finished from its journal
    removed: int = 0  # temporary files of an undecided write, removed


def recover(root: Path) -> Recovery:
    """Finish a write that was decided, and remove the temporary files of one that was not.

    Raises StoreWriteError when a journal cannot be read or a file cannot be renamed."""
    journal = root / JOURNAL_NAME
    finished = False
    try:
        if journal.exists():
            _apply(root, _read_journal(journal, root))
            journal.unlink()
            finished = True
        leftovers = [*root.glob(".*.tmp"), *root.glob("*/.*.tmp")]
        _remove(leftovers)
    except OSError as err:
        raise StoreWriteError(
            f"cannot tidy {root} after an interrupted fetch: {_why(err)}"
        ) from None
    return Recovery(finished, len(leftovers))


def _stage(path: Path, text: str) -> Path:
    """``text`` in a synced temporary file beside ``path``; raises StoreWriteError."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temporary, 0o644)
        return Path(temporary)
    except OSError as err:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise StoreWriteError(f"cannot write {path}: {_why(err)}") from None
    except BaseException:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise


def _apply(root: Path, renames: Iterable[tuple[Path, Path]]) -> None:
    """Rename each staged file over its target (already done ones are skipped)."""
    folders = set()
    for path, temporary in renames:
        if not temporary.exists():
            continue  # renamed before the fetch that wrote it was stopped
        try:
            os.replace(temporary, path)
        except OSError as err:
            raise StoreWriteError(
                f"cannot write {path}: {_why(err)}; the next fetch finishes the write",
                decided=True,
            ) from None
        folders.add(path.parent)
    for folder in sorted(folders):
        _sync_folder(folder)


def _read_journal(journal: Path, root: Path) -> list[tuple[Path, Path]]:
    """The journal's (target, temporary file) pairs, each checked to stay in the store."""
    advice = f"{journal}: cannot be read, so an interrupted write cannot be finished"
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        pairs = []
        for temporary, target in data["files"]:
            temporary_path, target_path = root / temporary, root / target
            if not (
                isinstance(temporary, str)
                and isinstance(target, str)
                and ".." not in Path(temporary).parts + Path(target).parts
                and not Path(temporary).is_absolute()
                and not Path(target).is_absolute()
                and temporary_path.parent == target_path.parent
                and temporary_path.name.startswith(f".{target_path.name}.")
                and temporary_path.name.endswith(".tmp")
            ):
                raise ValueError(f"{temporary!r} -> {target!r}")
            pairs.append((target_path, temporary_path))
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, RecursionError) as err:
        raise StoreWriteError(
            f"{advice} ({err}); delete it to drop that write, then fetch again"
        ) from None
    return pairs


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` survive a power cut, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the renames stand all the same
    finally:
        os.close(fd)


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


def _why(err: OSError) -> str:
    """``No space left on device``, as the system says it, without Python's decoration."""
    return err.strerror or str(err)
