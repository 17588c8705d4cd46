"""Mutation fuzzing of the bundled scenario files: every mutant runs with finite results or is
rejected with a :class:`ScenarioError` naming a file and a line; never another exception.

A seeded mutator edits one bundled file (the scenarios extend ``../models/…``,
so a copy of both folders is used) a few times per case: numbers replaced by
hostile values (0, −1, 1e308, .inf, .nan, 1e19, text, lists), lines deleted,
duplicated, swapped or re-indented, characters inserted (controls, full-width
digits, anchors, aliases, merge keys, tags), the file cut short.  Each mutant
is loaded, run, formatted with ``fmt`` (which must keep every comment and
anchor, or leave the file unchanged), and simulated on a few paths when it
has risks.

The default run has :data:`DEFAULT_CASES` cases (a few seconds); set
``FCFINANCE_FUZZ=5000`` for more, and ``FCFINANCE_FUZZ_SEED`` for other mutants.
"""

from __future__ import annotations

import math
import os
import random
import re
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

import fcfinance as fc
from fcfinance.errors import ScenarioError, UsageError
from fcfinance.review.fmt import FormatError, format_file, format_text, marks
from tests.conftest import REFERENCE, ROOT

DEFAULT_CASES = 250
CASES = int(os.environ.get("FCFINANCE_FUZZ", DEFAULT_CASES))
SEED = int(os.environ.get("FCFINANCE_FUZZ_SEED", 20261202))
FMT_EVERY = int(os.environ.get("FCFINANCE_FUZZ_FMT_EVERY", 4))
"""``fmt`` is tried on every FMT_EVERY-th case (it costs two loads)."""

NUMBER = re.compile(r"(?<![\w.-])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w-])")
VALUES = ["0", "-1", "1e308", "-1e308", ".inf", "-.inf", ".nan", "1e19", "10000000000000000000", "x", "true",
          "null", "[]", "{}", "[1, 2]", "0.5", "1200", "2.5", "1e-300", "'12'", "２０２４", "2024-03-01"]
INSERTS = ["\x00", "\x07", "\x1b", "\u0085", "\ufeff", "１", "&a ", "*a", "<<: *a", "!!omap ", "!!python/object/apply:os.system ",
           "!foo ", "{", "[", "]", "}", ": ", "- ", "#", "'", '"', "|", "\t", "? ", "*", "&", "%"]


def _sources() -> list[Path]:
    return sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "models").glob("*.yaml")) \
        + [REFERENCE / "ref-a.yaml"]


def mutate(text: str, rng: random.Random) -> str:
    """``text`` with one to three random edits."""
    for _ in range(rng.randint(1, 3)):
        lines = text.split("\n")
        op = rng.randrange(8)
        k = rng.randrange(len(lines))
        if op <= 2:  # a number replaced
            spots = list(NUMBER.finditer(text))
            if spots:
                m = rng.choice(spots)
                text = text[:m.start()] + rng.choice(VALUES) + text[m.end():]
                continue
        if op == 3:
            del lines[k]
        elif op == 4:
            lines.insert(k, lines[rng.randrange(len(lines))])
        elif op == 5:
            j = rng.randrange(len(lines))
            lines[k], lines[j] = lines[j], lines[k]
        elif op == 6:
            lines[k] = " " * rng.choice([1, 2, 4]) + lines[k] if rng.random() < 0.5 else lines[k].lstrip()
        else:
            pos = rng.randrange(len(lines[k]) + 1)
            lines[k] = lines[k][:pos] + rng.choice(INSERTS) + lines[k][pos:]
        text = "\n".join(lines)
    if rng.random() < 0.05:
        text = text[:rng.randrange(len(text))]
    return text


def _finite(result) -> None:
    for key, value in result.metrics.items():
        if isinstance(value, float):
            assert not math.isinf(value), (key, value)
    assert np.isfinite(result.cashflows.to_numpy(dtype=float)).all()


def check_case(path: Path, with_fmt: bool = True) -> str:
    """Load, run and simulate one mutant; the outcome ('ok' or 'rejected'), or raise."""
    try:
        scenario = fc.load(path)
    except ScenarioError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file, str(exc)
            assert p.line is not None or "[fields:" in p.message or p.path, str(exc)
            for internal in ("ScalarNode", "TaggedScalar", "CommentedMap", "CommentedSeq", "Traceback"):
                assert internal not in p.message, str(exc)
        return "rejected"
    _finite(fc.run(scenario))
    if with_fmt:
        _formats_without_loss(path)
    if scenario.model.risks:
        try:
            sim = fc.simulate(scenario, paths=16, seed=1, sampling="random")
        except UsageError:  # a horizon too long for this machine's memory at 16 paths: not reachable
            raise
        for key, values in sim.path_metrics.items():
            if key != "irr_code":
                assert not np.isinf(values).any(), key
        assert np.isfinite(sim.cumulative).all()
    return "ok"


def _formats_without_loss(path: Path) -> None:
    """``fmt`` on a valid mutant: rewritten keeping every comment, anchor and alias, or left unchanged."""
    before = path.read_text(encoding="utf-8")
    try:
        format_file(path)
    except FormatError:
        assert path.read_text(encoding="utf-8") == before
        return
    after = path.read_text(encoding="utf-8")
    assert marks(after.split("\n")) == marks(before.replace("\r\n", "\n").split("\n"))
    assert format_text(after) == after


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for folder in ("scenarios", "models"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "reference").mkdir()
    shutil.copy(REFERENCE / "ref-a.yaml", root / "reference" / "ref-a.yaml")
    return root


def test_mutants_run_or_are_rejected_clearly(project: Path) -> None:
    rng = random.Random(SEED)
    sources = _sources()
    outcomes = {"ok": 0, "rejected": 0}
    for case in range(CASES):
        source = rng.choice(sources)
        folder = project / ("reference" if source.parent == REFERENCE else source.parent.name)
        target = folder / source.name
        original = source.read_text(encoding="utf-8")
        text = mutate(original, rng)
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                outcomes[check_case(target, with_fmt=case % FMT_EVERY == 0)] += 1
        except BaseException as exc:
            raise AssertionError(f"case {case} (seed {SEED}, {source.name}): {type(exc).__name__}: {exc}\n"
                                 f"--- mutant ---\n{text}") from exc
        finally:
            target.write_text(original, encoding="utf-8")
    assert outcomes["rejected"] > 0 and outcomes["ok"] > 0, outcomes
