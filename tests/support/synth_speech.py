"""Synthetic speech with exactly known sentence onsets and offsets, for timing tests.

Real recordings only come with hand-made timings that are themselves tens of
milliseconds off, which is too coarse to hold subtitle cue boundaries to a
150 ms / 250 ms budget. Here every sentence is spoken by eSpeak NG, trimmed to its
first and last audible sample, and laid out with known pauses, so the ground truth
is exact by construction (it is computed from sample positions, not measured).

eSpeak NG comes from the ``espeakng-loader`` wheel (it ships ``libespeak-ng`` and
its voice data) and is called through :mod:`ctypes`: no system package and no
subprocess, so the corpus can be built on any fresh machine after
``pip install espeakng-loader``.

eSpeak NG keeps global state and is not re-entrant, so every call into it holds
:data:`_LOCK`, and the library is initialised once per process. It is used in
``AUDIO_OUTPUT_SYNCHRONOUS`` mode, in which it starts no thread of its own and calls
our callback on the calling thread.

Determinism: eSpeak's waveform generator keeps a pitch "flutter" phase and a cycle
counter (for voice roughness) in static variables that run on from one utterance
to the next, so by default the same text comes out a few samples different
depending on what was spoken before it in the process. To make a corpus a pure
function of its seed, voices are spoken with a private variant (:data:`STEADY_VARIANT`:
``flutter 0``, ``roughness 8``, i.e. both effects off) unless the caller names a
variant of their own. eSpeak only reads variants from its data folder, so at first
use a private copy of that folder is put together in a temporary directory
(symbolic links to the wheel's files, copies where links are not allowed) with the
variant file added; it is removed at interpreter exit.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import os
import random
import shutil
import tempfile
import threading
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
"""The rate of every signal this module returns: what the speech engines consume."""

TRIM_THRESHOLD = 1e-3
"""Absolute amplitude (full scale = 1.0, i.e. -60 dBFS, about 33 int16 steps) that marks speech.

eSpeak NG pads its output with exact digital zeros and the resampler's ringing at
the edges stays far below this, so the first and last samples above it are the
true edges of the speech. It sits 5 dB under the default noise floor (-55 dBFS
RMS) so trimming never cuts audible speech that a detector could still find.
"""

# eSpeak NG C API constants (speak_lib.h).
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_INITIALIZE_DONT_EXIT = 0x8000  # return an error instead of calling exit()
_ESPEAK_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_ESPEAK_RATE = 1
_EE_OK = 0

_ESPEAK_RATE_HZ = 22050  # what espeak_Initialize reports; checked at start-up
# 22050 -> 16000 is exactly 320 / 441.
_RESAMPLE_UP = 320
_RESAMPLE_DOWN = 441

STEADY_VARIANT = "steady"
"""Voice variant appended to a voice without one: no pitch flutter, no roughness.

