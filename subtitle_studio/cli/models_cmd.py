"""``subtitle-studio models``: list, download, import, verify and delete models (SPEC §9).

    subtitle-studio models [list] [--json] [--all]
    subtitle-studio models download NAME…
    subtitle-studio models import FOLDER [--name NAME]
    subtitle-studio models verify [NAME…]
    subtitle-studio models delete NAME

Exit codes as for the other commands: 0 success, 1 the operation failed (the reason
is one line on stderr), 2 bad usage (an unknown model name, a folder whose model
cannot be guessed), 130 a download stopped by Ctrl-C (what arrived is kept and the
same command resumes it). Results go to stdout, progress and errors to stderr.

The bundled ``tiny.en`` is always ready, so the manager reports it ready even when
a copy in the models folder is half downloaded or damaged; ``verify``, ``download``
and ``delete`` look through that to the copy in the models folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from subtitle_studio.cli.runner import EXIT_FAILED, EXIT_OK, EXIT_PAUSED, EXIT_USAGE
from subtitle_studio.core.bus import MODELS_CHANNEL, EventBus
from subtitle_studio.core.model_catalog import ALIGN, WHISPER, CatalogEntry
from subtitle_studio.core.model_store import (
    MISSING,
    NOT_DOWNLOADED,
    READY,
    ModelStatus,
    guess_entry,
    human_bytes,
)
from subtitle_studio.errors import ModelError, StudioError

if TYPE_CHECKING:
    from subtitle_studio.core.jobstore import JobStore
    from subtitle_studio.core.model_manager import Download, ModelManager

log = logging.getLogger(__name__)

#: Shortest time between two progress lines (about four a second at most).
PROGRESS_INTERVAL_S = 0.25
_ORIGIN_WORDS = {
    "bundled": "bundled with the application",
    "cache": "in another program's download cache",
}


def add_models_parser(sub: Any) -> None:
    """Add ``models`` and its actions to the command's subparsers."""
    models = sub.add_parser(
        "models", help="list, download, import, verify or delete models (default: list)"
    )
    actions = models.add_subparsers(dest="models_action", metavar="ACTION")

    listing = actions.add_parser("list", help="the models and their state")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument(
        "--all", action="store_true", help="also the alignment models that are not installed"
    )

    download = actions.add_parser(
        "download",
        help="download models, or repair an incomplete one; an interrupted download resumes",
    )
    download.add_argument("names", nargs="+", metavar="NAME")

    importing = actions.add_parser("import", help="copy a model from a folder (offline)")
    importing.add_argument("folder", type=Path, metavar="FOLDER")
    importing.add_argument(
        "--name", help="which model the folder holds (default: guessed from its name)"
    )

    verify = actions.add_parser(
        "verify", help="check every file's checksum (default: every downloaded model)"
    )
    verify.add_argument("names", nargs="*", metavar="NAME")

    delete = actions.add_parser("delete", help="delete a model from the models folder")
    delete.add_argument("name", metavar="NAME")


def cmd_models(args: argparse.Namespace, store: JobStore | None = None) -> int:
    """Run one ``models`` action; ``store`` is unused (the signature of every command)."""
    from subtitle_studio.engines.models import model_manager

    bus = EventBus()
    manager = model_manager(bus=bus)
    try:
        action = args.models_action or "list"
        if action == "list":
            return _list(manager, getattr(args, "json", False), getattr(args, "all", False))
        if action == "download":
            return _download(manager, bus, args.names)
        if action == "import":
            return _import(manager, args.folder, args.name)
        if action == "verify":
            return _verify(manager, args.names)
        return _delete(manager, args.name)
    finally:
        manager.close()
        bus.close()


# ------------------------------------------------------------------ helpers


def _err(message: str) -> None:
    sys.stderr.write(f"subtitle-studio: error: {message}\n")


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _entries(manager: ModelManager, names: list[str]) -> list[CatalogEntry] | None:
    """The catalogue entries of ``names``, or ``None`` after saying which one is unknown."""
    try:
        return [manager.entry(name) for name in names]
    except ModelError as exc:
        _err(exc.message)
        return None


def _home_status(manager: ModelManager, entry: CatalogEntry, status: ModelStatus) -> ModelStatus:
    """The state of the copy in the models folder, which the bundled one may hide."""
    if status.origin == "bundled":
        return manager.store.inspect(entry)
    if status.origin == "cache":
        return ModelStatus(entry.model_id, MISSING, NOT_DOWNLOADED)
    return status


