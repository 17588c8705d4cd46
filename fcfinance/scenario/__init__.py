"""Scenario files: reading, ``extends``, validation, parameters (METHOD §10)."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, ScenarioError
from ..timeline import Timeline
from .checks import check_all
from .fields import keys_of, section_at, to_params
from .schema import ScenarioSchema
from .source import SourceDict, locate, resolve

__all__ = ["Scenario", "load", "validate_document", "ScenarioSchema"]


def _problem(doc: SourceDict, err: dict) -> Problem:
    loc = list(err["loc"])
    missing = err["type"] == "missing"
    file, line, path = locate(doc, loc, missing=missing)
    value = err.get("input")
    if err["type"] == "extra_forbidden":
        section = section_at(ScenarioSchema, loc[:-1])
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
    return Problem(file, line, path, msg)


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
        forms = []
        got = ""
        for p in group:
            text, _, value = p.message.partition("; got ")
            forms.append(text)
            got = got or value
        message = "matches none of the accepted forms: " + " | ".join(dict.fromkeys(forms))
        out.append(Problem(file, line, path, message + (f"; got {got}" if got else "")))
    return out


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
        problems = []
        for err in exc.errors():
            p = _problem(doc, err)
            if p not in problems:
                problems.append(p)
        raise ScenarioError(_one_per_field(problems), file) from None
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

    @property
    def name(self) -> str:
        """Project name."""
        return self.model.name

    @property
    def timeline(self) -> Timeline:
        """Monthly grid and reporting periods."""
        t = self.model.timeline
        return Timeline(t.start, t.years, t.frequency)

    def params(self) -> dict[str, Any]:
        """A fresh copy of the engine parameters (dates as month offsets)."""
        return to_params(self.model, self.timeline)

    def canonical_json(self) -> str:
        """The resolved scenario as canonical JSON (sorted keys, defaults filled)."""
        data = self.model.model_dump(mode="json", by_alias=True)
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @property
    def sha256(self) -> str:
        """sha256 of :meth:`canonical_json`: comments and layout do not change it."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def copy(self) -> Scenario:
        """A deep copy."""
        return copy.deepcopy(self)


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
    doc, files = resolve(path, text=text)
    model = validate_document(doc, files[-1])
    return Scenario(files[-1], files, model, doc)
