"""Plain-text tables that line up Chinese (double-width) and Latin text in a terminal."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """Display width of ``text``: 2 columns for wide (CJK) characters, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``size`` display columns."""
    fill = " " * max(size - width(text), 0)
    return fill + text if right else text + fill


def render(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """A table with one space-separated column per field, numbers right-aligned.

    Parameters
    ----------
    header : sequence of str
    rows : sequence of sequences of str
    right : sequence of bool, optional
        Right-align each column (default: every column but the first).
    """
    right = right if right is not None else [False] + [True] * (len(header) - 1)
    sizes = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for r in [header, *rows]:
        out.append("  ".join(pad(str(c), s, a) for c, s, a in zip(r, sizes, right)).rstrip())
    out.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(out)
