"""Playing one stretch of a file: the selected line, from its start to its end.

``SegmentPlayer`` drives a media backend (a ``QMediaPlayer`` with a ``QAudioOutput`` unless
one is injected): it sets the source when it changes, waits for the media to load (a seek
asked for earlier is dropped by Qt's FFmpeg backend), seeks to the start, plays, and
pauses at the end.

Why a timer and not only ``positionChanged``: Qt reports the playing position only about
every 100 ms, which would let a line run a tenth of a second into the next. A 15 ms
timer reads the backend's position and, between two reports, moves it on by the time that
passed (never more than :data:`EXTRAPOLATE_MAX_MS` past the last report, so a stalled
stream is not cut short); playback pauses as soon as that estimate reaches the end. A
watchdog stops a range that never gets there (a stuck stream); a range past the end of the
file ends with the file.

The backend is anything with ``QMediaPlayer``'s ``setSource``, ``setPosition``, ``play``,
``pause``, ``stop``, ``position`` and ``mediaStatus``: tests pass a fake and read back the
positions it was asked for.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal

logger = logging.getLogger(__name__)

#: How often the position is checked while a range plays (milliseconds).
TICK_MS = 15
#: The furthest the position is estimated beyond the backend's last report.
EXTRAPOLATE_MAX_MS = 150
#: A position reported this far before the range's start still counts as "in the range"
#: (a seek lands on a nearby frame).
SEEK_TOLERANCE_MS = 500
#: A range is given up this long after it should have ended (the stream stalled).
WATCHDOG_SLACK_MS = 3000
#: A file that has not loaded after this long is reported as unplayable.
LOAD_TIMEOUT_MS = 15000


class MediaStatus(Protocol):
    """``QMediaPlayer.MediaStatus`` or a stand-in with the same ``name``."""

    @property
    def name(self) -> str: ...


class PlaybackBackend(Protocol):
    """What ``SegmentPlayer`` needs of a player: a subset of ``QMediaPlayer``."""

    def setSource(self, source: QUrl) -> None: ...
    def setPosition(self, position: int) -> None: ...
    def play(self) -> None: ...
    def pause(self) -> None: ...
    def stop(self) -> None: ...
    def position(self) -> int: ...
    def mediaStatus(self) -> MediaStatus: ...


# Statuses in which a seek is honoured, and those that mean the file cannot be played.
_READY = {"LoadedMedia", "BufferingMedia", "BufferedMedia", "EndOfMedia", "StalledMedia"}
_FAILED = {"InvalidMedia"}


def default_backend(parent: QObject) -> PlaybackBackend:
    """A ``QMediaPlayer`` that plays through the default audio output."""
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

    player = QMediaPlayer(parent)
    output = QAudioOutput(player)
    player.setAudioOutput(output)
    return player


class SegmentPlayer(QObject):
    """Plays ``[start_s, end_s)`` of a media file and stops there."""

    #: The playing position in seconds (every tick while playing, and after a seek).
    positionChanged = Signal(float)
    #: The range played to its end (not sent after ``stop()`` or a new ``play_range``).
    rangeFinished = Signal()
    #: True when a range starts playing, False when it ends or is stopped.
    playingChanged = Signal(bool)
    #: The file could not be played; a message for the user.
    failed = Signal(str)

    def __init__(
        self, backend: PlaybackBackend | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.backend: PlaybackBackend = backend if backend is not None else default_backend(self)
        self._source: Path | None = None
        self._range: tuple[int, int] | None = None  # (start ms, end ms) of the current range
        self._waiting_for_load = False
        self._playing = False
        self._in_range = False
        self._moving = False  # the backend's position has changed since the seek
        self._load_deadline = 0.0
        self._last_report: tuple[int, float] = (0, 0.0)  # (position ms, monotonic s)
        self._deadline = 0.0
        self._emitted_ms: int | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    # -- API -----------------------------------------------------------------------------
    def play_range(self, source: Path, start_s: float, end_s: float) -> None:
        """Play ``source`` from ``start_s`` to ``end_s`` (seconds), then pause there."""
        start_ms = max(0, round(start_s * 1000))
        end_ms = round(end_s * 1000)
        if end_ms <= start_ms:
            raise ValueError(
                self.tr("nothing to play between {start} s and {end} s").format(
                    start=start_s, end=end_s
                )
            )
        source = Path(source)
        if source != self._source:
            self.backend.setSource(QUrl.fromLocalFile(str(source)))
            self._source = source
        self._range = (start_ms, end_ms)
        self._in_range = False
        self._moving = False
        self._emitted_ms = None
        self._waiting_for_load = True
        self._load_deadline = time.monotonic() + LOAD_TIMEOUT_MS / 1000.0
        self._timer.start()
        self._tick()  # start at once when the media is already loaded

    def stop(self) -> None:
        """Stop playing (no ``rangeFinished``)."""
        was_active = self._range is not None
        self._range = None
        self._waiting_for_load = False
        self._timer.stop()
        self.backend.stop()
        self._set_playing(False)
        if was_active:
            logger.debug("Playback stopped")

    def is_playing(self) -> bool:
        return self._playing

    def current_range(self) -> tuple[float, float] | None:
        """The range being played or about to be, in seconds."""
        if self._range is None:
            return None
        return self._range[0] / 1000.0, self._range[1] / 1000.0

    def source(self) -> Path | None:
        return self._source

    # -- the watch -----------------------------------------------------------------------
    def _tick(self) -> None:
        if self._range is None:
            self._timer.stop()
            return
        start_ms, end_ms = self._range
        if self._waiting_for_load:
            status = self.backend.mediaStatus().name
            if status in _FAILED or time.monotonic() > self._load_deadline:
                source = self._source
                self.stop()
                self._source = None  # try loading it again next time
                if status in _FAILED:
                    text = self.tr("{file} is not a playable file.")
                else:
                    text = self.tr("{file} did not load in time.")
                self.failed.emit(text.format(file=source))
                return
            if status not in _READY:
                return
            self._waiting_for_load = False
            self.backend.setPosition(start_ms)
            self.backend.play()
            now = time.monotonic()
            self._last_report = (self.backend.position(), now)
            self._deadline = now + (end_ms - start_ms + WATCHDOG_SLACK_MS) / 1000.0
            self._set_playing(True)
            return
        now = time.monotonic()
        reported = self.backend.position()
        if reported != self._last_report[0]:
            self._last_report = (reported, now)
            self._moving = True
        if not self._in_range:
            # Until the backend has reached the range, an old position (the end of the
            # previous range) must not end this one.
            if not start_ms - SEEK_TOLERANCE_MS <= reported < end_ms:
                if now > self._deadline:
                    logger.warning("Playback never reached %d ms; stopping", start_ms)
                    self.stop()
                return
            self._in_range = True
        last_ms, last_at = self._last_report
        # Estimate only once the stream moves: a seek may buffer for a while first.
        ahead = min((now - last_at) * 1000.0, EXTRAPOLATE_MAX_MS) if self._moving else 0.0
        estimate = last_ms + int(ahead)
        at_end_of_file = self._moving and self.backend.mediaStatus().name == "EndOfMedia"
        if estimate >= end_ms or at_end_of_file or now > self._deadline:
            self._finish(end_ms)
            return
        if estimate != self._emitted_ms:
            self._emitted_ms = estimate
            self.positionChanged.emit(estimate / 1000.0)

    def _finish(self, end_ms: int) -> None:
        self.backend.pause()
        self._range = None
        self._timer.stop()
        self.positionChanged.emit(end_ms / 1000.0)
        self._set_playing(False)
        self.rangeFinished.emit()

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.playingChanged.emit(playing)
