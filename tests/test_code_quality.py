"""The house checks run with the tests, so one command gates everything: lint, format,
types on the core, and the layer contracts (the core imports no Qt and no engine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHECKS = {
    "ruff lint": [sys.executable, "-m", "ruff", "check", "."],
    "ruff format": [sys.executable, "-m", "ruff", "format", "--check", "."],
    "mypy core": [sys.executable, "-m", "mypy"],
    "import layers": [str(Path(sys.executable).parent / "lint-imports")],
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_house_check_passes(name: str) -> None:
    done = subprocess.run(CHECKS[name], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
