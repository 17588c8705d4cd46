"""Decisions and targets of ``solve`` and ``sweep`` (METHOD §15).

A **decision** is a scenario path (``*`` allowed, as a §9 risk target) and a
mode: ``scale`` (every matched number × x), ``set`` (every matched number =
x) or ``shift`` (every matched date + x whole months).  It is applied with
the machinery of a Monte Carlo risk effect (:mod:`fcfinance.effects`):
a grid of decision values becomes arrays over paths at the matched fields,
so many decision values are one engine call.  Risks then act on the decided
scenario (a risk's ``scale`` multiplies the decided value).

A **measure** is what is estimated: a §8 metric (deterministic run), a §9
probability (``p_balanced``, ``p_npv_nonnegative``, ``p_ending_nonnegative``)
or a percentile ``METRIC:pNN`` (Monte Carlo).

Every evaluation of the model in ``solve`` and ``sweep`` goes through
:func:`_evaluate`, the one place that turns decided (and risked) parameters
into per-path metrics.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import kernel
from .effects import SHARES, Target
from .errors import Problem, ScenarioError
from .names import METRIC_BY_KEY
from .params import Record
from .scenario import Scenario, ScenarioSchema
from .scenario.fields import field_at, kind_of, unit_of
from .scenario.targets import compile_effects, get, resolve
from .timeline import Timeline, month_text

MODES = ("scale", "set", "shift")
"""Decision modes."""

PROBABILITIES = {"p_balanced": "net_balance", "p_npv_nonnegative": "npv",
                 "p_ending_nonnegative": "ending_balance"}
"""Each §9 probability and the metric whose non-negative share it is."""

PROBABILITY_NAMES = {"p_balanced": ("P(资金平衡)", "P(balanced)"),
                     "p_npv_nonnegative": ("P(净现值 ≥ 0)", "P(NPV ≥ 0)"),
                     "p_ending_nonnegative": ("P(期末资金余额 ≥ 0)", "P(ending balance ≥ 0)")}

BALANCE_PROBABILITY = 0.8
"""The probability at which a sweep chart draws its contour (P = 0.8)."""

SOURCE = "command line"
"""The 'file' named by problems with decisions and targets given as options."""


def _bad(path: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(SOURCE, None, path, message)])


# -- measures ---------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """What a solve or a sweep estimates.

    Attributes
    ----------
    text : str
        As written (``net_balance``, ``p_balanced``, ``net_balance:p10``).
    metric : str
        The §8 metric evaluated on each path.
    kind : {'deterministic', 'probability', 'percentile'}
    q : float or None
        The percentile (0–100) of a percentile measure.
    """

    text: str
    metric: str
    kind: str
    q: float | None = None

    @property
    def monte_carlo(self) -> bool:
        """Estimated from the sampled risks (probabilities and percentiles)."""
        return self.kind != "deterministic"

    @property
    def unit(self) -> str:
        """'probability' or the §8 unit of the metric ('万元', 'ratio', …)."""
        return "probability" if self.kind == "probability" else METRIC_BY_KEY[self.metric].unit

    def label(self, lang: str = "zh") -> str:
        """A display name: the metric's name, the probability, or 'P10 of …'."""
        from .report.labels import metric_name, tr

        if self.kind == "probability":
            return tr(lang, *PROBABILITY_NAMES[self.text])
        name = metric_name(self.metric, lang)
        if self.kind == "percentile":
            return tr(lang, f"{name} P{self.q:g}", f"{name}, P{self.q:g}")
        return name

    @property
    def balance_level(self) -> float | None:
        """Where the project balances on this measure: 0 for net balance, NPV and ending balance
        (and their percentiles), 1 for the balance ratio, :data:`BALANCE_PROBABILITY` for a probability."""
        if self.kind == "probability":
            return BALANCE_PROBABILITY
        if self.metric in ("net_balance", "npv", "ending_balance"):
            return 0.0
        if self.metric == "balance_ratio":
            return 1.0
        return None

    def estimate(self, per_path: np.ndarray) -> float:
        """The estimate from per-path values of :attr:`metric` (one value per path) [unit of the measure]."""
        values = np.asarray(per_path, dtype=float)
        if self.kind == "probability":
            return float(np.mean(values >= 0))
        if self.kind == "percentile":
            return float(np.percentile(values, self.q))
        return float(values[0])


