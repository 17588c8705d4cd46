"""Reading scenario YAML with the file and line of every value, and ``extends``.

The loaded document is a tree of :class:`SourceDict` and :class:`SourceList`
(plain ``dict`` and ``list`` subclasses) that remember, for each key or item,
the file and line where it was written.  Merging a variant over its base
keeps those origins, so a value inherited through ``extends`` is reported
where it was written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from ..errors import Problem, ScenarioError

Origin = tuple[str, int]


class SourceDict(dict):
    """A mapping that knows where each of its values was written."""

    def __init__(self, *args: Any, origin: Origin = ("", 0), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.origin = origin
        self.where: dict[str, Origin] = {}


class SourceList(list):
    """A list that knows where each of its items was written."""

    def __init__(self, *args: Any, origin: Origin = ("", 0)):
        super().__init__(*args)
        self.origin = origin
        self.where: list[Origin] = []


def _display(path: Path) -> str:
    """The path as shown in messages: relative to the working folder when inside it, normalised."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return os.path.normpath(str(path))


def _convert(node: Any, file: str, line: int) -> Any:
    """Turn a ruamel round-trip node into Source* containers and plain scalars."""
    if isinstance(node, dict):
        out = SourceDict(origin=(file, line))
        lc = getattr(node, "lc", None)
        for key, value in node.items():
            pos = lc.data.get(key) if lc is not None else None
            vline = (pos[2] + 1) if pos else line
            kline = (pos[0] + 1) if pos else line
            out[str(key)] = _convert(value, file, vline if not isinstance(value, (dict, list)) else kline)
            out.where[str(key)] = (file, vline if not isinstance(value, (dict, list)) else kline)
        return out
    if isinstance(node, list):
        out = SourceList(origin=(file, line))
        lc = getattr(node, "lc", None)
        for i, value in enumerate(node):
            pos = lc.data.get(i) if lc is not None else None
            iline = pos[0] + 1 if pos else line
            out.append(_convert(value, file, iline))
            out.where.append((file, iline))
        return out
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _syntax_problem(name: str, exc: MarkedYAMLError) -> Problem:
    """A YAML syntax error at the line that explains it.

    The problem's own line, except when the parser ran to the end of the file
    looking for the end of something (an unclosed quote or bracket): then the
    line where that something started.
    """
    problem, context = exc.problem_mark, exc.context_mark
    mark = problem or context
    if context is not None and "end of stream" in (exc.problem or ""):
        mark = context
    parts = []
    if exc.context:
        parts.append(exc.context + (f" (line {context.line + 1})" if context is not None else ""))
    if exc.problem:
        parts.append(exc.problem + (f" (line {problem.line + 1})" if problem is not None else ""))
    return Problem(name, mark.line + 1 if mark else None, "", "YAML syntax error: " + "; ".join(parts))


def read_yaml(path: str | Path, text: str | None = None) -> SourceDict:
    """Read one YAML file into a :class:`SourceDict` (no ``extends`` resolution).

    Parameters
    ----------
    path : str or Path
        The file (its name is used in messages).
    text : str, optional
        The file's content, if already at hand (default: read from ``path``).

    Raises
    ------
    ScenarioError
        If the file is missing, is not valid YAML or is not a mapping.
    """
    path = Path(path)
    name = _display(path)
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except FileNotFoundError:
        raise ScenarioError([Problem(name, None, "", "file not found")], name) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(name, None, "", f"not UTF-8 text ({exc.reason})")], name) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(name, None, "", "is a folder; expected a YAML scenario file")],
                            name) from None
    except OSError as exc:
        raise ScenarioError([Problem(name, None, "", f"cannot be read ({exc.strerror})")], name) from None
    try:
        node = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as exc:
        raise ScenarioError([_syntax_problem(name, exc)], name) from None
    except Exception as exc:  # ruamel raises a few unmarked errors (duplicate keys, …)
        raise ScenarioError([Problem(name, None, "", f"YAML error: {exc}")], name) from None
    if not isinstance(node, dict):
        raise ScenarioError([Problem(name, 1, "", "expected a mapping of sections at the top level")], name)
    return _convert(node, name, 1)


def from_data(data: dict, file: str) -> SourceDict:
    """Plain nested dicts and lists (a model dump, say) as a document.

    Every value is placed in ``file`` without a line number, so that
    :func:`fcfinance.scenario.validate_document` can report problems in a
    document that was built rather than read.
    """
    return _convert(data, file, 0)


def _all_have_ids(items: Iterable[Any]) -> bool:
    items = list(items)
    return bool(items) and all(isinstance(x, dict) and "id" in x for x in items)


ATOMIC_MAPPINGS = {"uniform", "triangular", "pert", "normal", "lognormal", "beta", "discrete",
                   "bernoulli", "fixed"}


