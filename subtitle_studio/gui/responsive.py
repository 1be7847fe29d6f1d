"""Keeping the GUI thread responsive while the pipeline thread runs Python.

Every call from Qt into Python (a model's ``data()``, a delegate's ``paint()``) must
take the interpreter lock. While the pipeline thread is busy in Python code (cue
rules, writing files), each such call waits until the interpreter hands the lock
over, by default up to 5 ms. A table repaint makes hundreds of calls, so an idle
window could freeze for a noticeable fraction of a second. Two remedies, both here:
fewer calls per repaint (:class:`AllRolesAtOnce`), and a shorter hand-over
interval (:func:`favour_the_gui_thread`). A third stop is the cyclic garbage
collector: a full collection holds the lock while it walks every object alive,
tens of milliseconds once the engines' libraries are loaded; :func:`settle_heap`
takes what is loaded for good out of those walks.
"""

from __future__ import annotations

import gc
import logging
import sys

from PySide6.QtCore import QModelIndex, QModelRoleDataSpan, QPersistentModelIndex

log = logging.getLogger(__name__)

#: How long a thread may keep the interpreter lock while another waits for it. Short
#: enough that a repaint's few hundred calls into Python wait a few ms in all. It costs
#: the pipeline thread little: a hand-over happens only while another thread waits,
#: and transcription runs in native code that releases the lock anyway.
SWITCH_INTERVAL_S = 0.0002


def favour_the_gui_thread() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_S)


_settled: set[str] = set()


def settle_heap(reason: str) -> None:
    """Move every object alive now out of the garbage collector's full walks, once per
    ``reason`` ("started", "transcriber loaded"): what exists then (modules,
    widgets, models) lives as long as the application, so walking it again and again
    finds nothing and only freezes the window. Objects stay reference-counted as usual.
    """
    if reason in _settled:
        return
    _settled.add(reason)
    gc.freeze()
    log.debug(
        "heap settled (%s): %d objects out of full collections", reason, gc.get_freeze_count()
    )


class AllRolesAtOnce:
    """Mixin for item models: answer every role a delegate asks for in one call.

    Qt 6's item delegates ask for a cell's roles (display, font, alignment,
    colours…) through ``multiData``, whose default implementation calls ``data()``
    once per role: seven calls into Python per cell. Answering them here makes it one.
    """

    def multiData(
        self, index: QModelIndex | QPersistentModelIndex, roleDataSpan: QModelRoleDataSpan
    ) -> None:
        for role_data in roleDataSpan:
            value = self.data(index, role_data.role())  # type: ignore[attr-defined]
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)