def parse_measure(text: str) -> Measure:
    """A measure from its text (``net_balance``, ``p_balanced``, ``net_balance:p10``).

    Raises
    ------
    ScenarioError
        Naming what was given and what is accepted.
    """
    text = str(text).strip()
    if text in PROBABILITIES:
        return Measure(text, PROBABILITIES[text], "probability")
    name, sep, pct = text.partition(":")
    usable = [k for k in METRIC_BY_KEY if k != "peak_funding_period"]
    if name not in usable:
        raise _bad("--target/--metric", f"unknown metric {name!r}; expected one of: "
                   + ", ".join(usable + list(PROBABILITIES)) + ", or METRIC:pNN (e.g. net_balance:p10)")
    if not sep:
        return Measure(text, name, "deterministic")
    match = re.fullmatch(r"[pP](\d+(?:\.\d+)?)", pct)
    if not match or not 0 < float(match.group(1)) < 100:
        raise _bad("--target/--metric", f"{text!r}: a percentile is written METRIC:pNN with 0 < NN < 100, "
                   "e.g. net_balance:p10")
    if name == "irr":
        raise _bad("--target/--metric", f"{text!r}: percentiles of the IRR are not offered (it is undefined "
                   "on some paths); use a money metric")
    return Measure(text, name, "percentile", float(match.group(1)))


def parse_target(text: str) -> tuple[Measure, float]:
    """``METRIC=VALUE`` as a measure and a value (money in 万元, probabilities in [0, 1]).

    Raises
    ------
    ScenarioError
    """
    metric, sep, value = str(text).partition("=")
    if not sep:
        raise _bad("--target", f"{text!r}: expected METRIC=VALUE, e.g. net_balance=0 or p_balanced=0.8")
    measure = parse_measure(metric)
    try:
        number = float(value)
    except ValueError:
        raise _bad("--target", f"{text!r}: the value {value!r} is not a number") from None
    if not np.isfinite(number):
        raise _bad("--target", f"{text!r}: the value must be a finite number")
    if measure.kind == "probability" and not 0.0 <= number <= 1.0:
        raise _bad("--target", f"{text!r}: a probability target lies in [0, 1]; got {number}")
    return measure, number


# -- decisions --------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A decision on a scenario: every field matched by ``path`` changed by ``mode``.

    Attributes
    ----------
    path : str
        A §9 target pattern (``land.parcels.*.floor_price_yuan_m2``).
    mode : {'scale', 'set', 'shift'}
    locations : tuple of tuple
        The concrete fields matched (keys and list indices in the parameters).
    kinds : tuple of str
        Each field's kind ('number', 'date', 'months').
    unit : str or None
        The field's unit as declared (for ``set``), e.g. '元/m²'.
    """

    path: str
    mode: str
    locations: tuple[tuple[Any, ...], ...]
    kinds: tuple[str, ...]
    unit: str | None = None

    @property
    def value_unit(self) -> str:
        """Unit of a decision value x: a multiplier, months, or the field's unit."""
        if self.mode == "scale":
            return "×"
        if self.mode == "shift":
            return "months"
        return self.unit or ""

    def label(self, lang: str = "zh") -> str:
        """For axes and tables: the path and what x is."""
        from .report.labels import tr

        how = {"scale": tr(lang, "倍数", "multiplier"), "shift": tr(lang, "推迟月数", "months later"),
               "set": tr(lang, "取值", "value")}[self.mode]
        unit = f", {self.unit}" if self.mode == "set" and self.unit else ""
        return f"{self.path}（{how}{unit}）" if lang == "zh" else f"{self.path} ({how}{unit})"


