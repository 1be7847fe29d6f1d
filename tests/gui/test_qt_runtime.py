"""Guards against Qt binding releases that break a long-running application."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(str, object)


def test_emitting_a_signal_does_not_steal_references() -> None:
    """PySide6 6.12.0 returned ``True`` from ``emit()`` without a reference: after enough
    emissions the interpreter aborted ("bool_dealloc") when the window closed."""
    emitter = _Emitter()
    seen: list[object] = []
    emitter.changed.connect(lambda name, data: seen.append(data))
    emissions = 2000
    before_true, before_false = sys.getrefcount(True), sys.getrefcount(False)
    for n in range(emissions):
        emitter.changed.emit("progress", {"percent": n})
    assert len(seen) == emissions
    # A stolen reference per emission loses 2,000; other threads of the test session
    # (heartbeats, finished jobs being collected) may move the counts by a few.
    assert sys.getrefcount(True) > before_true - emissions // 20
    assert sys.getrefcount(False) > before_false - emissions // 20
