"""The models Subtitle Studio knows how to get: what each is, where it comes from, how big.

Transcription models are faster-whisper conversions on the Hugging Face Hub. Alignment
models follow whisperX's own defaults, one per language: most are Hub repositories,
a few (English, French, German, Spanish, Italian) are torchaudio checkpoints served
from download.pytorch.org. The table of defaults is read from whisperX by the engines
and handed in, so this module stays free of heavy imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatch

from subtitle_studio.errors import Message

WHISPER = "whisper"
ALIGN = "align"
HUB = "hub"
TORCHAUDIO = "torchaudio"
#: Where torchaudio's checkpoints are published; whisperX fetches them from here too.
TORCHAUDIO_BASE_URL = "https://download.pytorch.org/torchaudio/models/"

BUNDLED_MODEL = "tiny.en"

#: Files of a faster-whisper repository that a model needs (faster-whisper's own list).
WHISPER_PATTERNS = (
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
)
#: Files of a wav2vec2 Hub repository that whisperX's aligner loads; weights in one format.
ALIGN_PATTERNS = ("*.json", "vocab.txt", "model.safetensors", "pytorch_model.bin")
_ALIGN_WEIGHTS = ("model.safetensors", "pytorch_model.bin")

_MB = 1_000_000


@dataclass(frozen=True)
class CatalogEntry:
    """One model the manager can download, import, verify and delete."""

    model_id: str  # what users type: "small.en", "align-fr"
    kind: str  # WHISPER or ALIGN
    source: str  # HUB or TORCHAUDIO
    repo: str  # Hub repository id, or torchaudio bundle name
    approx_bytes: int | None  # None: unknown until the download asks the server
    languages: tuple[str, ...]  # empty: multilingual (Whisper's 99 languages)
    #: What the model is good for (a ``Message``, shown translated).
    note: str = ""
    checkpoint: str = ""  # torchaudio only: the checkpoint's file name

    @property
    def folder_parts(self) -> tuple[str, str]:
        """The model's folder under ``<home>/models``: ``whisper/<name>``, ``align/<lang>``."""
        if self.kind == WHISPER:
            return (WHISPER, self.model_id)
        return (ALIGN, self.languages[0])

    @property
    def language_label(self) -> str:
        return ", ".join(self.languages) if self.languages else "99 languages"

    def wants(self, filename: str, all_files: list[str]) -> bool:
        """Whether ``filename`` of the repository belongs to this model's download."""
        if self.source == TORCHAUDIO:
            return filename == self.checkpoint
        patterns = WHISPER_PATTERNS if self.kind == WHISPER else ALIGN_PATTERNS
        if "/" in filename or not any(fnmatch(filename, p) for p in patterns):
            return False
        # One copy of the weights is enough.
        return not (filename == "pytorch_model.bin" and "model.safetensors" in all_files)


def _whisper(
    name: str, repo: str, megabytes: int, note: str, *, english: bool = False
) -> CatalogEntry:
    return CatalogEntry(name, WHISPER, HUB, repo, megabytes * _MB, ("en",) if english else (), note)


#: faster-whisper models, best first (the order "auto" prefers); sizes are model.bin's.
WHISPER_CATALOG: tuple[CatalogEntry, ...] = (
    _whisper(
        "large-v3", "Systran/faster-whisper-large-v3", 3087, Message("most accurate, slow on CPU")
    ),
    _whisper(
        "large-v2", "Systran/faster-whisper-large-v2", 3087, Message("very accurate, slow on CPU")
    ),
    _whisper(
        "large-v3-turbo",
        "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
        1618,
        Message("near large-v3 accuracy, several times faster"),
    ),
    _whisper(
        "distil-large-v3",
        "Systran/faster-distil-whisper-large-v3",
        1512,
        Message("fast; English is its strength"),
    ),
    _whisper(
        "medium.en",
        "Systran/faster-whisper-medium.en",
        1528,
        Message("accurate English"),
        english=True,
    ),
    _whisper("medium", "Systran/faster-whisper-medium", 1528, Message("accurate")),
    _whisper(
        "small.en", "Systran/faster-whisper-small.en", 484, Message("good English"), english=True
    ),
    _whisper(
        "small", "Systran/faster-whisper-small", 484, Message("good balance of speed and accuracy")
    ),
    _whisper(
        "base.en", "Systran/faster-whisper-base.en", 145, Message("fast English"), english=True
    ),
    _whisper("base", "Systran/faster-whisper-base", 145, Message("fast")),
    _whisper(
        "tiny.en",
        "Systran/faster-whisper-tiny.en",
        75,
        Message("bundled with the application"),
        english=True,
    ),
    _whisper("tiny", "Systran/faster-whisper-tiny", 75, Message("fastest, least accurate")),
)

