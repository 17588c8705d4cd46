"""``fcfinance fmt``: one canonical layout for scenario files, so that review diffs show only real changes.

The layout is that of ``shared/reference/ref-a.yaml``: mappings indented by
2, list dashes indented by 2 with items at 4, one space after ``:`` and ``,``,
no document marker, no trailing spaces, at most one blank line in a row, a
final newline, comment lines indented like the line they precede.  Comments,
key order, quotes, the flow style of short mappings and lists (``{start:
2022-04, months: 6}``), and the column of end-of-line comments are kept as
written.  Block scalars (``|``, ``>``) are left untouched.

Nothing is written unless the new text is stable (formatting it again
changes nothing), reads to exactly the same data (types included) and loads
to a scenario with the same sha256 (so every computed result is the same).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ..atomic import refuse_symlink, write_text_atomic
from ..scenario import load
from ..scenario.source import read_yaml

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


def format_text(text: str) -> str:
    """``text`` in the canonical layout (without the safety checks of :func:`format_file`)."""
    yaml = _yaml()
    # tidy first as well: ruamel drops a blank line that follows trailing spaces after a flow collection
    data = yaml.load(_tidy(text.replace("\r\n", "\n")))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return _tidy(buffer.getvalue())


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
    try:
        original = path.read_bytes().decode("utf-8")  # as is: CRLF line ends are a layout change
    except (OSError, UnicodeDecodeError):
        load(path)  # raises the ScenarioError that names the problem
        raise
    try:
        text = format_text(original)
    except Exception:
        read_yaml(path, original)  # raises the ScenarioError that names the line
        raise
    if text == original:
        return Formatted(path, original, text)
    before = load(path, original)
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