def parse_decision(scenario: Scenario, path: str, mode: str = "scale") -> Decision:
    """Resolve a decision on a scenario.

    Raises
    ------
    ScenarioError
        A mode that is not scale, set or shift; a path that matches nothing;
        ``scale``/``set`` on a date or ``shift`` on a number.
    """
    if mode not in MODES:
        raise _bad(path, f"--by {mode!r}: expected one of {', '.join(MODES)}")
    params = scenario.params()
    locs = resolve(params, path)
    if not locs:
        raise _bad(path, f"the decision path matches no field of {scenario.path} (paths are dotted from "
                   "the document root, list items by id, * for every item; see `fcfinance schema`)")
    kinds, units = [], set()
    for loc in locs:
        info = field_at(ScenarioSchema, loc)
        kind = kind_of(info)
        if kind in ("int", "text", "id", "list", "bool") or not isinstance(get(params, loc), (int, float)):
            raise _bad(path, f"{_dotted(params, loc)} is not a number or a date; a decision changes "
                       "numbers (scale, set) or dates and durations (shift)")
        if mode == "shift" and kind == "number":
            raise _bad(path, f"--by shift moves dates and durations by whole months; "
                       f"{_dotted(params, loc)} is a number (use scale or set)")
        if mode in ("scale", "set") and kind == "date":
            raise _bad(path, f"--by {mode} changes numbers; {_dotted(params, loc)} is a date (use shift)")
        kinds.append(kind)
        units.add(unit_of(info))
    unit = units.pop() if len(units) == 1 else None
    return Decision(path, mode, tuple(tuple(loc) for loc in locs), tuple(kinds), unit)


def decision_targets(params: Record, decisions: list[Decision]) -> list[Target]:
    """The effect targets of decisions: column ``j`` of the decision values acts as decision ``j``.

    Two decisions on one field combine as §9 effects do (set, then scale, then shift).
    """
    effect = {"set": "set", "scale": "scale", "shift": "shift_months"}
    return compile_effects(params, [(effect[d.mode], d.path, col) for col, d in enumerate(decisions)])


def _dotted(params: Any, loc: list[Any] | tuple) -> str:
    """A location as a dotted path with list items by id (or index when they have none)."""
    parts, node = [], params
    for key in loc:
        node = node[key]
        if isinstance(key, int):
            parts.append(str(node.get("id")) if isinstance(node, Mapping) and node.get("id") else str(key))
        else:
            parts.append(key)
    return ".".join(parts)


# -- the one evaluation -------------------------------------------------------------


def _evaluate(base_params: dict[str, Any], timeline: Timeline, decision_targets: list[Target],
              decision_values: np.ndarray, risk_targets: list[Target] | None = None,
              risk_values: np.ndarray | None = None, with_irr: bool = False) -> dict[str, np.ndarray]:
    """Per-path metrics of the model with decisions (then risks) applied.

    The only place where ``solve`` and ``sweep`` evaluate the model: one
    engine call over all rows.

    Parameters
    ----------
    base_params : Record
        Base-case parameters (:meth:`Scenario.params`); not modified.
    timeline : Timeline
    decision_targets : list of Target
        From :func:`decision_targets`.
    decision_values : ndarray (n, k)
        Each row a path, column j the value of decision j on that path.
    risk_targets : list of Target, optional
        From :func:`fcfinance.scenario.targets.compile_targets`.
    risk_values : ndarray (n, d), optional
        The sampled risks of each row (common random numbers: the same rows
        for every decision value).
    with_irr : bool
        Also the IRR (costly).

    Returns
    -------
    dict of ndarray (n,)
        Every §8 metric (money in 万元).
    """
    params, n = kernel.apply(base_params, decision_targets, decision_values)
    _, ev = kernel.evaluate(params, timeline, risk_targets or (), risk_values if risk_targets else None,
                            n_paths=n, with_irr=with_irr)
    return {key: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for key, v in ev.metrics.items()}


# -- validation and variant files ---------------------------------------------------