Both effects depend on state eSpeak carries across utterances; without them a
sentence sounds the same whatever was synthesized before it (see the module doc).
"""
_STEADY_VARIANT_TEXT = (
    "language variant\nname steady\n"
    "flutter 0\n"  # pitch flutter reads a phase that never resets between utterances
    "roughness 8\n"  # 8 = N_ROUGHNESS: no amplitude modulation keyed to a global cycle count
)

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

_LOCK = threading.Lock()
_lib: ctypes.CDLL | None = None
_chunks: list[bytes] = []  # filled by the callback during one espeak_Synth call


def _on_samples(wav: ctypes._Pointer[ctypes.c_short], numsamples: int, _events: int | None) -> int:
    """Collect one block of int16 samples from eSpeak NG; 0 means "go on"."""
    if wav and numsamples > 0:
        _chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
    return 0


# Kept at module level for the life of the process: eSpeak NG holds a raw pointer to it.
_CALLBACK = _SynthCallback(_on_samples)


def _link_or_copy(source: Path, target: Path) -> None:
    """Mirror ``source`` at ``target``: a symbolic link, or a copy where links fail."""
    try:
        os.symlink(source, target, target_is_directory=source.is_dir())
    except OSError:  # e.g. Windows without the symlink privilege
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def _compose_data_dir(source: Path) -> Path:
    """Build a private eSpeak data folder: the wheel's data plus :data:`STEADY_VARIANT`.

    The wheel's own folder is left untouched (it may be read-only or shared).
    """
    root = Path(tempfile.mkdtemp(prefix="synth-speech-espeak-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    data = root / "espeak-ng-data"
    data.mkdir()
    for entry in source.iterdir():
        if entry.name != "voices":
            _link_or_copy(entry, data / entry.name)
    voices = data / "voices"
    variants = voices / "!v"
    variants.mkdir(parents=True)
    for entry in (source / "voices").iterdir():
        if entry.name != "!v":
            _link_or_copy(entry, voices / entry.name)
    for entry in (source / "voices" / "!v").iterdir():
        _link_or_copy(entry, variants / entry.name)
    (variants / STEADY_VARIANT).write_text(_STEADY_VARIANT_TEXT, encoding="ascii")
    return data


def _espeak() -> ctypes.CDLL:
    """Load and initialise libespeak-ng once per process (the caller holds ``_LOCK``)."""
    global _lib
    if _lib is not None:
        return _lib
    import espeakng_loader

    lib_path = espeakng_loader.get_library_path()
    data_path = str(_compose_data_dir(Path(espeakng_loader.get_data_path())))
    lib = ctypes.CDLL(lib_path)
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,  # text
        ctypes.c_size_t,  # size in bytes, including the terminating NUL
        ctypes.c_uint,  # position
        ctypes.c_int,  # position_type
        ctypes.c_uint,  # end_position (0: no end)
        ctypes.c_uint,  # flags
        ctypes.c_void_p,  # unique_identifier (unused)
        ctypes.c_void_p,  # user_data (unused)
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_Synchronize.argtypes = []
    lib.espeak_Synchronize.restype = ctypes.c_int

    rate = lib.espeak_Initialize(
        _AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), _ESPEAK_INITIALIZE_DONT_EXIT
    )
    if rate != _ESPEAK_RATE_HZ:
        raise RuntimeError(
            f"espeak_Initialize returned {rate}, expected {_ESPEAK_RATE_HZ} Hz "
            f"(library {lib_path}, data {data_path})"
        )
    lib.espeak_SetSynthCallback(_CALLBACK)
    log.debug("eSpeak NG initialised from %s (data %s)", lib_path, data_path)
    _lib = lib
    return lib


def _espeak_voice(voice: str) -> str:
    """The eSpeak voice name to select: ``voice`` plus :data:`STEADY_VARIANT` if it has none."""
    return voice if "+" in voice else f"{voice}+{STEADY_VARIANT}"


def _synthesize_raw(text: str, rate_wpm: int, voice: str) -> np.ndarray:
    """Speak ``text`` and return eSpeak NG's int16 output at 22050 Hz, padding included."""
    encoded = text.encode("utf-8")
    with _LOCK:
        lib = _espeak()
        # The voice first: selecting a voice may reset the speaking rate.
        if lib.espeak_SetVoiceByName(_espeak_voice(voice).encode("utf-8")) != _EE_OK:
            raise ValueError(f"eSpeak NG has no voice named {voice!r}")
        if lib.espeak_SetParameter(_ESPEAK_RATE, int(rate_wpm), 0) != _EE_OK:
            raise ValueError(f"eSpeak NG refused the rate {rate_wpm} words per minute")
        _chunks.clear()
        try:
            err = lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8, None, None
            )
            if err != _EE_OK:
                raise RuntimeError(f"espeak_Synth failed with error {err} for {text!r}")
            lib.espeak_Synchronize()
            data = b"".join(_chunks)
        finally:
            _chunks.clear()
    return np.frombuffer(data, dtype=np.int16)


