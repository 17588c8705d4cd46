"""Command-line options shared by every command: ``--lang`` for messages, ``--strict`` for warnings.

``--lang zh|en`` (or the environment variable ``FCFINANCE_LANG``) chooses
the language of validation errors and plausibility warnings; ``--strict``
turns plausibility warnings (:mod:`fcfinance.scenario.plausibility`) into
errors, exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .errors import ScenarioError

LANGS = ("zh", "en")
ENV = "FCFINANCE_LANG"


def message_lang(args: argparse.Namespace | None = None) -> str:
    """Language of messages: ``--lang``, else ``FCFINANCE_LANG``, else English."""
    chosen = getattr(args, "lang", None) if args is not None else None
    if chosen in LANGS:
        return chosen
    env = os.environ.get(ENV, "").strip().lower()
    return env if env in LANGS else "en"


def add_lang_option(p: argparse.ArgumentParser) -> None:
    """``--lang`` on a subcommand that has none (``report`` has its own, for the pack)."""
    if "--lang" not in p._option_string_actions:
        p.add_argument("--lang", choices=LANGS, default=None,
                       help=f"language of error messages and warnings (default: ${ENV}, else en)")


def add_strict_option(p: argparse.ArgumentParser) -> None:
    """``--strict``: plausibility warnings become errors (exit status 2)."""
    p.add_argument("--strict", action="store_true",
                   help="treat plausibility warnings (likely unit slips) as errors")


def checked_warnings(scenario: Any, args: argparse.Namespace, *, show: bool = True) -> list[dict[str, Any]]:
    """Apply ``--strict`` and show a scenario's plausibility warnings.

    Parameters
    ----------
    scenario : Scenario
    args : Namespace
        With ``strict`` and ``lang``.
    show : bool
        Print the warnings on stderr (text output; the JSON lists them instead).

    Returns
    -------
    list of dict
        The warnings' JSON form, for a ``warnings`` key.

    Raises
    ------
    ScenarioError
        Under ``--strict`` when there are warnings.
    """
    lang = message_lang(args)
    warnings = list(scenario.warnings)
    if warnings and getattr(args, "strict", False):
        raise ScenarioError([w.to_problem(lang) for w in warnings], scenario.path)
    if show:
        label = "警告" if lang == "zh" else "warning"
        for w in warnings:
            print(f"{label}: {w.to_problem(lang)}", file=sys.stderr)
    return [w.to_dict(lang) for w in warnings]
