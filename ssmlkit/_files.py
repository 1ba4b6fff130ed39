"""Writing files so that nobody ever sees one half-written: one way, for every writer.

    write_atomic("story.ssml", data)              # ssmlkit lint --fix, ssmlkit annotate -o
    write_atomic(cache / "ab" / "cd.pcm", data, make_parents=True)

The data goes to a temporary file beside the target, is flushed to disk, and is renamed over the
target (``os.replace``: atomic on POSIX and Windows). An existing file keeps its permission bits;
a new one gets what a plain ``open()`` would give (``0o666`` less the umask), not ``mkstemp``'s
private ``0o600``. On any failure the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os

__all__ = ["default_mode", "write_atomic"]


def default_mode() -> int:
    """The permission bits ``open()`` gives a new file: ``0o666`` less the process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str | os.PathLike[str], data: bytes, *, make_parents: bool = False) -> None:
    """Replace ``path``'s content with ``data`` atomically (see the module docstring).

    ``path`` may be a symbolic link: the file it points to is replaced. ``make_parents``
    creates missing directories first.
    """
    import tempfile

    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    if make_parents:
        os.makedirs(directory, exist_ok=True)
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = default_mode()
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
