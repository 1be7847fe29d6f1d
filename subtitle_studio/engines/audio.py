"""The extract phase's engine: PyAV decodes the chosen audio stream once, to 16 kHz mono.

Every way a file can be unusable (not media, no audio, empty, truncated,
unreadable) becomes a ``MediaError`` with a sentence the user can act on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np

from subtitle_studio.core.audio_store import SAMPLE_RATE, AudioWriter, StoredAudio
from subtitle_studio.errors import MediaError

log = logging.getLogger(__name__)

#: Decoded audio shorter than this share of the declared duration means a cut-off file.
TRUNCATED_BELOW = 0.9
#: Damaged packets tolerated (skipped) before the file is declared unreadable.
MAX_BAD_PACKETS = 50


@dataclass(frozen=True)
class MediaInfo:
    audio_stream: int
    audio_streams: int
    codec: str
    sample_rate: int
    channels: int
    duration_s: float | None
    fps: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_readable(path: Path) -> None:
    name = path.name
    if not path.exists():
        raise MediaError("{path} was not found.", path=path)
    if path.is_dir():
        raise MediaError("{path} is a folder, not a media file.", path=path)
    if not os.access(path, os.R_OK):
        raise MediaError("{name} cannot be read: permission denied.", name=name)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise MediaError(
            "{name} cannot be read: {reason}.", name=name, reason=exc.strerror or exc
        ) from exc
    if size == 0:
        raise MediaError("{name} is empty (0 bytes); it holds no audio to transcribe.", name=name)


#: How common media containers begin, to tell a damaged media file from a non-media one.
_SIGNATURES = (b"fLaC", b"RIFF", b"ID3", b"OggS", b"\x1aE\xdf\xa3", b"\xff\xfb", b"\xff\xf3")


def _looks_like_media(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    return head.startswith(_SIGNATURES) or head[4:8] == b"ftyp"


def _open(path: Path) -> av.container.InputContainer:
    _check_readable(path)
    try:
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        if _looks_like_media(path):
            raise MediaError(
                "{name} looks like a media file but is damaged or incomplete "
                "(was the download or copy cut off?).",
                name=path.name,
            ) from exc
        raise MediaError(
            "{name} is not a media file Subtitle Studio can read.", name=path.name
        ) from exc


def _choose_audio_stream(container: av.container.InputContainer, name: str) -> av.audio.AudioStream:
    """The stream a viewer most likely means: the default one, then the best quality."""
    streams = [s for s in container.streams.audio if (s.codec_context.sample_rate or 0) > 0]
    if not streams:
        raise MediaError("{name} has no audio track, so there is nothing to transcribe.", name=name)

    def rank(stream: av.audio.AudioStream) -> tuple[int, int, int, int]:
        default = int(bool(stream.disposition & av.stream.Disposition.default))
        ctx = stream.codec_context
        return (default, ctx.sample_rate or 0, ctx.channels or 0, ctx.bit_rate or 0)

    return max(streams, key=rank)


def _duration(container: av.container.InputContainer, stream: av.audio.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def probe(path: Path) -> MediaInfo:
    """What the file holds and which audio stream would be used."""
    with _open(path) as container:
        return _info(container, _choose_audio_stream(container, path.name))


def _info(container: av.container.InputContainer, stream: av.audio.AudioStream) -> MediaInfo:
    fps = None
    videos = sorted(
        container.streams.video,
        key=lambda v: (
            bool(v.disposition & av.stream.Disposition.default),
            (v.codec_context.width or 0) * (v.codec_context.height or 0),
        ),
        reverse=True,
    )
    for video in videos:
        rate = video.average_rate or video.guessed_rate
        if rate:
            fps = float(rate)
            break
    ctx = stream.codec_context
    return MediaInfo(
        audio_stream=stream.index,
        audio_streams=len(container.streams.audio),
        codec=ctx.name,
        sample_rate=ctx.sample_rate,
        channels=ctx.channels,
        duration_s=_duration(container, stream),
        fps=fps,
    )


def extract(
    path: Path,
    dest: Path,
    *,
    on_progress: Callable[[float], None] | None = None,
    check: Callable[[], None] | None = None,
) -> tuple[StoredAudio, MediaInfo]:
    """Decode ``path``'s audio to ``dest`` (16 kHz mono PCM). Memory stays flat."""
    with _open(path) as container:
        stream = _choose_audio_stream(container, path.name)
        info = _info(container, stream)
        log.info("extracting audio stream #%d of %s (%s)", stream.index, path, info.codec)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        writer = AudioWriter(dest)
        bad = 0
        last_report = -1.0
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.error.FFmpegError as exc:
                    bad += 1
                    log.warning("skipping a damaged packet in %s: %s", path.name, exc)
                    if bad > MAX_BAD_PACKETS:
                        raise MediaError(
                            "{name} is too damaged to decode ({bad} unreadable pieces).",
                            name=path.name,
                            bad=bad,
                        ) from exc
                    continue
                for frame in frames:
                    for out in resampler.resample(frame):
                        writer.write_pcm16(out.to_ndarray().reshape(-1))
                if check is not None:
                    check()
                if on_progress and info.duration_s and packet.pts is not None and packet.time_base:
                    fraction = min(1.0, float(packet.pts * packet.time_base) / info.duration_s)
                    if fraction - last_report >= 0.01:
                        last_report = fraction
                        on_progress(fraction)
            for out in resampler.resample(None):
                writer.write_pcm16(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError as exc:
            writer.abort()
            raise MediaError(
                "{name} could not be decoded: {error}.", name=path.name, error=exc
            ) from exc
        except BaseException:
            writer.abort()
            raise
        decoded = writer.samples / SAMPLE_RATE
        if writer.samples == 0:
            writer.abort()
            raise MediaError(
                "{name} has an audio track but no audio could be decoded from it.", name=path.name
            )
        if (
            info.duration_s
            and info.duration_s > 1.0
            and decoded < TRUNCATED_BELOW * info.duration_s
        ):
            writer.abort()
            raise MediaError(
                "{name} appears to be truncated: only {decoded} s of its "
                "{duration} s could be decoded. Download or copy it again.",
                name=path.name,
                decoded=f"{decoded:.1f}",
                duration=f"{info.duration_s:.1f}",
            )
        stored = writer.commit()
        if on_progress:
            on_progress(1.0)
        return stored, info


def decode_to_array(path: Path) -> np.ndarray:
    """The whole file as float32 16 kHz mono in memory (for tests and benchmarks)."""
    with _open(path) as container:
        stream = _choose_audio_stream(container, path.name)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        parts = []
        for frame in container.decode(stream):
            parts.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
        parts.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    if not parts:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(parts).astype(np.float32) / 32768.0
