"""Portfolio files: reading, validation, the projects they name (METHOD §14).

A portfolio is validated like a scenario, and every problem is named by file,
line and field: the portfolio's own fields, the platform's bonds (checked as
a scenario's, against the portfolio's timeline), each project file (its own
problems at its own file and line), duplicate project ids, a project whose
timeline leaves the portfolio's (naming the first month outside), and the
platform's risks and correlations.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import ValidationError

from ..errors import Problem, ScenarioError
from ..params import Record
from ..scenario import Scenario, load, schema_problems, validate_document
from ..scenario.source import ROOT_ENV, YAML_SUFFIXES, SourceDict, locate, project_root, resolve
from ..timeline import Timeline, month_text
from .schema import PortfolioSchema, risk_ids, split_target

PLATFORM_KEYS = ("fcfinance", "name", "timeline", "financing")
"""Keys of a portfolio file that make up the platform's own scenario (its grid and bonds)."""


@dataclass
class Portfolio:
    """A validated portfolio: the platform's settings and its loaded projects.

    Attributes
    ----------
    path : str
        The portfolio file.
    files : list of str
        Every file read for the portfolio itself (through ``extends``).
    model : PortfolioSchema
        The validated portfolio fields.
    document : SourceDict
        The merged document, with the origin of every value.
    projects : dict of Scenario
        The projects by id, in file order.
    platform : Scenario
        The platform's own timeline and financing (platform bonds, gap and
        deposit rates) as a scenario without project lines.
    """

    is_portfolio: ClassVar[bool] = True
    path: str
    files: list[str]
    model: PortfolioSchema
    document: SourceDict = field(repr=False)
    projects: dict[str, Scenario]
    platform: Scenario = field(repr=False)

    @property
    def name(self) -> str:
        """Platform name."""
        return self.model.name

    @property
    def timeline(self) -> Timeline:
        """The platform's monthly grid and reporting periods."""
        return self.platform.timeline

    @property
    def warnings(self) -> list[Any]:
        """Plausibility warnings (likely unit slips) of the platform's own fields and of every project,
        each at the file and line where the value was written, each once."""
        found = list(self.platform.warnings)
        for project in self.projects.values():
            found += [w for w in project.warnings if w not in found]
        return found

    def params(self) -> Record:
        """Parameters of the platform's own scenario (timeline, platform bonds and rates)."""
        return self.platform.params()

    def canonical_json(self) -> str:
        """The resolved portfolio as canonical JSON, each project by its sha256."""
        data = self.model.model_dump(mode="json", by_alias=True)
        data["projects"] = [{"id": pid, "sha256": s.sha256} for pid, s in self.projects.items()]
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @property
    def sha256(self) -> str:
        """sha256 of :meth:`canonical_json`: changes with any project's inputs."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def run(self) -> Any:
        """The platform's base case (:func:`fcfinance.portfolio.evaluate.run_portfolio`)."""
        from .evaluate import run_portfolio

        return run_portfolio(self)

    def simulate(self, **options: Any) -> Any:
        """Monte Carlo of the platform (:func:`fcfinance.portfolio.simulate.simulate_portfolio`)."""
        from .simulate import simulate_portfolio

        return simulate_portfolio(self, **options)


def is_portfolio_file(path: str | Path) -> bool:
    """Whether a file declares itself a portfolio (``portfolio: true``, possibly through ``extends``).

    A file that cannot be read is not one (loading it as a scenario then reports why).
    """
    try:
        doc, _ = resolve(path)
    except ScenarioError:
        return False
    return doc.get("portfolio") is True


class _Problems:
    """Problems about one portfolio document, each where its value was written."""

    def __init__(self, doc: SourceDict, file: str):
        self.doc, self.file = doc, file
        self.found: list[Problem] = []

    def one(self, loc: list[Any], message: str) -> None:
        file, line, path = locate(self.doc, loc)
        self.found.append(Problem(file, line, path, message))