def decided_changes(scenario: Scenario, decisions: list[Decision], xs: list[float]) -> dict[str, Any]:
    """The inputs of the scenario changed by decisions at values ``xs``, as written in a file.

    Dotted paths with list items by id (``Scenario.variant`` form).  A field
    inside a list whose items have no id (bonus tiers) changes the whole list;
    a relocation share changes all three shares (the others rescaled in
    proportion, as under §9).  Values are not clipped: an impossible value
    stays so that validation names it.
    """
    params = scenario.params()
    new = {}
    for d, x in zip(decisions, xs):
        for loc in d.locations:
            old = new.get(loc, get(params, list(loc)))
            if d.mode == "scale":
                value = old * x
            elif d.mode == "set":
                value = x
            else:
                value = old + int(np.sign(x) * np.floor(abs(x) + 0.5))
            new[loc] = value
    changes: dict[str, Any] = {}
    lists: dict[str, tuple[list[Any], list[Any]]] = {}
    data = scenario.model.model_dump(mode="json", by_alias=True, exclude_none=True)
    for loc, value in new.items():
        kind = kind_of(field_at(ScenarioSchema, list(loc)))
        written = month_text(int(value)) if kind == "date" else (int(value) if kind == "months" else
                                                                      _number(value))
        if tuple(loc[:2]) == SHARES:
            shares = dict(changes.get("relocation.shares") or get(params, list(SHARES)))
            old = shares[loc[2]]
            rest = 1.0 - old
            for mode in shares:
                if mode != loc[2]:
                    shares[mode] = _number(shares[mode] * ((1.0 - value) / rest if rest > 0 else 0.0))
            shares[loc[2]] = written
            changes["relocation.shares"] = shares
            continue
        # the first list on the way whose items have no id: the whole list changes
        node, cut = params, None
        for i, key in enumerate(loc):
            node = node[key]
            if isinstance(key, int) and not (isinstance(node, Mapping) and node.get("id")):
                cut = i
                break
        if cut is None:
            changes[_dotted(params, loc)] = written
            continue
        list_path = _dotted(params, loc[:cut])
        items = lists.setdefault(list_path, (list(loc[:cut]), [dict(x) for x in get(data, list(loc[:cut]))]))[1]
        target = items[loc[cut]]
        for key in loc[cut + 1:-1]:
            target = target[key]
        target[loc[-1]] = written
    for list_path, (_, items) in lists.items():
        changes[list_path] = items
    return changes


def _number(value: float) -> float | int:
    """A number for a file: integral values as int, others as the float itself (shortest exact repr)."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def validate_decisions(scenario: Scenario, decisions: list[Decision], xs: list[float]) -> Scenario:
    """The scenario with decisions applied at ``xs``, validated as a file would be.

    Raises
    ------
    ScenarioError
        If the decided scenario is not valid: each problem names the
        decision value, the field and what was expected.
    """
    changes = decided_changes(scenario, decisions, xs)
    try:
        return scenario.variant(changes)
    except ScenarioError as exc:
        what = ", ".join(f"--by {d.mode} {d.path} at x = {x:g}" for d, x in zip(decisions, xs))
        problems = [Problem(p.file, p.line, p.path, f"{p.message} (with the decision {what})")
                    for p in exc.problems]
        raise ScenarioError(problems, exc.file) from None


def variant_text(scenario: Scenario, changes: dict[str, Any], out: Path, comment: str) -> str:
    """A review variant that ``extends`` the scenario's file and holds only ``changes``.

    Parameters
    ----------
    scenario : Scenario
        Loaded from a file (its path is the one extended).
    changes : dict
        Dotted paths to values (:func:`decided_changes`).
    out : Path
        Where the variant will be written (for the relative ``extends``).
    comment : str
        How the value was found; written as comment lines at the top.
    """
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from .scenario import _nest

    base = Path(scenario.path).resolve()
    rel = os.path.relpath(base, out.resolve().parent)
    doc = CommentedMap()
    doc["extends"] = Path(rel).as_posix()
    doc.update(_nest(scenario.document, changes))
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.default_flow_style = None
    buf = io.StringIO()
    yaml.dump(_plain(doc), buf)
    head = "".join(f"# {line}\n" if line else "#\n" for line in comment.splitlines())
    return head + buf.getvalue()


def _plain(node: Any) -> Any:
    """Nested dicts and lists for ruamel (no SourceDicts), key order kept."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, dict):
        out = CommentedMap()
        for k, v in node.items():
            out[k] = _plain(v)
        return out
    if isinstance(node, list):
        seq = CommentedSeq(_plain(v) for v in node)
        if all(not isinstance(v, (dict, list)) for v in node) or all(
                isinstance(v, dict) and all(not isinstance(w, (dict, list)) for w in v.values()) for v in node):
            for item in seq:
                if isinstance(item, CommentedMap):
                    item.fa.set_flow_style()
        return seq
    return node


@contextmanager
def atomic_target(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffix) to write to; on success it is fsynced and
    renamed over ``path`` (never written through a symlink: a symlink at ``path`` is replaced).
    On failure nothing is left behind."""
    path = Path(path)
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=folder)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    try:  # the rename itself is durable once the folder is synced
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def write_atomic(path: str | Path, text: str) -> Path:
    """Write a UTF-8 text file atomically (:func:`atomic_target`)."""
    with atomic_target(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)