def _speech_bounds(audio: np.ndarray) -> tuple[int, int] | None:
    """First and last index whose absolute value exceeds :data:`TRIM_THRESHOLD`."""
    loud = np.flatnonzero(np.abs(audio) > TRIM_THRESHOLD)
    if loud.size == 0:
        return None
    return int(loud[0]), int(loud[-1])


def synthesize(text: str, *, rate_wpm: int = 160, voice: str = "en-us") -> np.ndarray:
    """Speak ``text`` and return float32 mono at :data:`SAMPLE_RATE`, trimmed to its speech.

    The result's first and last samples are the first and last whose absolute value
    exceeds :data:`TRIM_THRESHOLD`, so the speech starts at sample 0 and ends at the
    last sample: callers can place it anywhere and know its exact edges.

    ``voice`` is an eSpeak voice name; without a ``+variant`` it is spoken with
    :data:`STEADY_VARIANT`, which makes the output depend only on the arguments.
    A caller-chosen variant (``"en-us+f2"``) may vary by a few samples between calls.
    """
    raw = _synthesize_raw(text, rate_wpm, voice)
    if raw.size == 0:
        raise RuntimeError(f"eSpeak NG produced no audio for {text!r}")
    # A polyphase FIR resampler (Kaiser window) keeps the band below 8 kHz intact,
    # unlike naive decimation; the zeros around the speech absorb its edge ringing.
    audio = resample_poly(raw.astype(np.float64) / 32768.0, _RESAMPLE_UP, _RESAMPLE_DOWN)
    bounds = _speech_bounds(audio)
    if bounds is None:
        raise RuntimeError(f"eSpeak NG produced only silence for {text!r}")
    first, last = bounds
    return audio[first : last + 1].astype(np.float32)


@dataclass(frozen=True)
class SpokenSentence:
    """One sentence in a built signal and where its speech lies, in seconds."""

    text: str
    onset_s: float  # time of the first speech sample in the joined audio
    offset_s: float  # time of the last speech sample in the joined audio


DEFAULT_SENTENCES: tuple[str, ...] = (
    "The river was cold and quiet in the morning.",
    "She opened the window and let the warm air inside.",
    "Our train left the station just after sunrise.",
    "He painted the old fence a bright shade of green.",
    "Please bring a coat because the wind is strong tonight.",
    "The children laughed as the puppy chased its tail.",
    "A small boat drifted slowly toward the far shore.",
    "We cooked soup with carrots, onions, and fresh bread.",
    "The library closes early on quiet winter evenings.",
    "My brother found a lost key under the kitchen table.",
    "Heavy rain kept everyone inside for the whole afternoon.",
    "The teacher asked the class to read the story aloud.",
    "Birds gathered on the roof before the storm arrived.",
    "She wrote a long letter to her friend across the sea.",
    "The market was full of apples, pears, and golden honey.",
    "Turn left at the bridge and walk past the bakery.",
    "The old clock in the hall stopped ringing years ago.",
    "They planted tomatoes along the sunny side of the garden.",
    "A gentle light filled the room as the sun went down.",
    "The doctor told him to rest and drink plenty of water.",
    "Snow covered the mountains long before the first frost.",
    "Our neighbors built a wooden bench beside the pond.",
    "The museum shows paintings from many different countries.",
    "Nobody noticed the cat sleeping on the warm stove.",
)
"""Short plain English sentences, each one subtitle cue (under 70 characters, under 5 s)."""


