"""``fcfinance fmt``: one canonical layout for scenario files, so that review diffs show only real changes.

The layout is that of ``shared/reference/ref-a.yaml``: mappings indented by
2, list dashes indented by 2 with items at 4, one space after ``:`` and ``,``,
no document marker, no trailing spaces, at most one blank line in a row, a
final newline, comment lines indented like the line they precede.  Comments,
key order, quotes, the flow style of short mappings and lists (``{start:
2022-04, months: 6}``), and the column of end-of-line comments are kept as
written.  Block scalars (``|``, ``>``) are left untouched.

A part the canonical layout cannot hold without losing a comment, an anchor
or an alias (a comment inside a multi-line flow mapping, after an alias or a
merge key, an unused anchor) is kept as written, re-indented only.

Nothing is written unless the new text is stable (formatting it again
changes nothing), reads to exactly the same data (types included) and loads
to a scenario with the same sha256 (so every computed result is the same),
and keeps every comment, anchor and alias; it is then written atomically
(:func:`fcfinance.atomic.write_text_atomic`): a failure leaves the file as it was.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ..atomic import refuse_symlink, write_text_atomic
from ..scenario import load
from ..scenario.source import read_source, read_yaml

BLOCK_START = re.compile(r"^\s*(?:-\s+)*(?:[^\s#][^#]*:\s+)?[|>][-+1-9]*\s*(?:#.*)?$")
"""A line that opens a block scalar (``key: |``, ``- >-``)."""


class FormatError(Exception):
    """The canonical layout cannot be written safely (it would change data or is not stable)."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never wrap: a wrapped line is a spurious change in a review diff
    yaml.preserve_quotes = True
    return yaml


def _tidy(text: str) -> str:
    """Trailing spaces, blank lines and comment indentation, outside block scalars."""
    lines: list[tuple[str, bool]] = []  # (line, inside a block scalar)
    block: int | None = None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line.strip() or indent > block):
            lines.append((line, True))
            continue
        block = indent if BLOCK_START.match(line) else None
        lines.append((line.rstrip(), False))
    out: list[str] = []
    for k, (line, raw) in enumerate(lines):
        if raw:
            out.append(line)
        elif not line:
            if out and out[-1]:
                out.append("")
        elif line.lstrip().startswith("#"):
            following = next((t for t, r in lines[k + 1:] if t.strip() and not t.lstrip().startswith("#")), "")
            out.append(" " * (len(following) - len(following.lstrip(" "))) + line.lstrip())
        else:
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


MARK = re.compile(r"""(?P<q>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')|(?:(?<=\s)|^)(?P<c>#.*)$|"""
                  r"""(?:(?<=[\s\[{,])|^)(?P<a>[&*][^\s,\[\]{}]+)""")
"""Quoted text (skipped), a comment, or an anchor (&name) or alias (*name), on one line."""


def marks(lines: list[str]) -> Counter:
    """The comments (with whether they end a line of content) and anchors and aliases of some lines.

    :func:`format_text` must keep every one of them: it compares these counts
    before and after.
    """
    found: Counter = Counter()
    for line in lines:
        for m in MARK.finditer(line):
            if m.group("c") is not None:
                found[("#", m.group("c").rstrip(), bool(line[:m.start()].strip()))] += 1
            elif m.group("a") is not None:
                found[(m.group("a")[0], m.group("a")[1:])] += 1
    return found


def _key_lines(text: str) -> list[tuple[tuple[str, ...], int]]:
    """Key paths and 0-based lines of the top-level keys and the keys of block mappings under them."""
    data = _yaml().load(text)
    out: list[tuple[tuple[str, ...], int]] = []
    if not isinstance(data, dict) or getattr(data, "fa", None) is None or data.fa.flow_style():
        return out
    for key, (line, *_rest) in data.lc.data.items():
        out.append(((str(key),), line))
        value = data.get(key)
        if isinstance(value, dict) and hasattr(value, "lc") and not value.fa.flow_style():
            out += [((str(key), str(k)), pos[0]) for k, pos in value.lc.data.items()]
    return sorted(out, key=lambda x: x[1])


def _indent(lines: list[str]) -> int:
    """Indentation of the first line."""
    return len(lines[0]) - len(lines[0].lstrip(" ")) if lines else 0


def _reindent(lines: list[str], delta: int) -> list[str]:
    if delta >= 0:
        return [" " * delta + line if line.strip() else line for line in lines]
    out = []
    for line in lines:
        lead = len(line) - len(line.lstrip(" "))
        out.append(line[min(lead, -delta):])
    return out


