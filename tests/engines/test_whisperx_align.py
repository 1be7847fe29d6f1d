"""The whisperX aligner and its offline sentence-splitter data, on the real code paths.

Nothing here is faked: NLTK reads the Punkt files we write, whisperX's own ``align``
runs a (tiny, random) wav2vec2 model over a real recording, and the network is never
touched — ``nltk.download`` fails the test if anything reaches it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import time
import traceback
from pathlib import Path

import nltk
import numpy as np
import pytest

from subtitle_studio.engines.punkt import STALE_AFTER_S, ensure_punkt_tab
from subtitle_studio.errors import Cancelled, ModelError

REPO = Path(__file__).resolve().parents[2]
SAMPLE_RATE = 16_000
MODEL_FILES = {"abbrev_types.txt", "collocations.tab", "ortho_context.tab", "sent_starters.txt"}
TWO_SENTENCES = "Mr. Smith went home. He slept."


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test the moment anything asks NLTK to download (it hangs offline)."""

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail(f"nltk.download was called with {args} {kwargs}")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.downloader, "download", refuse)


@pytest.fixture
def clean_nltk_path(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """An empty ``nltk.data.path`` for this test, so only the folder under test counts."""
    paths: list[str] = []
    monkeypatch.setattr(nltk.data, "path", paths)
    return paths


def _sentences(text: str) -> list[str]:
    return nltk.tokenize.PunktTokenizer("english").tokenize(text)


def _read_16k_mono(path: Path) -> np.ndarray:
    """Decode a recording to float32 mono 16 kHz samples with PyAV, as the pipeline does."""
    import av

    parts = []
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        for frame in container.decode(container.streams.audio[0]):
            parts.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(frame))
        parts.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    return np.concatenate(parts).astype(np.float32)


# ---------------------------------------------------------------------- punkt_tab


def test_punkt_tab_is_written_where_nltk_finds_it(tmp_path: Path, clean_nltk_path: list[str]):
    data_dir = tmp_path / "nltk data"

    folder = ensure_punkt_tab(data_dir)

    assert folder == data_dir.resolve() / "tokenizers" / "punkt_tab" / "english"
    assert {p.name for p in folder.iterdir()} == MODEL_FILES
    assert str(data_dir.resolve()) in clean_nltk_path
    # "Mr." stays inside the first sentence only if the abbreviations were carried over.
    assert _sentences(TWO_SENTENCES) == ["Mr. Smith went home.", "He slept."]
    # whisperX's exact call.
    splitter = nltk.data.load("tokenizers/punkt_tab/english.pickle")
    assert len(list(splitter.span_tokenize(TWO_SENTENCES))) == 2


def test_punkt_tab_is_idempotent(tmp_path: Path, clean_nltk_path: list[str]):
    first = ensure_punkt_tab(tmp_path)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in first.iterdir()}

    second = ensure_punkt_tab(tmp_path)

    assert second == first
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in second.iterdir()} == before
    assert sorted(p.name for p in first.parent.iterdir()) == ["english"]
    assert clean_nltk_path.count(str(tmp_path.resolve())) == 1