def build_sentence_audio(
    sentences: Sequence[str],
    *,
    seed: int = 0,
    pause_range_s: tuple[float, float] = (0.7, 1.6),
    lead_s: float = 1.0,
    tail_s: float = 1.0,
    noise_dbfs: float = -55.0,
    rates_wpm: tuple[int, int] = (145, 175),
) -> tuple[np.ndarray, list[SpokenSentence]]:
    """Speak ``sentences`` one after another and return the audio with exact timings.

    Each sentence gets its own speaking rate (an integer drawn from ``rates_wpm``,
    inclusive) and is followed by a pause drawn from ``pause_range_s``, both from
    ``random.Random(seed)``, so a seed always gives the same corpus. White noise at
    ``noise_dbfs`` RMS (full scale = 1.0) is added over the whole signal from a
    ``numpy`` generator seeded with ``seed``: real silence is never digital zero,
    and a detector that relied on exact zeros would pass here but fail on video.

    Onsets and offsets are sample positions divided by :data:`SAMPLE_RATE`; the
    noise does not move them, since they refer to the clean speech placed there.
    """
    if not sentences:
        raise ValueError("build_sentence_audio needs at least one sentence")
    lo_pause, hi_pause = pause_range_s
    if not 0.0 <= lo_pause <= hi_pause:
        raise ValueError(f"bad pause range {pause_range_s}")
    if lead_s < 0.0 or tail_s < 0.0:
        raise ValueError("lead_s and tail_s must not be negative")
    rng = random.Random(seed)
    pieces: list[np.ndarray] = [np.zeros(round(lead_s * SAMPLE_RATE), dtype=np.float32)]
    spoken: list[SpokenSentence] = []
    position = pieces[0].size
    for index, text in enumerate(sentences):
        rate = rng.randint(*rates_wpm)
        speech = synthesize(text, rate_wpm=rate)
        spoken.append(
            SpokenSentence(
                text=text,
                onset_s=position / SAMPLE_RATE,
                offset_s=(position + speech.size - 1) / SAMPLE_RATE,
            )
        )
        pieces.append(speech)
        position += speech.size
        gap_s = rng.uniform(lo_pause, hi_pause) if index < len(sentences) - 1 else tail_s
        gap = np.zeros(round(gap_s * SAMPLE_RATE), dtype=np.float32)
        pieces.append(gap)
        position += gap.size
    audio = np.concatenate(pieces)
    noise_rms = 10.0 ** (noise_dbfs / 20.0)
    noise = np.random.default_rng(seed).normal(0.0, noise_rms, audio.size)
    audio = (audio + noise).astype(np.float32)
    log.debug(
        "built %d sentences, %.1f s of audio (seed %d)", len(spoken), audio.size / SAMPLE_RATE, seed
    )
    return audio, spoken


def write_wav(path: Path, audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    """Write mono float audio (full scale = 1.0) as 16-bit PCM, clipping what overflows."""
    pcm = np.round(np.clip(np.asarray(audio, dtype=np.float64), -1.0, 1.0) * 32767.0)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.astype("<i2").tobytes())


@dataclass(frozen=True)
class SpokenWord:
    text: str
    onset_s: float
    offset_s: float


def build_word_audio(
    words: Sequence[str],
    *,
    seed: int = 0,
    gap_range_s: tuple[float, float] = (0.05, 0.14),
    lead_s: float = 0.5,
    noise_dbfs: float = -55.0,
    rates_wpm: tuple[int, int] = (150, 180),
) -> tuple[np.ndarray, list[SpokenWord]]:
    """Continuous speech with exactly known word boundaries.

    Each word is spoken on its own and the words are joined by gaps shorter than a
    pause a VAD would call silence, so the result sounds like one long breathless
    run: a chunker that must cut it has only the gaps between words to choose
    from, and every cut can be checked against exact word edges.
    """
    rng = random.Random(seed)
    pieces: list[np.ndarray] = [np.zeros(round(lead_s * SAMPLE_RATE), dtype=np.float32)]
    position = pieces[0].size
    spoken: list[SpokenWord] = []
    for text in words:
        speech = synthesize(text, rate_wpm=rng.randint(*rates_wpm))
        spoken.append(
            SpokenWord(text, position / SAMPLE_RATE, (position + speech.size - 1) / SAMPLE_RATE)
        )
        gap = np.zeros(round(rng.uniform(*gap_range_s) * SAMPLE_RATE), dtype=np.float32)
        pieces += [speech, gap]
        position += speech.size + gap.size
    audio = np.concatenate(pieces)
    noise = np.random.default_rng(seed).normal(0.0, 10.0 ** (noise_dbfs / 20.0), audio.size)
    return (audio + noise).astype(np.float32), spoken
