"""Core text in two languages, chosen from the locale without Qt.

The core carries English and Simplified Chinese for everything it can show (layer
descriptions, presets, datasets, problems) so the CLI and the UI say the same thing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

Text = dict[str, str]
LANGUAGES = ("en", "zh")


def lang() -> str:
    """The user's language: NNSTUDIO_LANG first, then the usual locale variables."""
    forced = os.environ.get("NNSTUDIO_LANG", "")
    if forced:
        return "zh" if forced.lower().startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def text(t: Text | str, language: str | None = None) -> str:
    """Pick one language from a bilingual text, falling back to English."""
    if isinstance(t, str):
        return t
    return t.get(language or lang()) or t.get("en", "")


def formatter(table: Mapping[str, Text]) -> Callable[..., str]:
    """`_msg = formatter(_MESSAGES)`: `_msg(key, **values)` is that entry in the
    user's language (chosen when called), filled in with `values`."""

    def message(key: str, **values: Any) -> str:
        return text(table[key]).format(**values)

    return message


SHOWN_CHARS = 40  # a value quoted inside a one-line message: enough to recognise it


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A user's value as a message quotes it: repr, cut short, and never raising
    (a 10^5000 int has no str, a list nested 900 deep has no repr)."""
    try:
        words = repr(value)
    except (ValueError, RecursionError):
        if isinstance(value, int):
            words = f"~10^{int(value.bit_length() * 0.30103)}"
        else:
            words = f"<{type(value).__name__}>"
    return words if len(words) <= limit else words[: limit - 1] + "…"
