"""Publishing a built site so that readers and a kill at any instant see one complete site.

`site/` is a symbolic link to one complete build kept in `.site.builds/`. A new build is made in
a fresh folder there; publishing it is one rename of a new link over `site` (atomic on POSIX), so
`site` is at every instant the old build or the new one, never missing or half-written. Builds and
links left behind by a killed run are removed by the next run. A lock file beside `site` keeps two
builds from writing at once: the second stops with a message.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ai4radiology.catalog.writer import WriteFailed


class Busy(Exception):
    """Another build holds the lock."""


def builds_dir(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.builds"


def lock_file(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.lock"


@contextmanager
def exclusive(lock: Path, what: str) -> Iterator[None]:
    """Hold `lock` (an advisory lock the system releases when the process ends, however it ends)."""
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WriteFailed(lock, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(
                f"another build is writing {what} (it holds {lock}); let it finish, then run this again"
            ) from None
        yield
    finally:
        os.close(fd)


def new_build(site_dir: Path) -> Path:
    """An empty folder for the next build, next to the published ones (same file system: renames work)."""
    folder = builds_dir(site_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="build-", dir=folder))
    except OSError as exc:
        raise WriteFailed(folder, exc) from None


def publish(build: Path, site_dir: Path) -> None:
    """Make `site_dir` show `build` in one rename, then remove every other build."""
    link = build.parent / f".link-{build.name}"
    try:
        link.unlink(missing_ok=True)
        os.symlink(os.path.relpath(build, site_dir.parent), link, target_is_directory=True)
        if site_dir.is_dir() and not site_dir.is_symlink():
            # A site built before builds were kept aside: the one move that is not atomic, made once.
            os.replace(site_dir, build.parent / f"retired-{build.name}")
        os.replace(link, site_dir)
    except OSError as exc:
        link.unlink(missing_ok=True)
        raise WriteFailed(site_dir, exc) from None
    remove_stale(site_dir)


def published(site_dir: Path) -> Path | None:
    """The build `site_dir` shows, if it is one of ours."""
    if not site_dir.is_symlink():
        return None
    target = (site_dir.parent / os.readlink(site_dir)).resolve()
    return target if target.parent == builds_dir(site_dir).resolve() else None


def remove_stale(site_dir: Path) -> None:
    """Remove what a killed or failed run left: every build but the published one, and temporary links.

    Call it only while holding the lock, so no other run is still writing one of them.
    """
    folder = builds_dir(site_dir)
    keep = published(site_dir)
    if folder.is_dir():
        for entry in folder.iterdir():
            if keep is not None and entry.resolve() == keep and not entry.is_symlink():
                continue
            _remove(entry)
    # Staging folders of earlier versions of this tool, which swapped with two renames.
    for pattern in (f".{site_dir.name}-building-*", f".{site_dir.name}-old-*"):
        for entry in site_dir.parent.glob(pattern):
            _remove(entry)


def _remove(entry: Path) -> None:
    if entry.is_symlink() or not entry.is_dir():
        entry.unlink(missing_ok=True)
    else:
        shutil.rmtree(entry, ignore_errors=True)
