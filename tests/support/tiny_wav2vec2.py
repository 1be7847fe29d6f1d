"""A tiny, randomly initialised wav2vec2 CTC model for running whisperX's real alignment offline.

The Hugging Face hub is unreachable in tests, and a real alignment model is hundreds of
megabytes. whisperX's alignment only needs *a* ``Wav2Vec2ForCTC`` with a character
vocabulary: its emissions are random here, but the code path — preprocessing, sentence
splitting, the trellis, backtracking, the pandas bookkeeping, and the time scale — is the
real one. The feature extractor keeps wav2vec2-base's convolution kernels and strides, so
one output frame is 20 ms as with the real English models, and times come out right.

The main conftest imports the session fixture:

    from tests.support.tiny_wav2vec2 import tiny_align_model  # noqa: F401
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SEED = 1234
SAMPLE_RATE = 16_000
# The character vocabulary of facebook/wav2vec2-base-960h, in its order: blank/pad
# first, "|" for the space between words, then upper-case letters by frequency.
VOCAB = [
    "<pad>",
    "<s>",
    "</s>",
    "<unk>",
    "|",
    *"ETAONIHSRDLUMWCFGYPBVK'XJQZ",
]


#: The tests' sizes: wav2vec2-base's kernels and strides (product 320 samples = 20 ms
#: per frame), with far fewer channels and layers.
TINY_SIZES: dict[str, Any] = {
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 64,
    "conv_dim": (32,) * 7,
    "num_conv_pos_embeddings": 16,
    "num_conv_pos_embedding_groups": 4,
}
#: facebook/wav2vec2-base-960h's sizes: random weights, but the compute of the real model
#: (the benchmark uses these).
BASE_960H_SIZES: dict[str, Any] = {
    "hidden_size": 768,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "conv_dim": (512,) * 7,
    "conv_bias": False,
    "num_conv_pos_embeddings": 128,
    "num_conv_pos_embedding_groups": 16,
}


def build_tiny_wav2vec2(folder: Path, sizes: dict[str, Any] = TINY_SIZES) -> Path:
    """Write a randomly initialised ``Wav2Vec2ForCTC`` and its ``Wav2Vec2Processor`` into
    ``folder`` (tiny by default; ``BASE_960H_SIZES`` for a real model's compute).

    The output is what ``save_pretrained`` writes, so ``whisperx.load_align_model``
    loads it by folder name exactly as it would a downloaded model. The same seed gives
    the same weights, so alignments in tests are reproducible.
    """
    import torch
    from transformers import (
        Wav2Vec2Config,
        Wav2Vec2CTCTokenizer,
        Wav2Vec2FeatureExtractor,
        Wav2Vec2ForCTC,
        Wav2Vec2Processor,
    )

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab_file = folder / "vocab.json"
    vocab_file.write_text(json.dumps({token: i for i, token in enumerate(VOCAB)}), "utf-8")
    tokenizer = Wav2Vec2CTCTokenizer(
        str(vocab_file),
        unk_token="<unk>",
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        word_delimiter_token="|",
    )
    feature_extractor = Wav2Vec2FeatureExtractor(
        feature_size=1,
        sampling_rate=SAMPLE_RATE,
        padding_value=0.0,
        do_normalize=True,
        return_attention_mask=False,
    )
    config = Wav2Vec2Config(
        vocab_size=len(VOCAB),
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
        conv_kernel=(10, 3, 3, 3, 3, 2, 2),
        conv_stride=(5, 2, 2, 2, 2, 2, 2),
        feat_extract_norm="group",
        ctc_loss_reduction="mean",
        **sizes,
    )
    torch.manual_seed(SEED)
    model = Wav2Vec2ForCTC(config)
    model.eval()
    model.save_pretrained(folder)
    Wav2Vec2Processor(feature_extractor=feature_extractor, tokenizer=tokenizer).save_pretrained(
        folder
    )
    return folder


@pytest.fixture(scope="session")
def tiny_align_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the tiny wav2vec2 model, built once per test run."""
    return build_tiny_wav2vec2(tmp_path_factory.mktemp("tiny-wav2vec2"))
