"""Word error rate with the normalisation speech tests need (case, punctuation, numbers)."""

from __future__ import annotations

import re

import jiwer

_NUMBERS = {"1455": "fourteen fifty five", "42": "forty two"}


def normalise(text: str) -> str:
    text = text.lower().replace("-", " ")
    for digits, words in _NUMBERS.items():
        text = text.replace(digits, words)
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def word_error_rate(reference: str, hypothesis: str) -> float:
    return float(jiwer.wer(normalise(reference), normalise(hypothesis)))


def reference_transcript(txt_path) -> str:
    """The ``REFERENCE TRANSCRIPT:`` section of a ``../shared/media`` description file."""
    text = txt_path.read_text(encoding="utf-8")
    body = text.split("REFERENCE TRANSCRIPT:", 1)[1]
    body = body.split("(transcript note", 1)[0]
    return " ".join(body.split())
