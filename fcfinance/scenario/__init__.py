"""Scenario files: reading, ``extends``, validation, parameters (METHOD §10)."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, ScenarioError
from ..lang.messages_zh import pydantic_zh
from ..params import Record, freeze
from ..timeline import Timeline
from .checks import check_all
from .fields import keys_of, section_at, to_params
from .plausibility import PlausibilityWarning, check_plausibility, likely_meant
from .schema import ScenarioSchema
from .source import SourceDict, from_data, locate, merge, resolve

__all__ = ["Scenario", "as_scenario", "load", "loads", "validate_document", "ScenarioSchema"]


def _problem(doc: SourceDict, err: dict, schema: type = ScenarioSchema) -> Problem:
    loc = list(err["loc"])
    missing = err["type"] == "missing"
    file, line, path = locate(doc, loc, missing=missing)
    value = err.get("input")
    if err["type"] == "extra_forbidden":
        section = section_at(schema, loc[:-1])
        allowed = ", ".join(keys_of(section)) if section else ""
        msg = f"unknown key {loc[-1]!r}; expected one of: {allowed}"
    elif missing:
        msg = "required field is missing"
    elif err["type"] == "value_error":  # our own validators: the message names the value
        msg = err["msg"].removeprefix("Value error, ")
    else:
        msg = err["msg"]
        if not isinstance(value, (dict, list)):
            msg = f"{msg}; got {value!r}"
        if err["type"] in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
            likely = likely_meant(loc, value)  # a unit slip: say what was probably meant
            if likely is not None:
                msg += f" (likely meant {likely:,.10g}: a unit slip?)"
    return Problem(file, line, path, msg, zh=pydantic_zh(err, allowed if err["type"] == "extra_forbidden" else ""))


def _one_per_field(problems: list[Problem]) -> list[Problem]:
    """Merge the problems pydantic reports for each form of a field that accepts several.

    A union field (``amortization``: ``bullet`` or a list; ``occupancy``: a
    number or a ramp) yields one error per form for one fault; they become
    one problem listing what each form expected.
    """
    merged: dict[tuple, list[Problem]] = {}
    for p in problems:
        merged.setdefault((p.file, p.line, p.path), []).append(p)
    out = []
    for (file, line, path), group in merged.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        forms, forms_zh = [], []
        got = ""
        for p in group:
            text, _, value = p.message.partition("; got ")
            forms.append(text)
            forms_zh.append((p.zh or text).partition("；实际为 ")[0])
            got = got or value
        message = "matches none of the accepted forms: " + " | ".join(dict.fromkeys(forms))
        zh = "不符合任何一种可接受的形式：" + " | ".join(dict.fromkeys(forms_zh))
        out.append(Problem(file, line, path, message + (f"; got {got}" if got else ""),
                           zh=zh + (f"；实际为 {got}" if got else "")))
    return out


def schema_problems(doc: SourceDict, exc: ValidationError, schema: type = ScenarioSchema) -> list[Problem]:
    """Pydantic's errors on a document as problems with file, line, field path and what was expected.

    ``schema`` is the model the document was validated against (a scenario,
    or a portfolio: :mod:`fcfinance.portfolio.schema`).
    """
    problems: list[Problem] = []
    for err in exc.errors():
        p = _problem(doc, err, schema)
        if p not in problems:
            problems.append(p)
    return _one_per_field(problems)


def validate_document(doc: SourceDict, file: str) -> ScenarioSchema:
    """Validate a merged document: every field, then every check across fields.

    Raises
    ------
    ScenarioError
        Listing every problem, each with file, line, field path and what was expected.
    """
    try:
        model = ScenarioSchema.model_validate(doc)
    except ValidationError as exc:
        raise ScenarioError(schema_problems(doc, exc), file) from None
    problems = check_all(model, doc, file)
    if problems:
        raise ScenarioError(problems, file)
    return model


@dataclass
class Scenario:
    """A validated scenario, ready to run.

    Attributes
    ----------
    path : str
        The file loaded.
    files : list of str
        Every file read, base first (through ``extends``).
    model : ScenarioSchema
        The validated inputs, defaults filled in.
    document : SourceDict
        The merged document as written, with the origin of every value.
    """

    path: str
    files: list[str]
    model: ScenarioSchema
    document: SourceDict = field(repr=False)
    _params: Record | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """Project name."""
        return self.model.name

    @property
    def timeline(self) -> Timeline:
        """Monthly grid and reporting periods."""
        t = self.model.timeline
        return Timeline(t.start, t.years, t.frequency)

    def params(self) -> Record:
        """The engine parameters: a frozen tree, made once (dates as absolute month indices).

        See :mod:`fcfinance.params`; change it with
        :func:`fcfinance.params.replace_at` or :func:`fcfinance.effects.apply_effects`.
        """
        if self._params is None:
            self._params = freeze(to_params(self.model))
        return self._params

    def canonical_json(self) -> str:
        """The resolved scenario as canonical JSON (sorted keys, defaults filled)."""
        data = self.model.model_dump(mode="json", by_alias=True)
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @property
    def sha256(self) -> str:
        """sha256 of :meth:`canonical_json`: comments and layout do not change it."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    @functools.cached_property
    def warnings(self) -> list[PlausibilityWarning]:
        """Values that validate but lie outside the plausible ranges of DOMAIN.md, likely unit slips
        (:mod:`.plausibility`), each with file, line, field, value and the value probably meant."""
        return check_plausibility(self.document)

    def copy(self) -> Scenario:
        """A deep copy."""
        return copy.deepcopy(self)

    def variant(self, changes: dict[str, Any], name: str | None = None) -> Scenario:
        """This scenario with some inputs changed, merged and validated as ``extends`` would.

        Parameters
        ----------
        changes : dict
            Dotted field paths (list items by ``id``, as in risk targets) to
            new values, e.g. ``{"relocation.shares": {"cash": 0.2, "voucher": 0.5,
            "in_kind": 0.3}, "land.parcels.R1.floor_price_yuan_m2": 13000}``.
            A value replaces, except that a mapping merges key by key and a
            list of items with ids merges by id (METHOD §10).
        name : str, optional
            The variant's project name (default: this name).

        Raises
        ------
        ScenarioError
            If the changed scenario is not valid; the problems name the
            variant, since the changed values were written by no file.
        """
        label = f"{self.path} (variant)"
        override = _nest(self.document, changes)
        if name is not None:
            override["name"] = name
        doc = merge(self.document, from_data(override, label))
        return Scenario(label, self.files + [label], validate_document(doc, label), doc)