def _size(entry: CatalogEntry, status: ModelStatus) -> str:
    size = status.total_bytes or entry.approx_bytes
    return human_bytes(size) if size else "?"  # an aligner's size is known once downloading


# ------------------------------------------------------------------ list


def _list(manager: ModelManager, as_json: bool, show_all: bool) -> int:
    rows: list[tuple[CatalogEntry, ModelStatus, ModelStatus]] = []
    for entry in manager.catalog:
        status = manager.status(entry.model_id)
        if entry.kind == ALIGN and status.state == MISSING and not show_all:
            continue
        rows.append((entry, status, _home_status(manager, entry, status)))
    if as_json:
        items = [
            {
                **status.to_dict(),
                "kind": entry.kind,
                "source": entry.source,
                "repo": entry.repo,
                "approx_bytes": entry.approx_bytes,
                "languages": list(entry.languages),
                "note": entry.note,
                "home_state": home.state,
            }
            for entry, status, home in rows
        ]
        _out(json.dumps(items, ensure_ascii=False, indent=1))
        return EXIT_OK
    _out(f"{'NAME':16}  {'KIND':7}  {'SIZE':>9}  {'LANGUAGES':12}  {'STATE':11}  DETAIL")
    for entry, status, home in rows:
        detail = status.detail
        if home is not status and home.state != MISSING:
            detail += f"; the copy in the models folder is {home.state}: {home.detail}"
        _out(
            f"{entry.model_id:16}  {entry.kind:7}  {_size(entry, status):>9}  "
            f"{entry.language_label:12}  {status.state:11}  {detail}"
        )
    if not show_all:
        _out("Alignment models that are not installed are hidden; --all shows them.")
    return EXIT_OK


# ------------------------------------------------------------------ download


class _ProgressLine:
    """Download progress on stderr: one line rewritten in place on a terminal, else lines."""

    def __init__(self, label: str, out: TextIO | None = None) -> None:
        self._out = out or sys.stderr
        self._label = label
        self._tty = self._out.isatty()
        self._last = 0.0
        self._width = 0

    def show(self, data: dict[str, Any], *, force: bool = False) -> None:
        total = int(data.get("total_bytes") or 0)
        if total <= 0:
            return  # the file list is not known yet
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_INTERVAL_S:
            return
        self._last = now
        text = (
            f"{self._label}: {float(data['percent']):5.1f}%  "
            f"{human_bytes(int(data['downloaded_bytes']))} of {human_bytes(total)}"
        )
        speed = int(data.get("bytes_per_second") or 0)
        if speed > 0:
            text += f"  {human_bytes(speed)}/s"
        if self._tty:
            self._out.write("\r" + text.ljust(self._width))
            self._width = len(text)
        else:
            self._out.write(text + "\n")
        self._out.flush()

    def end(self) -> None:
        """Finish a line rewritten in place so the next message starts on its own."""
        if self._tty and self._width:
            self._out.write("\n")
            self._out.flush()
            self._width = 0


def _download(manager: ModelManager, bus: EventBus, names: list[str]) -> int:
    entries = _entries(manager, names)
    if entries is None:
        return EXIT_USAGE
    worst = EXIT_OK
    for entry in entries:
        code = _download_one(manager, bus, entry)
        if code == EXIT_PAUSED:
            return code  # the user stopped: leave the other models for another time
        worst = max(worst, code)
    return worst


def _download_one(manager: ModelManager, bus: EventBus, entry: CatalogEntry) -> int:
    model_id = entry.model_id
    status = manager.status(model_id)
    home = _home_status(manager, entry, status)
    if home.state == READY:
        _out(f"{model_id} is already ready ({home.path}); nothing to download.")
        return EXIT_OK
    if status.state == READY:
        sys.stderr.write(
            f"note: {model_id} is already usable ({_ORIGIN_WORDS.get(status.origin, '')}); "
            "downloading a copy into the models folder.\n"
        )
    line = _ProgressLine(model_id)
    with bus.subscribe(MODELS_CHANNEL) as events:
        try:
            job = manager.download(model_id)
        except StudioError as exc:
            _err(exc.message)
            return EXIT_FAILED
        try:
            while not job.done_event.is_set():
                event = events.get(timeout=PROGRESS_INTERVAL_S)
                if (
                    event is not None
                    and event.name == "progress"
                    and event.data.get("model_id") == model_id
                ):
                    line.show(event.data)
        except KeyboardInterrupt:
            line.end()
            return _stop(manager, job)
    if job.error is not None or job.status is None:
        line.end()
        _err(job.error.message if job.error else f"the download of {model_id} did not finish")
        return EXIT_FAILED
    line.show(job.progress.to_event(), force=True)
    line.end()
    _out(f"{model_id} is ready ({job.status.path})")
    return EXIT_OK


