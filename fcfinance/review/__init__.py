"""Reviewing a variant: ``diff`` with an attribution bridge, canonical formatting (``fmt``).

* :func:`diff` — every changed input between two scenarios (``extends``
  resolved), the metrics of both sides, and the change in net balance and
  NPV credited to each changed input (:mod:`.changes`, :mod:`.steps`,
  :mod:`.attribution`, :mod:`.bridge`).
* :func:`format_file` — one canonical YAML layout, comments kept (:mod:`.fmt`).
"""

from .diff import Diff, diff
from .fmt import FormatError, format_file, format_text

__all__ = ["Diff", "diff", "FormatError", "format_file", "format_text"]