def _platform(doc: SourceDict, file: str, found: _Problems) -> Scenario | None:
    """The platform's timeline and financing, validated as a scenario (bond schedules in its horizon)."""
    sub = SourceDict(origin=doc.origin)
    for key in PLATFORM_KEYS:
        if key in doc:
            sub[key] = doc[key]
            sub.where[key] = doc.where[key]
    try:
        return Scenario(file, [file], validate_document(sub, file), sub)
    except ScenarioError as exc:
        found.found += exc.problems
        return None


def _reachable(ref_file: str, path: Path, root: Path) -> str:
    """Why a project file may not be read ('' when it may): as ``extends``, only YAML files under the root."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return f"project file {ref_file!r} cannot be reached (a loop of links, or a bad path)"
    if not real.is_relative_to(root):
        return (f"project file {ref_file!r} lies outside the project folder {root}; a portfolio reaches only "
                f"files under it, as extends does (set another with --root or {ROOT_ENV})")
    if not ref_file.lower().endswith(YAML_SUFFIXES):
        return f"project file {ref_file!r} is not a YAML file; expected a path ending in .yaml or .yml"
    return ""


def _projects(model: PortfolioSchema, base: Path, grid: Timeline, found: _Problems,
              root: Path) -> dict[str, Scenario]:
    """Each project file loaded, ids unique, every project month inside the platform's grid."""
    projects: dict[str, Scenario] = {}
    g0, g1 = grid.origin, grid.origin + grid.months - 1
    for i, ref in enumerate(model.projects):
        loc = ["projects", i]
        if ref.id in projects or any(r.id == ref.id for r in model.projects[:i]):
            found.one(loc + ["id"], f"duplicate project id {ref.id!r}; project ids must be unique")
            continue
        if "." in ref.id or ref.id == "*":
            found.one(loc + ["id"], f"project id {ref.id!r} may not contain '.' or be '*' "
                                    "(risk targets are <project id>.<path>)")
            continue
        path = base / ref.file
        why = _reachable(ref.file, path, root)
        if why:
            found.one(loc + ["file"], why)
            continue
        if not path.is_file():
            found.one(loc + ["file"], f"project file {ref.file!r} not found (looked for {path}); "
                                      "expected a scenario file relative to the portfolio file")
            continue
        try:
            project = load(path)
        except ScenarioError as exc:
            found.one(loc + ["file"], f"project {ref.id!r}: its scenario file fails validation "
                                      f"({len(exc.problems)} problem(s), listed below)")
            found.found += exc.problems
            continue
        tl = project.timeline
        p0, p1 = tl.origin, tl.origin + tl.months - 1
        if p0 < g0 or p1 > g1:
            first = p0 if p0 < g0 else g1 + 1
            found.one(loc, f"project {ref.id!r} ({project.path}) runs {tl.start} … {tl.last_month_label()}, "
                           f"not inside the portfolio's timeline {grid.start} … {grid.last_month_label()}; "
                           f"first month outside: {month_text(first)}")
            continue
        projects[ref.id] = project
    return projects


EFFECTS = {"scale": ("number",), "set": ("number",), "shift_months": ("date", "months")}
"""Effect kinds of a risk and the field kinds each acts on (as for a scenario, METHOD §9)."""