def _stop(manager: ModelManager, job: Download) -> int:
    """Ctrl-C: cancel the download, wait for it to stop, say what was kept."""
    model_id = job.entry.model_id
    sys.stderr.write(f"Stopping the download of {model_id}…\n")
    sys.stderr.flush()
    manager.cancel(model_id)
    job.wait()
    if job.canceled:
        kept = job.status
        amount = (
            f"{human_bytes(kept.present_bytes)} of {human_bytes(kept.total_bytes)}"
            if kept is not None and kept.total_bytes
            else "what had arrived"
        )
        sys.stderr.write(
            f"Download of {model_id} stopped; the partial download ({amount}) was kept. "
            f"Run the same command to resume it: subtitle-studio models download {model_id}\n"
        )
    elif job.error is not None:
        _err(job.error.message)
    elif job.status is not None:
        _out(f"{model_id} is ready ({job.status.path})")
    return EXIT_PAUSED


# ------------------------------------------------------------------ import


def _import(manager: ModelManager, folder: Path, name: str | None) -> int:
    source = folder.expanduser().resolve()
    if not source.is_dir():
        _err(f"{source} is not a folder. Choose the folder that holds the model.")
        return EXIT_FAILED
    if name is not None:
        entries = _entries(manager, [name])
        if entries is None:
            return EXIT_USAGE
        entry = entries[0]
    else:
        guessed = guess_entry(manager.catalog, source)
        if guessed is None:
            examples = ", ".join(e.model_id for e in manager.catalog if e.kind == WHISPER)
            _err(
                f"cannot tell which model {source.name!r} holds from its name. "
                f"Say it with --name NAME, e.g. --name small or --name align-fr "
                f"(transcription models: {examples}; aligners: align-<language>)."
            )
            return EXIT_USAGE
        entry = guessed
    sys.stderr.write(f"Importing {source} as {entry.model_id}…\n")
    sys.stderr.flush()
    try:
        status = manager.import_folder(entry.model_id, source)
    except StudioError as exc:
        _err(exc.message)
        return EXIT_FAILED
    _out(f"Imported {entry.model_id} from {source}: {status.state} ({status.path})")
    return EXIT_OK if status.state == READY else EXIT_FAILED


# ------------------------------------------------------------------ verify


def _verify(manager: ModelManager, names: list[str]) -> int:
    if names:
        entries = _entries(manager, names)
        if entries is None:
            return EXIT_USAGE
    else:
        entries = [e for e in manager.catalog if manager.store.folder(e).exists()]
        if not entries:
            _out("No model has been downloaded or imported; there is nothing to verify.")
            return EXIT_OK
    all_ready = True
    for entry in entries:
        sys.stderr.write(f"Verifying {entry.model_id}…\n")
        sys.stderr.flush()
        status = manager.verify(entry.model_id)
        if status.origin == "bundled" and manager.store.folder(entry).exists():
            status = manager.store.verify(entry)  # the copy the bundled one hides
        detail = status.detail
        if status.state not in (READY, MISSING):
            detail += f" Repair it with: subtitle-studio models download {entry.model_id}"
        _out(f"{entry.model_id}: {status.state} - {detail}")
        all_ready = all_ready and status.state == READY
    return EXIT_OK if all_ready else EXIT_FAILED


# ------------------------------------------------------------------ delete


def _delete(manager: ModelManager, name: str) -> int:
    entries = _entries(manager, [name])
    if entries is None:
        return EXIT_USAGE
    entry = entries[0]
    folder = manager.store.folder(entry)
    if folder.exists():
        try:
            manager.delete(entry.model_id)
        except StudioError as exc:
            _err(exc.message)
            return EXIT_FAILED
        message = f"Deleted {entry.model_id} ({folder})."
        after = manager.status(entry.model_id)
        if after.state == READY:
            message += f" The copy {_ORIGIN_WORDS.get(after.origin, 'elsewhere')} stays usable."
        _out(message)
        return EXIT_OK
    status = manager.status(entry.model_id)
    if status.origin == "bundled":
        _err(
            f"{entry.model_id} is bundled with the application and cannot be deleted; "
            "it is the model that always works, with no download."
        )
    elif status.origin == "cache":
        _err(
            f"{entry.model_id} is in another program's download cache ({status.path}), "
            "not in Subtitle Studio's models folder; it was left alone."
        )
    else:
        _err(f"{entry.model_id} is not downloaded; there is nothing to delete.")
    return EXIT_FAILED