def _keep_as_written(source: str, canonical: str) -> str:
    """``canonical``, with every part that lost a comment, anchor or alias taken back from ``source``.

    The parts are the lines from one key to the next, for the top-level
    keys and the keys of block mappings under them; a part taken back is
    re-indented as in the canonical layout and otherwise left as written.
    """
    src, out = source.split("\n"), canonical.split("\n")
    if marks(src) == marks(out):
        return canonical
    a, b = _key_lines(source), _key_lines(canonical)
    common = [p for p, _ in a if p in {q for q, _ in b}]
    la, lb = dict(a), dict(b)
    starts_a = [0] + [la[p] for p in common] + [len(src)]
    starts_b = [0] + [lb[p] for p in common] + [len(out)]
    if starts_a != sorted(starts_a) or starts_b != sorted(starts_b) or common != [p for p, _ in b if p in la]:
        return source  # the parts do not line up: keep the whole file as written
    result: list[str] = []
    for i in range(len(starts_a) - 1):
        part_a, part_b = src[starts_a[i]:starts_a[i + 1]], out[starts_b[i]:starts_b[i + 1]]
        if marks(part_a) == marks(part_b):
            result += part_b
            continue
        result += _reindent(part_a, _indent(part_b) - _indent(part_a)) if i else part_a
    return "\n".join(result)


def format_text(text: str) -> str:
    """``text`` in the canonical layout (without the safety checks of :func:`format_file`).

    A part the canonical layout cannot hold without losing a comment, an
    anchor or an alias (a comment inside a multi-line flow mapping, after an
    alias or a merge key ``<<:``, an unused anchor) is kept as written.
    """
    yaml = _yaml()
    # tidy first as well: ruamel drops a blank line that follows trailing spaces after a flow collection
    source = _tidy(text.replace("\r\n", "\n"))
    data = yaml.load(source)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return _tidy(_keep_as_written(source, _tidy(buffer.getvalue())))


def _same(a: Any, b: Any) -> bool:
    """Equal data, types included (``1`` is not ``1.0``, ``True`` is not ``1``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


@dataclass
class Formatted:
    """A file and its canonical text.

    Attributes
    ----------
    path : Path
    original, text : str
        Content before and in the canonical layout.
    """

    path: Path
    original: str
    text: str

    @property
    def changed(self) -> bool:
        """The file is not in the canonical layout."""
        return self.text != self.original


def format_file(path: str | Path, write: bool = True) -> Formatted:
    """Bring one scenario file into the canonical layout.

    A file already in the canonical layout is left alone without being
    validated (``fcfinance validate`` does that); a file to be rewritten must
    load as a valid scenario before and after.

    Parameters
    ----------
    path : str or Path
    write : bool
        Write the file when its layout changes (False: only check).

    Raises
    ------
    fcfinance.ScenarioError
        If a file to be rewritten is not a valid scenario (nothing is written).
    FormatError
        If the new layout is not stable or would change any value (nothing is written).
    fcfinance.errors.UsageError
        If the file is a symbolic link or read-only (nothing is written).
    OSError
        If writing fails; the file is written atomically (:mod:`fcfinance.atomic`),
        so it is then unchanged.
    """
    path = Path(path)
    if write:
        refuse_symlink(path)
    original = read_source(path)  # as is: CRLF line ends are a layout change; a clear error if unreadable
    try:
        text = format_text(original)
    except Exception:
        read_yaml(path, original)  # raises the ScenarioError that names the line
        raise
    if text == original:
        return Formatted(path, original, text)
    before = load(path, original)
    if marks(text.split("\n")) != marks(original.replace("\r\n", "\n").split("\n")):
        raise FormatError(f"{path}: the canonical layout would lose a comment, anchor or alias; left unchanged")
    if format_text(text) != text:
        raise FormatError(f"{path}: the canonical layout is not stable for this file; left unchanged")
    if not _same(read_yaml(path, original), read_yaml(path, text)):
        raise FormatError(f"{path}: reformatting would change a value; left unchanged")
    after = load(path, text)
    if after.sha256 != before.sha256:
        raise FormatError(f"{path}: reformatting would change the scenario (sha256 "
                          f"{before.sha256[:12]} → {after.sha256[:12]}); left unchanged")
    result = Formatted(path, original, text)
    if write and result.changed:
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            raise OSError(exc.errno, f"{path}: cannot be written ({exc.strerror}); the file is unchanged") from None
    return result