def _nest(document: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """Dotted paths and values as a nested override document (list items by id)."""
    out: dict[str, Any] = {}
    for dotted, value in changes.items():
        keys = dotted.split(".")
        node, target = out, document
        i = 0
        while i < len(keys) - 1:
            key = keys[i]
            current = target.get(key) if isinstance(target, dict) else None
            if isinstance(current, list) and i + 1 < len(keys):  # an item of an id-list
                item_id = keys[i + 1]
                items = node.setdefault(key, [])
                item = next((x for x in items if x.get("id") == item_id), None)
                if item is None:
                    item = {"id": item_id}
                    items.append(item)
                node = item
                target = next((x for x in current if isinstance(x, dict) and x.get("id") == item_id), {})
                i += 2
                continue
            node = node.setdefault(key, {})
            target = current if current is not None else {}
            i += 1
        if i < len(keys):
            node[keys[i]] = value
        elif isinstance(value, dict):  # a whole list item, addressed by its id
            node.update(value)
        else:
            raise ValueError(f"{dotted}: a list item takes a mapping of its fields, got {value!r}")
    return out


def load(path: str | Path, text: str | None = None) -> Scenario:
    """Read, merge (``extends``) and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        A scenario YAML file.
    text : str, optional
        The file's content, if already at hand (``fcfinance fmt`` checks a
        reformatted text before writing it); default: read from ``path``.

    Raises
    ------
    ScenarioError
        If anything is wrong; nothing is computed from a file that fails.
    """
    if isinstance(path, str) and "\n" in path:
        lines = path.count("\n") + 1
        raise ScenarioError([Problem("<text>", None, "", f"expected the path of a scenario file, got {lines} lines "
                                     "of text; to load YAML text, use fcfinance.loads(text, name=...)")])
    doc, files = resolve(path, text=text)
    if doc.get("portfolio") is True:  # a platform of projects (METHOD §14), not one project
        raise ScenarioError([Problem(files[-1], doc.where["portfolio"][1], "portfolio",
                                     "this is a portfolio file; use fcfinance portfolio FILE, "
                                     "or fc.load_portfolio(FILE) then fc.run / fc.simulate")], files[-1])
    model = validate_document(doc, files[-1])
    return Scenario(files[-1], files, model, doc)


def as_scenario(scenario: Scenario | str | Path) -> Scenario:
    """``scenario`` itself if already loaded, else the file loaded (:func:`load`)."""
    return scenario if isinstance(scenario, Scenario) else load(scenario)


def loads(text: str, name: str = "<text>.yaml") -> Scenario:
    """Read, merge and validate a scenario given as YAML text.

    Parameters
    ----------
    text : str
        The scenario, as a file would hold it.
    name : str
        The file name used in messages; ``extends`` is read relative to its
        folder (default: a name in the working folder).

    Raises
    ------
    ScenarioError
        If anything is wrong, naming ``name`` and the line.
    """
    if not isinstance(text, str):
        raise TypeError(f"loads() takes the YAML text as str, got {type(text).__name__}")
    return load(Path(name), text)