def test_punkt_tab_is_found_by_a_second_process(tmp_path: Path, clean_nltk_path: list[str]):
    folder = ensure_punkt_tab(tmp_path)
    inodes = {p.name: p.stat().st_ino for p in folder.iterdir()}
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        import nltk

        def refuse(*a, **k):
            sys.exit("nltk.download was called")

        nltk.download = refuse
        # Plain NLTK first: the files are in NLTK's own format.
        nltk.data.path[:] = [{str(tmp_path)!r}]
        plain = nltk.tokenize.PunktTokenizer("english").tokenize({TWO_SENTENCES!r})
        nltk.data.path[:] = []
        from subtitle_studio.engines.punkt import ensure_punkt_tab
        found = ensure_punkt_tab(Path({str(tmp_path)!r}))
        print(json.dumps({{"plain": plain, "found": str(found)}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )

    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["plain"] == ["Mr. Smith went home.", "He slept."]
    assert answer["found"] == str(folder)
    assert {p.name: p.stat().st_ino for p in folder.iterdir()} == inodes  # nothing rewritten


def test_punkt_tab_survives_a_crashed_writer(tmp_path: Path, clean_nltk_path: list[str]):
    parent = tmp_path / "tokenizers" / "punkt_tab"
    parent.mkdir(parents=True, mode=0o700)
    (tmp_path / "tokenizers").chmod(0o700)
    # A write that died half-way an hour ago, one that may still be running, and a
    # torn model folder left by a writer that did not rename into place.
    old = parent / ".english.partial-dead"
    old.mkdir(mode=0o700)
    (old / "collocations.tab").write_text("half")
    stale = time.time() - STALE_AFTER_S - 60
    os.utime(old, (stale, stale))
    young = parent / ".english.partial-busy"
    young.mkdir(mode=0o700)
    torn = parent / "english"
    torn.mkdir(mode=0o700)
    (torn / "abbrev_types.txt").write_text("mr\n")

    folder = ensure_punkt_tab(tmp_path)

    assert folder == torn.resolve()
    assert {p.name for p in folder.iterdir()} == MODEL_FILES
    assert _sentences(TWO_SENTENCES) == ["Mr. Smith went home.", "He slept."]
    assert not old.exists()
    assert young.exists()  # may belong to another process: left alone
    assert sorted(p.name for p in parent.iterdir()) == [".english.partial-busy", "english"]


def test_punkt_tab_other_languages_and_fallback(tmp_path: Path, clean_nltk_path: list[str]):
    german = ensure_punkt_tab(tmp_path, "german")
    assert german.name == "german"
    german_splitter = nltk.tokenize.PunktTokenizer("german")
    assert len(german_splitter.tokenize("Das ist z.B. gut. Er schläft.")) == 2

    # A language without Punkt data falls back to English, as whisperX does.
    assert ensure_punkt_tab(tmp_path, "klingon").name == "english"


# ---------------------------------------------------------------------- the aligner


@pytest.fixture(scope="module")
def aligner(tiny_align_model: Path, tmp_path_factory: pytest.TempPathFactory):
    from subtitle_studio.engines.whisperx_align import WhisperXAligner

    return WhisperXAligner(
        str(tiny_align_model), "en", data_dir=tmp_path_factory.mktemp("nltk-data")
    )


@pytest.fixture(scope="module")
def jfk(media: Path) -> np.ndarray:
    return _read_16k_mono(media / "jfk.flac")


OFFSET = 42.0
JFK_ROWS = [
    # Two sentences in one row: whisperX splits them into two pieces.
    {
        "id": "3_0",
        "start": OFFSET + 0.3,
        "end": OFFSET + 7.6,
        "text": " And so, my fellow Americans. Ask not what your country can do for you.",
    },
    {
        "id": "3_1",
        "start": OFFSET + 7.6,
        "end": OFFSET + 10.9,
        "text": " ask what you can do for your country.",
    },
]


def test_import_is_cheap():
    """The window imports the pipeline at start-up; torch and whisperX must wait."""
    script = (
        "import sys, subtitle_studio.engines.whisperx_align\n"
        "heavy = [m for m in ('torch', 'whisperx', 'transformers', 'nltk') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_align_chunk_on_real_speech(aligner, jfk: np.ndarray):
    assert aligner.name == "whisperx"
    assert aligner.model_name
    chunk_end = OFFSET + len(jfk) / SAMPLE_RATE

    pieces = aligner.align_chunk(jfk, OFFSET, JFK_ROWS, lambda: None)

    assert [p.source_id for p in pieces] == ["3_0", "3_0", "3_1"]
    assert [p.text for p in pieces] == [
        "And so, my fellow Americans.",
        "Ask not what your country can do for you.",
        "ask what you can do for your country.",
    ]
    rows = {row["id"]: row for row in JFK_ROWS}
    for piece in pieces:
        row = rows[piece.source_id]
        # Global times, inside the chunk and inside the row whisperX was told about.
        assert OFFSET <= piece.start <= piece.end <= chunk_end
        assert row["start"] - 0.001 <= piece.start <= piece.end <= row["end"] + 0.001
        assert [w["word"] for w in piece.words] == piece.text.split()
        for word in piece.words:
            assert set(word) == {"word", "start", "end", "score"}
            assert piece.start <= word["start"] <= word["end"] <= piece.end
            for key in ("start", "end", "score"):
                assert type(word[key]) is float, (key, type(word[key]))
            assert round(word["start"], 3) == word["start"]
        assert type(piece.start) is float and type(piece.end) is float
    starts = [p.start for p in pieces]
    assert starts == sorted(starts)
    json.dumps([dataclasses.asdict(p) for p in pieces], allow_nan=False)


def test_row_that_cannot_be_aligned_keeps_its_times(aligner, jfk: np.ndarray):
    rows = [
        JFK_ROWS[1],
        # Far more letters than the 0.1 s of audio has frames: the trellis cannot fit.
        {"id": "4_0", "start": OFFSET + 10.8, "end": OFFSET + 10.9, "text": " a b c d e f g h"},
        # Nothing to align at all.
        {"id": "4_1", "start": OFFSET + 10.9, "end": OFFSET + 10.95, "text": "  "},
    ]

    pieces = aligner.align_chunk(jfk, OFFSET, rows, lambda: None)

    assert [p.source_id for p in pieces] == ["3_1", "4_0", "4_1"]
    stuck = pieces[1]
    assert (stuck.start, stuck.end, stuck.text) == (OFFSET + 10.8, OFFSET + 10.9, "a b c d e f g h")
    assert [w["word"] for w in stuck.words] == list("abcdefgh")
    assert stuck.words[0]["start"] == stuck.start and stuck.words[-1]["end"] == stuck.end
    widths = [round(w["end"] - w["start"], 3) for w in stuck.words]
    assert max(widths) - min(widths) <= 0.002  # spread evenly
    assert (pieces[2].text, pieces[2].words) == ("", [])


def test_cancel_between_rows_stops_at_once(aligner, jfk: np.ndarray):
    calls = 0

    def check() -> None:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise Cancelled()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        aligner.align_chunk(jfk, OFFSET, JFK_ROWS, check)
    assert time.monotonic() - started < 1.0
    assert calls == 2


def test_cancel_lands_inside_the_model(aligner, jfk: np.ndarray):
    """A long row on a big model takes seconds: cancel must not wait for the row."""
    calls = 0
    raised_at = 0.0

    def check() -> None:
        nonlocal calls, raised_at
        calls += 1
        if calls == 3:  # the chunk, the row, then the model's first layer
            raised_at = time.monotonic()
            raise Cancelled()

    with pytest.raises(Cancelled) as caught:
        aligner.align_chunk(jfk, OFFSET, JFK_ROWS, check)

    assert time.monotonic() - raised_at < 1.0
    assert calls == 3
    frames = [frame.filename for frame in traceback.extract_tb(caught.value.__traceback__)]
    assert any(f.endswith(os.path.join("whisperx", "alignment.py")) for f in frames)
    # Raised from within the wav2vec2 forward pass, not after the row was done.
    assert any(os.path.join("torch", "nn", "modules") in f for f in frames), frames
    # The aligner is still usable afterwards, without the old check.
    assert len(aligner.align_chunk(jfk, OFFSET, JFK_ROWS[1:], lambda: None)) == 1


def test_sentence_data_is_restored_instead_of_downloaded(
    tiny_align_model: Path,  # noqa: F811
    tmp_path: Path,
    jfk: np.ndarray,
    clean_nltk_path: list[str],
):
    from subtitle_studio.engines.whisperx_align import WhisperXAligner

    data_dir = tmp_path / "nltk"
    fresh = WhisperXAligner(str(tiny_align_model), "en", data_dir=data_dir)
    model = data_dir / "tokenizers" / "punkt_tab" / "english"
    # Someone wipes the data, NLTK's search path and its cache behind the aligner's back.
    for file in model.iterdir():
        file.unlink()
    clean_nltk_path.clear()
    nltk.data.clear_cache()

    pieces = fresh.align_chunk(jfk, OFFSET, JFK_ROWS, lambda: None)

    assert [p.source_id for p in pieces] == ["3_0", "3_0", "3_1"]
    assert {p.name for p in model.iterdir()} == MODEL_FILES


def test_sentence_splitter_is_loaded_once(aligner, jfk: np.ndarray):
    """whisperX asks NLTK for the splitter on every row; it must not re-read the files."""
    aligner.align_chunk(jfk, OFFSET, JFK_ROWS, lambda: None)

    first = nltk.data.load("tokenizers/punkt_tab/english.pickle")
    assert nltk.data.load("tokenizers/punkt_tab/english.pickle") is first
    assert first.tokenize(TWO_SENTENCES) == ["Mr. Smith went home.", "He slept."]


def test_missing_model_folder_is_a_model_error(tmp_path: Path):
    from subtitle_studio.engines.whisperx_align import WhisperXAligner

    missing = tmp_path / "no such model"
    with pytest.raises(ModelError) as caught:
        WhisperXAligner(str(missing), "en", data_dir=tmp_path / "nltk")
    message = str(caught.value)
    assert "no such model" in message and '"en"' in message and "does not exist" in message
    assert "\n" not in message


@pytest.mark.parametrize("content", ["empty", "garbage"])
def test_broken_model_folder_is_a_model_error(tmp_path: Path, content: str):
    from subtitle_studio.engines.whisperx_align import WhisperXAligner

    folder = tmp_path / "broken-model"
    folder.mkdir()
    if content == "garbage":
        (folder / "config.json").write_text("this is not a model")
        (folder / "preprocessor_config.json").write_text("{}")
        (folder / "model.safetensors").write_bytes(os.urandom(256))
    with pytest.raises(ModelError) as caught:
        WhisperXAligner(str(folder), "de", data_dir=tmp_path / "nltk")
    message = str(caught.value)
    assert "broken-model" in message and '"de"' in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("model_ref", "expected"),
    [
        ("facebook/wav2vec2-base-960h", "not in the local model cache"),
        # whisperX's own English default, a torchaudio download: refused, not fetched.
        ("WAV2VEC2_ASR_BASE_960H", "has not been downloaded"),
    ],
)
def test_model_not_on_disk_is_a_model_error_without_network(
    tmp_path: Path, model_ref: str, expected: str
):
    from subtitle_studio.engines.whisperx_align import WhisperXAligner

    empty_cache = tmp_path / "cache"
    empty_cache.mkdir()
    started = time.monotonic()
    with pytest.raises(ModelError) as caught:
        WhisperXAligner(model_ref, "en", data_dir=tmp_path / "nltk", cache_dir=empty_cache)
    message = str(caught.value)
    assert model_ref in message and '"en"' in message and expected in message
    assert "\n" not in message
    assert time.monotonic() - started < 30
    assert list(empty_cache.iterdir()) == []


def test_words_without_times_share_the_gap_between_their_neighbours():
    from subtitle_studio.engines.whisperx_align import _fill_times

    words = _fill_times(
        ["a", "b", "c", "d", "e"],
        [None, 1.0, None, None, None],
        [None, 1.2, None, None, 2.0],
        [None, 0.5, None, None, None],
        0.5,
        2.5,
    )

    assert [(w["start"], w["end"]) for w in words] == [
        (0.5, 1.0),  # from the piece's start to its neighbour
        (1.0, 1.2),
        (1.2, 1.6),  # an equal share of the gap
        (1.6, 2.0),
        (2.0, 2.0),  # only an end: used for both
    ]
    assert [w["score"] for w in words] == [0.0, 0.5, 0.0, 0.0, 0.0]
