"""Writing the files users keep (scenarios, hearing packs) so that nothing is lost or half-written.

:func:`write_text_atomic` writes a whole file to a temporary file in the same
folder, flushes and fsyncs it, then renames it over the original (keeping the
original's permissions): on any failure, or if the process is killed, the
original is untouched.  :func:`atomic_folder` does the same for a whole folder
(a hearing pack): the new folder is built beside the target under a temporary
name and moved into place only when complete; a lock file beside the target
makes a second writer fail at once instead of mixing two packs.  Neither ever
writes through a symbolic link: a link as the target is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import UsageError


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def refuse_symlink(path: Path, what: str = "file") -> None:
    """Raise :class:`UsageError` if ``path`` is a symbolic link (it would be written through)."""
    if path.is_symlink():
        raise UsageError(f"{path}: is a symbolic link (to {os.readlink(path)}); fcfinance never writes "
                         f"through a link: give the real {what}")


def write_text_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically.

    The text goes to a temporary file in the same folder, which is flushed,
    fsynced and given the original's permissions (0644 less the umask for a
    new file), then renamed over ``path``.

    Parameters
    ----------
    path : str or Path
        The file to write; a symbolic link is refused.
    text : str
    encoding : str

    Raises
    ------
    UsageError
        If ``path`` is a symbolic link, not a regular file, or read-only (the file is unchanged).
    OSError
        If writing fails (disk full, no permission in the folder, …); the
        original is unchanged and the temporary file removed.
    """
    write_bytes_atomic(path, text.encode(encoding))


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`write_text_atomic`)."""
    path = Path(path)
    refuse_symlink(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    else:
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{path}: is not a regular file; left unchanged")
        if not st.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):  # no write bit: read-only even for root
            raise UsageError(f"{path}: is read-only; left unchanged")
        mode = stat.S_IMODE(st.st_mode)
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def folder_lock(target: Path) -> Iterator[Path]:
    """Hold an exclusive lock on writing folder ``target`` (``.<name>.lock`` beside it).

    Raises
    ------
    UsageError
        At once if another process (or thread) holds it.
    """
    import fcntl

    lock = target.parent / f".{target.name}.lock"
    refuse_symlink(lock, "lock file")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise UsageError(f"{target}: another fcfinance run is writing into this folder "
                                 f"(lock {lock}); wait for it to finish, or choose another folder") from None
            raise
        yield lock
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def atomic_folder(target: str | Path, replaceable: Callable[[str], bool] = lambda name: True) -> Iterator[Path]:
    """Build a folder under a temporary name beside ``target``; move it into place when complete.

    Yields the temporary folder.  When the ``with`` body ends normally, an
    existing ``target`` is renamed aside, the new folder renamed to
    ``target`` and the old one removed; when it raises (or the process is
    killed), ``target`` is left exactly as it was and the temporary folder is
    removed (a kill leaves a ``.<name>.new-*`` folder beside it, never a
    mixed ``target``).

    Parameters
    ----------
    target : str or Path
        The folder to (re)place; a symbolic link or a file is refused.
    replaceable : callable
        ``replaceable(name)`` says whether an entry of an existing ``target``
        may be dropped (it belongs to the output being replaced).  A folder
        holding anything else is refused, so that nothing of the user's is
        lost.

    Raises
    ------
    UsageError
        If ``target`` is a link, a file, holds files that are not ours, or is
        being written by another run (see :func:`folder_lock`).
    """
    target = Path(target)
    refuse_symlink(target, "folder")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: exists and is not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(target):
        if target.is_dir():
            foreign = sorted(name for name in os.listdir(target) if not replaceable(name))
            if foreign:
                shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
                raise UsageError(f"{target}: holds files that are not part of the output ({shown}); "
                                 "nothing was written: choose a new or empty folder, or move them out")
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        try:
            yield staging
            for name in os.listdir(staging):
                _fsync_file(staging / name)
            _swap_in(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _fsync_file(path: Path) -> None:
    if path.is_file() and not path.is_symlink():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap_in(staging: Path, target: Path) -> None:
    """Move the complete ``staging`` folder to ``target``, the old one aside first and then removed."""
    os.chmod(staging, 0o777 & ~_umask())
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    _fsync_folder(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
