"""Compile installer.iss with the Inno Setup compiler, failing on any warning.

    python tools/compile_installer.py                     # the setup, into build/installer
    python tools/compile_installer.py --check             # compile only: no setup written
    python tools/compile_installer.py --build-dir DIR --exe-name NAME

The version comes from the package (``subtitle_studio.__version__``) and is handed to
the script as ``/DAppVersion``, so it is written in one place only. On Windows the
compiler is ``ISCC.exe`` from ``--iscc``, ``PATH`` or Inno Setup 6's usual folders; on
Linux it is the one ``tools/bootstrap.sh installer`` puts in ``build/innosetup``, run
under wine. The Windows application itself cannot be built on Linux, so there the
script is compiled against the Linux frozen build (``--exe-name SubtitleStudio``): that
proves the script is valid and that every file it names exists.

Inno Setup reports warnings (a deprecated directive, a questionable setting) and still
succeeds; this script treats any warning as a failure, so the installer stays clean.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "installer.iss"
#: Where tools/bootstrap.sh installs npm's "innosetup" package (Inno Setup's compiler).
NPM_INNOSETUP = ROOT / "build" / "innosetup" / "node_modules" / "innosetup"
#: A wine prefix of our own, so compiling never touches the user's ~/.wine.
WINE_PREFIX = ROOT / "build" / "wineprefix"
DEFAULT_BUILD_DIR = ROOT / "dist" / "SubtitleStudio"
DEFAULT_OUTPUT_DIR = ROOT / "build" / "installer"
BOOTSTRAP_HINT = "run: tools/bootstrap.sh installer (wine and the Inno Setup compiler)"
#: A compiler warning line, e.g. 'Warning: Architecture identifier "x64" is deprecated…'.
WARNING_LINE = re.compile(r"\bwarning\b", re.IGNORECASE)


class CompilerMissing(RuntimeError):
    """The Inno Setup compiler, or wine to run it, is not installed."""


@dataclass(frozen=True)
class CompileResult:
    returncode: int
    output: str
    command: list[str]

    @property
    def warnings(self) -> list[str]:
        return [line.strip() for line in self.output.splitlines() if WARNING_LINE.search(line)]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.warnings


def package_version() -> str:
    """``subtitle_studio.__version__``, read without importing the application."""
    text = (ROOT / "subtitle_studio" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit('subtitle_studio/__init__.py has no __version__ = "…" line')
    return match.group(1)


def npm_default_isl() -> Path:
    """Default.isl (the English messages) of the compiler bootstrap installed."""
    return NPM_INNOSETUP / "bin" / "Default.isl"


def compiler_command(iscc: Path | None = None) -> tuple[list[str], bool]:
    """The command that runs ISCC.exe, and whether it runs under wine.

    Raises :class:`CompilerMissing` with the step to take when it is not installed.
    """
    if sys.platform == "win32":
        candidates = [iscc] if iscc else []
        found = shutil.which("ISCC")
        candidates += [Path(found)] if found else []
        for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
            if base:
                candidates.append(Path(base) / "Inno Setup 6" / "ISCC.exe")
        candidates.append(NPM_INNOSETUP / "bin" / "ISCC.exe")
        for candidate in candidates:
            if candidate and candidate.is_file():
                return [str(candidate)], False
        raise CompilerMissing("ISCC.exe (Inno Setup 6) was not found: install Inno Setup 6")
    exe = iscc or NPM_INNOSETUP / "bin" / "ISCC.exe"
    if not exe.is_file():
        raise CompilerMissing(f"the Inno Setup compiler is not installed ({exe}); {BOOTSTRAP_HINT}")
    wine = shutil.which("wine")
    if wine is None:
        raise CompilerMissing(f"wine is not installed; {BOOTSTRAP_HINT}")
    return [wine, str(exe)], True


def windows_path(path: Path, under_wine: bool) -> str:
    """``path`` as the compiler sees it: wine maps the Linux root to drive Z:."""
    path = path.resolve()
    if not under_wine:
        return str(path)
    return str(PureWindowsPath("Z:\\", *path.parts[1:]))


def wine_environment() -> dict[str, str]:
    """Quiet, non-interactive wine in our own prefix.

    ``mscoree,mshtml=`` stops wine from offering to install Mono and Gecko when it
    creates the prefix (a dialog that would wait for ever on a machine without a display).
    """
    WINE_PREFIX.parent.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "WINEPREFIX": str(WINE_PREFIX),
        "WINEARCH": "win32",
        "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "mscoree,mshtml=",
    }


def compile_installer(
    build_dir: Path = DEFAULT_BUILD_DIR,
    exe_name: str = "SubtitleStudio.exe",
    *,
    output_dir: Path | None = None,
    check_only: bool = False,
    iscc: Path | None = None,
    script: Path = SCRIPT,
    timeout: float = 600,
) -> CompileResult:
    """Run ISCC on installer.iss and return its exit status and output.

    ``check_only`` passes ``/O-``: the compiler reads and checks everything (every Source
    file must exist) but writes no setup. ``script`` is for tests (a changed copy).
    Raises :class:`CompilerMissing`.
    """
    base, under_wine = compiler_command(iscc)
    command = [
        *base,
        f"/DAppVersion={package_version()}",
        f"/DBuildDir={windows_path(build_dir, under_wine)}",
        f"/DAppExeName={exe_name}",
    ]
    if check_only:
        command.append("/O-")
    else:
        target = output_dir or DEFAULT_OUTPUT_DIR
        target.mkdir(parents=True, exist_ok=True)
        command.append(f"/O{windows_path(target, under_wine)}")
    command.append(windows_path(script, under_wine))
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        timeout=timeout,
        env=wine_environment() if under_wine else None,
        check=False,
    )
    output = (result.stdout + result.stderr).decode("utf-8", errors="replace")
    return CompileResult(result.returncode, output, command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=DEFAULT_BUILD_DIR,
        help="the frozen one-folder build (default: dist/SubtitleStudio)",
    )
    parser.add_argument(
        "--exe-name",
        default="SubtitleStudio.exe",
        help="the main executable's name in the build (Linux: SubtitleStudio)",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help="where the setup goes (default: build/installer)",
    )
    parser.add_argument("--check", action="store_true", help="compile only; write no setup")
    parser.add_argument("--iscc", type=Path, help="the ISCC.exe to use")
    args = parser.parse_args(argv)
    try:
        result = compile_installer(
            args.build_dir,
            args.exe_name,
            output_dir=args.output_dir,
            check_only=args.check,
            iscc=args.iscc,
        )
    except CompilerMissing as exc:
        print(f"compile_installer: {exc}", file=sys.stderr)
        return 3
    sys.stdout.write(result.output)
    if result.returncode != 0:
        print(f"compile_installer: ISCC failed (exit {result.returncode})", file=sys.stderr)
        return 1
    if result.warnings:
        print("compile_installer: the compiler warned (treated as an error):", file=sys.stderr)
        for line in result.warnings:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