#: Approximate checkpoint sizes of whisperX's torchaudio aligners.
_TORCHAUDIO_CHECKPOINTS = {
    "WAV2VEC2_ASR_BASE_960H": ("wav2vec2_fairseq_base_ls960_asr_ls960.pth", 378 * _MB),
    "VOXPOPULI_ASR_BASE_10K_FR": ("wav2vec2_voxpopuli_base_10k_asr_fr.pt", 378 * _MB),
    "VOXPOPULI_ASR_BASE_10K_DE": ("wav2vec2_voxpopuli_base_10k_asr_de.pt", 378 * _MB),
    "VOXPOPULI_ASR_BASE_10K_ES": ("wav2vec2_voxpopuli_base_10k_asr_es.pt", 378 * _MB),
    "VOXPOPULI_ASR_BASE_10K_IT": ("wav2vec2_voxpopuli_base_10k_asr_it.pt", 378 * _MB),
}


def align_model_id(language: str) -> str:
    return f"align-{language}"


def torchaudio_checkpoint(bundle: str) -> str:
    """The checkpoint file name of a torchaudio bundle whisperX uses ("" if unknown)."""
    return _TORCHAUDIO_CHECKPOINTS.get(bundle, ("", 0))[0]


def build_catalog(align_defaults: Mapping[str, tuple[str, str]]) -> tuple[CatalogEntry, ...]:
    """All known models: the faster-whisper list, then one aligner per language.

    ``align_defaults`` is whisperX's table ``{language: (kind, name)}`` with kind
    ``"huggingface"`` or ``"torchaudio"``; a torchaudio bundle whose checkpoint file
    is unknown is left out rather than guessed.
    """
    aligners: list[CatalogEntry] = []
    for language in sorted(align_defaults):
        kind, name = align_defaults[language]
        if kind == "torchaudio":
            checkpoint, size = _TORCHAUDIO_CHECKPOINTS.get(name, ("", 0))
            if not checkpoint:
                continue
            aligners.append(
                CatalogEntry(
                    align_model_id(language),
                    ALIGN,
                    TORCHAUDIO,
                    name,
                    size,
                    (language,),
                    Message("whisperX default (torchaudio)"),
                    checkpoint,
                )
            )
        else:
            aligners.append(
                CatalogEntry(
                    align_model_id(language),
                    ALIGN,
                    HUB,
                    name,
                    None,
                    (language,),
                    Message("whisperX default"),
                )
            )
    return WHISPER_CATALOG + tuple(aligners)


def find_entry(catalog: tuple[CatalogEntry, ...], model_id: str) -> CatalogEntry | None:
    for entry in catalog:
        if entry.model_id == model_id:
            return entry
    return None


def required_local_files(entry: CatalogEntry, names: list[str]) -> list[str]:
    """What a folder of ``entry``'s kind must hold to be usable; missing names returned.

    Used to validate an imported folder, where there is no download manifest to go by.
    """
    present = set(names)
    if entry.kind == WHISPER:
        missing = [n for n in ("model.bin", "config.json", "tokenizer.json") if n not in present]
        if not any(n.startswith("vocabulary.") for n in present):
            missing.append("vocabulary.txt or vocabulary.json")
        return missing
    if entry.source == TORCHAUDIO:
        return [] if entry.checkpoint in present else [entry.checkpoint]
    missing = [n for n in ("config.json", "preprocessor_config.json") if n not in present]
    if not any(w in present for w in _ALIGN_WEIGHTS):
        missing.append("model.safetensors or pytorch_model.bin")
    if "vocab.json" not in present:
        missing.append("vocab.json")
    return missing