def _atomic(mapping: dict) -> bool:
    """A distribution ``{name: params}`` replaces as a whole rather than merging key by key.

    Otherwise a variant that turns a base's ``uniform`` into a ``triangular``
    would leave a mapping with both keys (see docs/method-notes.md).
    """
    return len(mapping) == 1 and next(iter(mapping)) in ATOMIC_MAPPINGS


def merge(base: Any, over: Any) -> Any:
    """Deep-merge ``over`` onto ``base`` (METHOD §10).

    Mappings merge key by key; lists whose items all carry ``id`` merge item
    by item (a new id is appended); any other value replaces.  A risk's
    distribution (a one-key mapping such as ``{uniform: [lo, hi]}``) is a
    value: it replaces.
    """
    if isinstance(base, dict) and isinstance(over, dict) and not _atomic(over):
        out = SourceDict(origin=over.origin if isinstance(over, SourceDict) else ("", 0))
        for key, value in base.items():
            out[key] = value
            out.where[key] = base.where[key] if isinstance(base, SourceDict) else ("", 0)
        for key, value in over.items():
            out[key] = merge(base[key], value) if key in base else value
            out.where[key] = over.where[key] if isinstance(over, SourceDict) else ("", 0)
        return out
    if isinstance(base, list) and isinstance(over, list) and _all_have_ids(base) and _all_have_ids(over):
        out = SourceList(origin=over.origin if isinstance(over, SourceList) else ("", 0))
        positions = {}
        for i, item in enumerate(base):
            positions[item["id"]] = len(out)
            out.append(item)
            out.where.append(base.where[i] if isinstance(base, SourceList) else ("", 0))
        for i, item in enumerate(over):
            where = over.where[i] if isinstance(over, SourceList) else ("", 0)
            if item["id"] in positions:
                k = positions[item["id"]]
                out[k] = merge(out[k], item)
                out.where[k] = where
            else:
                positions[item["id"]] = len(out)
                out.append(item)
                out.where.append(where)
        return out
    return over


def resolve(path: str | Path, _chain: tuple[Path, ...] = (), *,
            text: str | None = None) -> tuple[SourceDict, list[str]]:
    """Read a scenario file and everything it ``extends``, merged.

    ``text``, if given, is used as the content of ``path`` itself (the files
    it extends are read from disk, relative to ``path``).

    Returns
    -------
    document : SourceDict
        The merged document, without ``extends``.
    files : list of str
        The files read, base first.

    Raises
    ------
    ScenarioError
        On a missing base, an ``extends`` cycle, or bad YAML in any file.
    """
    path = Path(path)
    real = path.resolve()
    doc = read_yaml(path, text)
    name = _display(path)
    if real in _chain:
        cycle = " → ".join(_display(p) for p in (*_chain, real))
        line = doc.where.get("extends", (name, None))[1]
        raise ScenarioError([Problem(name, line, "extends", f"extends cycle: {cycle}")], name)
    if "extends" not in doc:
        return doc, [name]
    target = doc["extends"]
    line = doc.where["extends"][1]
    if not isinstance(target, str) or not target:
        raise ScenarioError([Problem(name, line, "extends",
                                     f"expected a file path relative to this file, got {target!r}")], name)
    base_path = path.parent / target
    if not base_path.exists():
        raise ScenarioError([Problem(name, line, "extends",
                                     f"base file {target!r} not found (looked for {_display(base_path)})")], name)
    if base_path.is_dir():
        raise ScenarioError([Problem(name, line, "extends",
                                     f"{target!r} is a folder; expected a YAML scenario file")], name)
    base, files = resolve(base_path, (*_chain, real))
    del doc["extends"]
    doc.where.pop("extends", None)
    return merge(base, doc), files + [name]


def locate(doc: Any, loc: Iterable[Any], missing: bool = False) -> tuple[str, int | None, str]:
    """Find the file, line and readable path of a location in the document.

    Parameters
    ----------
    doc : SourceDict
        The merged document.
    loc : iterable of str or int
        Keys and list indices from the root.  Elements that do not exist in
        the document (pydantic's union tags) are skipped, so the walk ends at
        the deepest existing node, whose position is used.
    missing : bool
        The last element names a key that is absent: it is added to the path
        and the parent's position is used.

    Returns
    -------
    file, line, path
        ``path`` names list items by their ``id`` when they have one.
    """
    node = doc
    file, line = doc.origin if isinstance(doc, SourceDict) else ("", None)
    parts: list[str] = []
    loc = list(loc)
    for i, key in enumerate(loc):
        if isinstance(node, dict) and isinstance(key, str) and key in node:
            if isinstance(node, SourceDict) and key in node.where:
                file, line = node.where[key]
            node = node[key]
            parts.append(key)
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            if isinstance(node, SourceList) and key < len(node.where):
                file, line = node.where[key]
            item = node[key]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                parts.append(item["id"])
            else:
                parts[-1:] = [f"{parts[-1]}[{key}]"] if parts else [f"[{key}]"]
            node = item
        elif missing and i == len(loc) - 1 and isinstance(key, str):
            parts.append(key)
    return file, line, ".".join(parts)
