"""The frozen (PyInstaller) build, made once per test session and shared by the delivery tests.

``frozen_build`` returns the one-folder application, ``build/frozen/dist/SubtitleStudio``,
built from ``subtitle-studio.spec`` with the documented command. A build is slow (minutes),
so an earlier one is reused, but only when nothing it was made from has changed since it
started: every file it includes from the checkout (the package, the spec and its run-time
hook, resources/) is older than the build's start, and the installed packages, Python and
PyInstaller are the same ones (a fingerprint in ``build/frozen/stamp.json``). Anything
else builds again.

Without PyInstaller the tests that need the build fail with a message saying how to install
it; they never skip.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "subtitle-studio.spec"
BUILD_ROOT = REPO / "build" / "frozen"
DIST_ROOT = BUILD_ROOT / "dist"
WORK = BUILD_ROOT / "work"
STAMP = BUILD_ROOT / "stamp.json"
BUILD_LOG = BUILD_ROOT / "pyinstaller.log"
APP_NAME = "SubtitleStudio"
EXE_NAME = APP_NAME + (".exe" if sys.platform == "win32" else "")
#: Longest a build may take before the test gives up (about 4 minutes on 2 cores).
#: A test using ``frozen_build`` pays for the build in its set-up, so it needs a
#: pytest timeout above this: ``pytest.mark.timeout(BUILD_TIMEOUT_S + 300)``.
BUILD_TIMEOUT_S = 1200
#: The checkout's folders and files a build takes in.
SOURCES = (
    SPEC,
    REPO / "packaging",
    REPO / "subtitle_studio",
    REPO / "resources",
)


def source_files() -> list[Path]:
    """Every file of the checkout the build reads (bytecode caches are not sources)."""
    files: list[Path] = []
    for source in SOURCES:
        if source.is_file():
            files.append(source)
        elif source.is_dir():
            files += [
                path
                for path in source.rglob("*")
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
            ]
    return files


def sources_listing() -> list[str]:
    """The build's source files by name: a file removed since the build makes it stale too."""
    return sorted(str(path.relative_to(REPO)) for path in source_files())


def environment_fingerprint() -> str:
    """Python, PyInstaller and every installed distribution's version, hashed.

    A ``pip install`` that changes any bundled library changes this, so the next
    session builds again rather than testing yesterday's libraries.
    """
    installed = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    text = "\n".join([sys.version, sys.executable, *installed])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reusable_build(dist: Path, fingerprint: str) -> bool:
    """True when the build in ``dist`` is complete and newer than everything it includes."""
    if not (dist / EXE_NAME).is_file():
        return False
    try:
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
        started = float(stamp["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if stamp.get("fingerprint") != fingerprint or stamp.get("dist") != str(dist):
        return False
    if stamp.get("sources") != sources_listing():
        return False
    # A file changed after the build started may or may not be in it: build again.
    return all(path.stat().st_mtime < started for path in source_files())


def build_frozen_app() -> Path:
    """Run the documented build into build/frozen and return the application folder."""
    dist = DIST_ROOT / APP_NAME
    fingerprint = environment_fingerprint()
    if reusable_build(dist, fingerprint):
        return dist
    STAMP.unlink(missing_ok=True)
    # PyInstaller's own reuse of its work folder goes by time stamps and can keep a
    # module edited while the last build ran: always build from a clean work folder.
    shutil.rmtree(WORK, ignore_errors=True)
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    started = time.time()
    sources = sources_listing()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST_ROOT),
        "--workpath",
        str(WORK),
        str(SPEC),
    ]
    with BUILD_LOG.open("w", encoding="utf-8") as log:
        try:
            result = subprocess.run(
                command,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=BUILD_TIMEOUT_S,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"the PyInstaller build took over {BUILD_TIMEOUT_S} s; see {BUILD_LOG}")
    if result.returncode != 0:
        tail = "".join(BUILD_LOG.read_text(encoding="utf-8").splitlines(True)[-40:])
        pytest.fail(f"the PyInstaller build failed (exit {result.returncode}):\n{tail}")
    assert (dist / EXE_NAME).is_file(), f"the build made no {EXE_NAME} in {dist}"
    STAMP.write_text(
        json.dumps(
            {
                "started": started,
                "seconds": round(time.time() - started, 1),
                "fingerprint": fingerprint,
                "dist": str(dist),
                "sources": sources,
            }
        ),
        encoding="utf-8",
    )
    return dist


def require_pyinstaller() -> None:
    """Fail (never skip) the test when PyInstaller is missing: CI must build the app."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail(
            "PyInstaller is not installed, so the frozen build cannot be made or tested; "
            "install the test tools: pip install -e '.[test]'"
        )


@pytest.fixture(scope="session")
def frozen_build() -> Path:
    """The frozen application folder (``…/dist/SubtitleStudio``), built once per session."""
    require_pyinstaller()
    return build_frozen_app()
