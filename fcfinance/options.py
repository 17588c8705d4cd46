"""Argument types for the command line: every numeric option checked, with a clear message.

``argparse`` turns the :class:`argparse.ArgumentTypeError` these raise into
``fcfinance <command>: error: argument --paths: …`` and exit status 2.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

MAX_INT = 2**63 - 1
"""Largest integer option (numpy's int64)."""


def integer(minimum: int, maximum: int = MAX_INT, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number in [minimum, maximum]."""
    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not minimum <= value <= maximum:
            bound = f"at least {minimum:,}" if maximum == MAX_INT else f"between {minimum:,} and {maximum:,}"
            raise argparse.ArgumentTypeError(f"expected {bound}{what}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def positive_number(what: str = "") -> Callable[[str], float]:
    """An argparse type: a finite number above 0."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"expected a finite number above 0{what}, got {text}")
        return value

    parse.__name__ = "number"
    return parse
