"""The project's own exceptions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file.

    Parameters
    ----------
    file : str
        File in which the offending value was written.
    line : int or None
        1-based line of the value (or of its parent when the value is missing).
    path : str
        Field path from the document root, list items by ``id`` (e.g.
        ``land.parcels.R2.sale``).
    message : str
        What was found and what was expected.
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class ScenarioError(ValueError):
    """A scenario file that cannot be computed; lists every problem found."""

    def __init__(self, problems: list[Problem], file: str | None = None):
        self.problems = list(problems)
        self.file = file
        head = f"{file}: " if file else ""
        n = len(self.problems)
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} in the scenario"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class UsageError(ValueError):
    """A request that cannot be honoured safely: a bad option value, more memory than the
    machine has, an output that is a link, busy or holds files of the user's.

    The command line prints the message and exits with status 2; nothing is written.
    """
