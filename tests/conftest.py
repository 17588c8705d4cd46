"""Shared fixtures: paths to the reference case and the project folders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).resolve().parent / "reference"
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture
def ref_a_path() -> Path:
    """The copy of ../shared/reference/ref-a.yaml kept in tests/ (byte-identical)."""
    return REFERENCE / "ref-a.yaml"
