"""Entry point of the frozen application (PyInstaller, see subtitle-studio.spec).

It is ``subtitle-studio`` (:func:`subtitle_studio.cli.main.main`) with two guards that
only a frozen executable needs, run before anything else:

* ``multiprocessing.freeze_support()``: in a frozen program a child process started by
  ``multiprocessing`` is this same executable, and on Windows it must recognise the
  child's command line instead of opening a second window. Subtitle Studio starts no
  processes of its own today, but torch and its libraries may; the call is a no-op
  everywhere else.
* The Windows release build has no console (``console=False``), so ``sys.stdout`` and
  ``sys.stderr`` are ``None`` and the first ``print`` or the command line's error line
  would raise. They are pointed at ``console.log`` in the log folder (so a failed
  start-up leaves its traceback somewhere a user can find), or at ``os.devnull`` when
  that folder cannot be written.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import IO

CONSOLE_LOG = "console.log"


def _open_console_log() -> IO[str]:
    """The file that stands in for the missing console: the log folder's console.log."""
    try:
        from subtitle_studio.core.paths import log_dir

        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return open(folder / CONSOLE_LOG, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    except OSError:
        return open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def guard_standard_streams() -> None:
    """Give a windowed build somewhere to write: replace missing std streams.

    Only streams that are ``None`` are replaced, so a console build, a terminal on Linux
    or a redirected output keeps working exactly as before.
    """
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    if sys.stdout is not None and sys.stderr is not None:
        return
    sink = _open_console_log()
    if sys.stdout is None:
        sys.stdout = sink
    if sys.stderr is None:
        sys.stderr = sink


def main() -> int:
    multiprocessing.freeze_support()
    guard_standard_streams()
    from subtitle_studio.cli.main import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