def _risks(model: PortfolioSchema, projects: dict[str, Scenario], found: _Problems) -> None:
    """Platform risk ids, distributions, targets and kinds; correlations (METHOD §9, §14)."""
    from ..montecarlo.correlation import correlation_model
    from ..montecarlo.distributions import parse_distribution
    from ..scenario.fields import field_at, kind_of
    from ..scenario.schema import ScenarioSchema
    from ..scenario.targets import resolve as resolve_target

    seen: set[str] = set()
    for i, risk in enumerate(model.risks):
        loc = ["risks", i]
        if risk.id in seen:
            found.one(loc + ["id"], f"duplicate id {risk.id!r}; ids must be unique in risks")
        if "." in risk.id:
            found.one(loc + ["id"], f"platform risk id {risk.id!r} may not contain '.' (reserved for "
                                    "projects' own risks, <project id>.<risk id>)")
        seen.add(risk.id)
        try:
            parse_distribution(risk.dist)
        except ValueError as exc:
            found.one(loc + ["dist"], str(exc))
        for effect, kinds in EFFECTS.items():
            for k, target in enumerate(getattr(risk, effect)):
                head, rest = split_target(target)
                if not head:
                    found.one(loc + [effect, k], f"target {target!r} is not <project id>.<path>; expected "
                                                 "a project id (or *) then a scenario path")
                    continue
                if head != "*" and head not in projects:
                    found.one(loc + [effect, k], f"target {target!r} names no project {head!r}; expected one "
                                                 f"of: {', '.join(projects)} or *")
                    continue
                matched = False
                for pid in (projects if head == "*" else [head]):
                    params = projects[pid].params()
                    for where in resolve_target(params, rest):
                        matched = True
                        kind = kind_of(field_at(ScenarioSchema, where))
                        if kind not in kinds:
                            found.one(loc + [effect, k],
                                      f"{effect} cannot act on {target!r}, a field of kind {kind} in project "
                                      f"{pid!r}; {effect} acts on {' or '.join(kinds)} fields")
                            break
                if not matched:
                    found.one(loc + [effect, k],
                              f"target {target!r} matches nothing in "
                              + ("any project" if head == "*" else f"project {head!r}")
                              + "; expected a dotted path from the project's root to a field it has "
                                "(list items by id, or *)")
    ids = risk_ids(model, projects)
    dists = ([r.dist for s in projects.values() for r in s.model.risks] if model.include_project_risks else []) \
        + [r.dist for r in model.risks]
    pairs = []
    for i, row in enumerate(model.correlations):
        if len(row) != 3 or not all(isinstance(x, str) for x in row[:2]) or isinstance(row[2], str):
            found.one(["correlations", i], f"expected [id_a, id_b, rho], got {row!r}")
            continue
        bad = [x for x in row[:2] if x not in ids]
        for x in bad:
            found.one(["correlations", i], f"unknown risk id {x!r}; expected one of: {', '.join(ids)}")
        if not bad:
            pairs.append((row[0], row[1], float(row[2])))
    if found.found or not pairs:
        return
    own = [[f"{pid}.{a}", f"{pid}.{b}", rho] for pid, s in projects.items() for a, b, rho in s.model.correlations] \
        if model.include_project_risks else []
    try:
        correlation_model(ids, dists, own + pairs, repair=model.simulation.correlation_repair)
    except ValueError as exc:
        found.one(["correlations"], str(exc))


def load_portfolio(path: str | Path) -> Portfolio:
    """Read and validate a portfolio file and every project it names.

    Parameters
    ----------
    path : str or Path
        A portfolio YAML file (``fcfinance: 1``, ``portfolio: true``).

    Raises
    ------
    ScenarioError
        Listing every problem, each with file, line, field path and what was
        expected; nothing is computed from a portfolio that fails.
    """
    doc, files = resolve(path)
    file = files[-1]
    try:
        model = PortfolioSchema.model_validate(doc)
    except ValidationError as exc:
        raise ScenarioError(schema_problems(doc, exc, PortfolioSchema), file) from None
    found = _Problems(doc, file)
    platform = _platform(doc, file, found)
    grid = Timeline(model.timeline.start, model.timeline.years, model.timeline.frequency)
    projects = _projects(model, Path(path).parent, grid, found, project_root(path))
    if not found.found:
        _risks(model, projects, found)
    if found.found:
        raise ScenarioError(found.found, file)
    assert platform is not None  # no problems: the platform validated
    return Portfolio(file, files, model, doc, projects, platform)

