"""Reading scenario YAML with the file and line of every value, and ``extends``.

The loaded document is a tree of :class:`SourceDict` and :class:`SourceList`
(plain ``dict`` and ``list`` subclasses) that remember, for each key or item,
the file and line where it was written.  Merging a variant over its base
keeps those origins, so a value inherited through ``extends`` is reported
where it was written.
"""

from __future__ import annotations

import contextvars
import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarbool import ScalarBoolean

from ..errors import Problem, ScenarioError

Origin = tuple[str, int]

MAX_FILE_BYTES = 1 << 20
"""Largest scenario file read (1 MiB; the bundled files are under 10 kB)."""

MAX_VALUES = 100_000
"""Most values (mappings, lists, scalars) a file may hold once its aliases are expanded."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists."""

ROOT_ENV = "FCFINANCE_ROOT"
"""Environment variable naming the folder ``extends`` may reach (see :func:`project_root`)."""

ROOT_MARKERS = (".git", "models", "scenarios")
"""Entries that mark a project folder."""

YAML_SUFFIXES = (".yaml", ".yml")

ALLOWED_TAGS = {f"tag:yaml.org,2002:{t}" for t in
                ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")}
"""Node types a scenario may hold: plain mappings, lists, strings, numbers, booleans, null, dates."""

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters a scenario file may not hold (C0/C1 controls but tab and line ends, lone surrogates,
a BOM inside the text, non-characters)."""

_root_override: contextvars.ContextVar[Path | None] = contextvars.ContextVar("fcfinance_root", default=None)


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
    except (ValueError, OSError, RuntimeError):  # outside the working folder, a link loop, a path too long
        return os.path.normpath(str(path))


def _positions(node: Any) -> dict:
    """ruamel's line/column record of a container's keys or items (empty when it has none)."""
    lc = getattr(node, "lc", None)
    data = getattr(lc, "data", None) if lc is not None else None
    return data if isinstance(data, dict) else {}


def _convert(node: Any, file: str, line: int) -> Any:
    """Turn a ruamel round-trip node into Source* containers and plain scalars."""
    if isinstance(node, dict):
        out = SourceDict(origin=(file, line))
        lc = _positions(node)
        for key, value in node.items():
            pos = lc.get(key)
            vline = (pos[2] + 1) if pos else line
            kline = (pos[0] + 1) if pos else line
            out[str(key)] = _convert(value, file, vline if not isinstance(value, (dict, list)) else kline)
            out.where[str(key)] = (file, vline if not isinstance(value, (dict, list)) else kline)
        return out
    if isinstance(node, list):
        out = SourceList(origin=(file, line))
        lc = _positions(node)
        for i, value in enumerate(node):
            pos = lc.get(i)
            iline = pos[0] + 1 if pos else line
            out.append(_convert(value, file, iline))
            out.where.append((file, iline))
        return out
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, ScalarBoolean):  # an anchored true/false
        return bool(node)
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


def _fail(name: str, line: int | None, message: str, path: str = "") -> ScenarioError:
    return ScenarioError([Problem(name, line, path, message)], name)


def read_source(path: str | Path, name: str | None = None) -> str:
    """The text of a scenario file, read safely.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read (checked
    with ``os.stat`` before opening, and again on the open file, which is
    opened non-blocking so that a FIFO cannot hang the run); the text must
    be UTF-8 without control characters.

    Raises
    ------
    ScenarioError
        Naming the file and, for bad bytes or characters, the line.
    """
    path = Path(path)
    name = name or _display(path)
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode):
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
            try:
                st = os.fstat(fd)
                data = os.read(fd, MAX_FILE_BYTES + 1) if stat.S_ISREG(st.st_mode) else b""
                while stat.S_ISREG(st.st_mode) and len(data) <= MAX_FILE_BYTES:
                    more = os.read(fd, MAX_FILE_BYTES + 1 - len(data))
                    if not more:
                        break
                    data += more
            finally:
                os.close(fd)
    except FileNotFoundError:
        raise _fail(name, None, "file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _fail(name, None, "is a loop of symbolic links; expected a YAML scenario file") from None
        if exc.errno == errno.ENAMETOOLONG:
            raise _fail(name, None, "the path is too long for the file system") from None
        raise _fail(name, None, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise _fail(name, None, "is a folder; expected a YAML scenario file")
    if not stat.S_ISREG(st.st_mode):
        raise _fail(name, None, "is not a regular file (a device, pipe or socket); expected a YAML scenario file")
    if len(data) > MAX_FILE_BYTES:
        raise _fail(name, None, f"is larger than {MAX_FILE_BYTES // 1024} KiB; scenario files are small text "
                                "files (the bundled ones are under 10 kB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _fail(name, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}: {exc.reason}); "
                                "save the file as UTF-8") from None
    return text


def _check_characters(text: str, name: str) -> None:
    """Reject control characters, naming the line."""
    text = text.removeprefix("\ufeff")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise _fail(name, line, f"holds the control character U+{ord(bad.group()):04X}; "
                                "expected plain text (tabs and line ends only)")


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _check_nodes(root: Node, name: str) -> None:
    """Tags, keys, merge keys, nesting and the size after alias expansion of a composed document.

    Raises
    ------
    ScenarioError
        At the line of the first offending node.
    """
    size: dict[int, int] = {}
    active: set[int] = set()

    def line(node: Node) -> int:
        return node.start_mark.line + 1

    def walk(node: Node, depth: int) -> int:
        key = id(node)
        if key in size:
            return size[key]
        if key in active:
            raise _fail(name, line(node), "a value contains itself through an alias; expected a finite document")
        tag = str(node.tag)
        if tag not in ALLOWED_TAGS:
            raise _fail(name, line(node), f"the YAML tag {_tag_name(tag)} is not allowed in a scenario; expected "
                                          "plain mappings, lists, text, numbers, true/false, null and dates")
        if depth > MAX_DEPTH:
            raise _fail(name, line(node), f"nested more than {MAX_DEPTH} levels deep")
        total = 1
        active.add(key)
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if not isinstance(k, ScalarNode):
                    raise _fail(name, line(k), "a key must be a plain name, not a mapping or a list")
                if str(k.tag).endswith(":merge"):
                    merged = v.value if isinstance(v, SequenceNode) else [v]
                    if not all(isinstance(m, MappingNode) for m in merged):
                        raise _fail(name, line(k), "a merge key (<<) takes a mapping or a list of mappings "
                                                   "(an alias such as *name)")
                total += walk(k, depth + 1) + walk(v, depth + 1)
        elif isinstance(node, SequenceNode):
            for v in node.value:
                total += walk(v, depth + 1)
        active.discard(key)
        if total > MAX_VALUES:
            raise _fail(name, line(node), f"expands to more than {MAX_VALUES:,} values through its aliases "
                                          "(*name); expected a scenario of ordinary size")
        size[key] = total
        return total

    walk(root, 0)


def _checked_yaml(name: str) -> YAML:
    """A round-trip YAML reader that checks the composed document (:func:`_check_nodes`) before
    constructing it, so that nothing is built from a disallowed tag or an alias bomb."""
    def get_single_data(self: RoundTripConstructor) -> Any:
        node = self.composer.get_single_node()
        if node is None:
            return None
        _check_nodes(node, name)
        return self.construct_document(node)

    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = type("CheckedConstructor", (RoundTripConstructor,), {"get_single_data": get_single_data})
    return yaml


def read_yaml(path: str | Path, text: str | None = None) -> SourceDict:
    """Read one YAML file into a :class:`SourceDict` (no ``extends`` resolution).

    Parameters
    ----------
    path : str or Path
        The file (its name is used in messages).
    text : str, optional
        The file's content, if already at hand (default: read from ``path``
        with :func:`read_source`).

    Raises
    ------
    ScenarioError
        If the file is missing, not a small regular UTF-8 text file, not valid
        YAML, holds a tag or alias expansion a scenario may not have, or is
        not a mapping.
    """
    path = Path(path)
    name = _display(path)
    text = read_source(path, name) if text is None else text
    if len(text) > MAX_FILE_BYTES:
        raise _fail(name, None, f"is larger than {MAX_FILE_BYTES // 1024} KiB; scenario files are small text files")
    _check_characters(text, name)
    try:
        node = _checked_yaml(name).load(text)
    except ScenarioError:
        raise
    except MarkedYAMLError as exc:
        raise ScenarioError([_syntax_problem(name, exc)], name) from None
    except RecursionError:
        raise _fail(name, None, f"nested too deeply; expected at most {MAX_DEPTH} levels") from None
    except Exception as exc:  # ruamel raises a few unmarked errors (duplicate keys, …)
        mark = getattr(exc, "problem_mark", None)
        raise _fail(name, mark.line + 1 if mark is not None else None,
                    f"YAML error: {getattr(exc, 'problem', None) or type(exc).__name__}") from None
    if not isinstance(node, dict):
        raise _fail(name, 1, "expected a mapping of sections at the top level")
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
    return bool(items) and all(isinstance(x, dict) and isinstance(x.get("id"), str) for x in items)


def _unique_ids(items: list, path: str) -> None:
    """Raise a :class:`ScenarioError` naming both lines when two items of one list share an id."""
    seen: dict[str, Origin] = {}
    for i, item in enumerate(items):
        where = items.where[i] if isinstance(items, SourceList) and i < len(items.where) else ("", None)
        if item["id"] in seen:
            first = seen[item["id"]]
            at = f"{first[0]}:{first[1]}" if first[1] else first[0]
            raise ScenarioError([Problem(where[0], where[1], f"{path}.{item['id']}" if path else item["id"],
                                         f"duplicate id {item['id']!r} (first at {at}); ids in a list must "
                                         "be unique")], where[0] or None)
        seen[item["id"]] = where


ATOMIC_MAPPINGS = {"uniform", "triangular", "pert", "normal", "lognormal", "beta", "discrete",
                   "bernoulli", "fixed"}


def _atomic(mapping: dict) -> bool:
    """A distribution ``{name: params}`` replaces as a whole rather than merging key by key.

    Otherwise a variant that turns a base's ``uniform`` into a ``triangular``
    would leave a mapping with both keys (see docs/method-notes.md).
    """
    return len(mapping) == 1 and next(iter(mapping)) in ATOMIC_MAPPINGS


def merge(base: Any, over: Any, _path: str = "") -> Any:
    """Deep-merge ``over`` onto ``base`` (METHOD §10).

    Mappings merge key by key; lists whose items all carry ``id`` merge item
    by item (a new id is appended); any other value replaces.  A risk's
    distribution (a one-key mapping such as ``{uniform: [lo, hi]}``) is a
    value: it replaces.  Two items with the same id in one list are an
    error (naming both lines), not a silent merge.
    """
    if isinstance(base, dict) and isinstance(over, dict) and not _atomic(over):
        out = SourceDict(origin=over.origin if isinstance(over, SourceDict) else ("", 0))
        for key, value in base.items():
            out[key] = value
            out.where[key] = base.where[key] if isinstance(base, SourceDict) else ("", 0)
        for key, value in over.items():
            out[key] = merge(base[key], value, f"{_path}.{key}" if _path else key) if key in base else value
            out.where[key] = over.where[key] if isinstance(over, SourceDict) else ("", 0)
        return out
    if isinstance(base, list) and isinstance(over, list) and _all_have_ids(base) and _all_have_ids(over):
        _unique_ids(base, _path)
        _unique_ids(over, _path)
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
                out[k] = merge(out[k], item, f"{_path}.{item['id']}")
                out.where[k] = where
            else:
                positions[item["id"]] = len(out)
                out.append(item)
                out.where.append(where)
        return out
    return over


def project_root(path: str | Path) -> Path:
    """The folder ``extends`` may reach from the scenario file ``path``.

    In order: the root set with :func:`use_root` (the command line's
    ``--root``), the environment variable :data:`ROOT_ENV`, the nearest
    folder above the file (its own included) that holds ``.git``, ``models``
    or ``scenarios``, else the file's own folder.
    """
    given = _root_override.get() or os.environ.get(ROOT_ENV)
    if given:
        return Path(given).resolve()
    try:
        folder = Path(path).resolve().parent
    except (OSError, RuntimeError):
        folder = Path(os.path.abspath(path)).parent
    for candidate in (folder, *folder.parents):
        if any(os.path.lexists(candidate / marker) for marker in ROOT_MARKERS):
            return candidate
    return folder


class use_root:  # noqa: N801  (used like a function: ``with use_root(folder): ...``)
    """Context manager: ``extends`` may reach files under ``root`` (overrides :data:`ROOT_ENV`)."""

    def __init__(self, root: str | Path | None):
        self.root = Path(root).resolve() if root else None

    def __enter__(self) -> None:
        self._token = _root_override.set(self.root)

    def __exit__(self, *exc: Any) -> None:
        _root_override.reset(self._token)


def _base_path(path: Path, target: str, root: Path, name: str, line: int | None) -> Path:
    """The file named by ``extends: target`` in ``path``, checked to be a YAML file under ``root``."""
    def fail(message: str) -> ScenarioError:
        return _fail(name, line, message, "extends")

    if "\x00" in target or len(target) > 4096:
        raise fail(f"expected a file path relative to this file, got {target[:60]!r}…")
    base = path.parent / target
    try:
        real = base.resolve()
    except RuntimeError:
        raise fail(f"{target!r} is a loop of symbolic links") from None
    except OSError as exc:
        raise fail(f"{target!r} cannot be reached ({exc.strerror})") from None
    if not real.is_relative_to(root):
        raise fail(f"{target!r} lies outside the project folder {root}; extends reaches only files under it "
                   f"(set another with --root or {ROOT_ENV})")
    if not target.lower().endswith(YAML_SUFFIXES) and not base.is_dir():
        raise fail(f"{target!r} is not a YAML file; expected a path ending in .yaml or .yml")
    return base


def resolve(path: str | Path, _chain: tuple[Path, ...] = (), *,
            text: str | None = None, root: Path | None = None) -> tuple[SourceDict, list[str]]:
    """Read a scenario file and everything it ``extends``, merged.

    ``text``, if given, is used as the content of ``path`` itself (the files
    it extends are read from disk, relative to ``path``).  ``extends`` may
    reach only YAML files under ``root`` (default :func:`project_root` of
    ``path``).

    Returns
    -------
    document : SourceDict
        The merged document, without ``extends``.
    files : list of str
        The files read, base first.

    Raises
    ------
    ScenarioError
        On a missing base, an ``extends`` cycle, a base outside the root, or
        bad YAML in any file.
    """
    path = Path(path)
    root = project_root(path) if root is None else root
    doc = read_yaml(path, text)
    name = _display(path)
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        real = Path(os.path.abspath(path))
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
    base_path = _base_path(path, target, root, name, line)
    if not os.path.lexists(base_path):
        raise ScenarioError([Problem(name, line, "extends",
                                     f"base file {target!r} not found (looked for {_display(base_path)})")], name)
    if base_path.is_dir():
        raise ScenarioError([Problem(name, line, "extends",
                                     f"{target!r} is a folder; expected a YAML scenario file")], name)
    base, files = resolve(base_path, (*_chain, real), root=root)
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
