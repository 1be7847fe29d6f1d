"""Subtitle Studio: turn videos into subtitles and correct them while the machine works."""

__version__ = "0.1.0"
