"""The ``subtitle-studio`` command (SPEC §10): transcribe, jobs, resume, serve, models.

Exit codes: 0 success, 1 a job failed or was canceled, 2 bad usage or settings,
130 paused by Ctrl-C (the job can be resumed). Errors are one line on stderr,
never a traceback; details go to the log file.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from subtitle_studio import __version__
from subtitle_studio.cli.models_cmd import add_models_parser, cmd_models
from subtitle_studio.cli.runner import EXIT_FAILED, EXIT_OK, EXIT_USAGE, JobRunner
from subtitle_studio.cli.serving import DEFAULT_HEARTBEAT_S, DEFAULT_PORT, ServeOptions, serve
from subtitle_studio.core import paths
from subtitle_studio.core.app_settings import load_defaults
from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import RESUMABLE, JobStatus
from subtitle_studio.core.resume_rules import check_resume
from subtitle_studio.core.settings import COMPUTE_TYPES, DEVICES, OUTPUT_FORMATS, JobSettings
from subtitle_studio.errors import SettingsError, StudioError

log = logging.getLogger(__name__)

NOISY_LOGGERS = (
    "faster_whisper",
    "whisperx",
    "transformers",
    "huggingface_hub",
    "urllib3",
    "numba",
    "torio",
)


class _LogFileHandler(logging.handlers.RotatingFileHandler):
    """The log file; a record it cannot write (full or read-only disk) is dropped quietly.

    The default prints "--- Logging error ---" and a traceback on stderr, burying the one
    clear line the command prints about the very same disk problem.
    """

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def _setup_logging(verbose: bool) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    log_file = paths.log_file()
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _LogFileHandler(
            log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter(paths.LOG_FORMAT))
        root.addHandler(handler)
    except OSError:
        pass  # a read-only home must not stop the command; it will say so when writing
    if verbose:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(console)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _add_settings_options(parser: argparse.ArgumentParser) -> None:
    """Options that map to job settings; left unset they keep the default (or saved) value."""
    add = parser.add_argument
    add("--model", help="faster-whisper model name or folder (default: the best one installed)")
    add("--language", help="language code such as en or fr, or auto (default: auto)")
    add("--task", choices=("transcribe", "translate"))
    add("--device", choices=DEVICES)
    add("--compute-type", choices=COMPUTE_TYPES)
    add("--beam-size", type=int)
    add("--threads", type=int, help="CPU threads for transcription (0 = automatic)")
    add(
        "--vad",
        dest="vad",
        action="store_true",
        default=None,
        help="split with Silero VAD (default)",
    )
    add("--no-vad", dest="vad", action="store_false", help="split with an energy detector instead")
    add(
        "--chunk-length",
        dest="chunk_max_s",
        type=float,
        help="longest chunk in seconds (default 30)",
    )
    add("--word-timestamps", dest="word_timestamps", action="store_true", default=None)
    add("--no-word-timestamps", dest="word_timestamps", action="store_false")
    add("--align-model", help="alignment model name or folder, 'auto' (default) or 'none'")
    add("--format", dest="output_format", choices=OUTPUT_FORMATS)
    add("--output", "-o", type=Path, help="subtitle file (one input) or folder")
    add("--events", choices=("jsonl",), help="print every job event as a JSON line on stdout")


def _add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0 picks a free one and prints it)",
    )
    parser.add_argument(
        "--heartbeat",
        type=float,
        default=DEFAULT_HEARTBEAT_S,
        help=f"seconds between ping events (default {DEFAULT_HEARTBEAT_S:g})",
    )


def _endpoint_options(args: argparse.Namespace) -> ServeOptions:
    if not 0 <= args.port < 65536:
        raise SettingsError(f"--port must be between 0 and 65535, not {args.port}.")
    if not args.heartbeat > 0:
        raise SettingsError(
            f"--heartbeat must be a positive number of seconds, not {args.heartbeat}."
        )
    return ServeOptions(host=args.host, port=args.port, heartbeat_s=args.heartbeat)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="subtitle-studio",
        description="Turn videos into subtitles. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")
    sub = parser.add_subparsers(dest="command")

    transcribe = sub.add_parser("transcribe", help="transcribe files to subtitles")
    transcribe.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _add_settings_options(transcribe)
    transcribe.add_argument(
        "--serve",
        action="store_true",
        help="run the HTTP endpoint beside the jobs; it stays up after them until Ctrl-C",
    )
    _add_endpoint_options(transcribe)

    serve = sub.add_parser(
        "serve", help="run the HTTP endpoint (SSE streams, POST /jobs) until Ctrl-C"
    )
    _add_endpoint_options(serve)

    jobs = sub.add_parser("jobs", help="list jobs with their status")
    jobs.add_argument("--json", action="store_true", help="machine-readable output")

    resume = sub.add_parser("resume", help="continue an unfinished job")
    resume.add_argument("job_id", metavar="JOB_ID")
    resume.add_argument(
        "--redo-finished",
        action="store_true",
        help="with --model: transcribe the chunks made by another model again",
    )
    _add_settings_options(resume)

    add_models_parser(sub)
    return parser


def _requested_settings(args: argparse.Namespace) -> dict[str, Any]:
    names = (
        "model",
        "language",
        "task",
        "device",
        "compute_type",
        "beam_size",
        "threads",
        "vad",
        "chunk_max_s",
        "word_timestamps",
        "align_model",
        "output_format",
    )
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def _err(message: str) -> None:
    sys.stderr.write(f"subtitle-studio: error: {message}\n")


def cmd_transcribe(args: argparse.Namespace, store: JobStore) -> int:
    try:
        settings = JobSettings.from_dict(_requested_settings(args))
    except StudioError as exc:
        _err(exc.message)
        return EXIT_USAGE
    files: list[Path] = args.files
    if args.output is not None and len(files) > 1 and not args.output.is_dir():
        _err("with several input files, --output must be an existing folder")
        return EXIT_USAGE
    try:
        serving = _endpoint_options(args) if args.serve else None
    except StudioError as exc:
        _err(exc.message)
        return EXIT_USAGE
    runner = JobRunner(store, events=args.events, serve=serving)
    return runner.transcribe(files, settings, args.output)


def cmd_serve(args: argparse.Namespace, store: JobStore) -> int:
    try:
        options = _endpoint_options(args)
    except StudioError as exc:
        _err(exc.message)
        return EXIT_USAGE
    return serve(store, options, load_defaults())


def cmd_jobs(args: argparse.Namespace, store: JobStore) -> int:
    records, broken = store.scan()
    if args.json:
        items = [
            {**r.to_dict(), "name": r.name, "resumable": r.status in RESUMABLE} for r in records
        ]
        items += [
            {"id": job_id, "status": "unreadable", "error": {"message": why}}
            for job_id, why in broken
        ]
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    if not records and not broken:
        sys.stdout.write("No jobs yet. Start one with: subtitle-studio transcribe FILE\n")
        return EXIT_OK
    sys.stdout.write(f"{'JOB ID':32}  {'STATUS':11}  {'%':>5}  {'PHASE':10}  FILE\n")
    for r in records:
        sys.stdout.write(
            f"{r.id}  {r.status!s:11}  {r.percent:5.1f}  {r.phase or '-':10}  {r.source}\n"
        )
    for job_id, why in broken:
        sys.stdout.write(f"{job_id}  {'unreadable':11}  {'':5}  {'-':10}  {why}\n")
    return EXIT_OK


def cmd_resume(args: argparse.Namespace, store: JobStore) -> int:
    try:
        record = store.get(args.job_id)
    except StudioError as exc:
        _err(exc.message)
        return EXIT_USAGE if exc.code == "job_error" else EXIT_FAILED
    if record.status == JobStatus.DONE and not _requested_settings(args) and args.output is None:
        sys.stderr.write(f"Job {record.id} is already done: {record.output_path}\n")
        return EXIT_OK
    try:
        checkpoint = load_checkpoint(store.folder(record.id), record.id)
    except StudioError:
        checkpoint = None  # the pipeline reports it and marks the job failed
    # The saved settings always carry the locked values of the first run (they are
    # forced back on every resume), so they are the base the user's changes apply to.
    check = check_resume(
        record.settings,
        _requested_settings(args),
        detected_language=(checkpoint.language() if checkpoint else None) or record.language,
        chunks_done=len(checkpoint.results) if checkpoint else 0,
        aligned=bool(checkpoint and checkpoint.phase in ("srt", "done")),
    )
    for forced in check.forced:
        sys.stderr.write(
            f"note: {forced.setting} stays {forced.kept!r} "
            f"(you asked for {forced.requested!r}): {forced.reason}\n"
        )
    for warning in check.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if not check.valid or check.settings is None:
        for error in check.errors:
            _err(error)
        return EXIT_USAGE
    record.settings = check.settings
    if args.output is not None:
        record.output_path = str(args.output)
    try:
        store.save(record)
    except StudioError as exc:
        _err(exc.message)
        return EXIT_FAILED
    runner = JobRunner(store, events=args.events)
    return runner.run_jobs([record.id], redo_other_models=args.redo_finished)


COMMANDS = ("transcribe", "jobs", "resume", "serve", "models")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
        # No command: the window, with any files given queued (how "Open with" and a
        # file association launch us).
        _setup_logging(False)
        return _open_window([Path(a) for a in args_list])
    parser = build_parser()
    args = parser.parse_args(args_list)
    _setup_logging(args.verbose)
    if args.command is None:
        return _open_window([])
    store = JobStore()
    store.clean_staging()  # half-created or half-deleted job folders from a crash
    commands = {
        "transcribe": cmd_transcribe,
        "jobs": cmd_jobs,
        "resume": cmd_resume,
        "serve": cmd_serve,
        "models": cmd_models,
    }
    try:
        return commands[args.command](args, store)
    except StudioError as exc:
        _err(exc.message)
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


def _open_window(files: list[Path]) -> int:
    """The desktop window; Qt is imported only now, so the commands start fast."""
    from subtitle_studio.gui.app import run

    return run(files)
