"""The project's own exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    zh: str | None = field(default=None, compare=False)
    """The message in Chinese, where one is known (else :meth:`render` shows ``message``)."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"

    def render(self, lang: str = "en") -> str:
        """The problem in English (``str``) or Chinese: the field's Chinese name beside its path."""
        if lang != "zh":
            return str(self)
        from .lang.fieldnames import field_zh
        from .lang.messages_zh import to_zh

        where = f"{self.file}:{self.line}" if self.line else self.file
        name = field_zh(self.path) if self.path else ""
        field = f" {self.path}{f'（{name}）' if name else ''}:" if self.path else ""
        return f"{where}:{field} {self.zh or to_zh(self.message) or self.message}"


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

    def render(self, lang: str = "en") -> str:
        """The message in English (``str``) or Chinese (``lang='zh'``)."""
        if lang != "zh":
            return str(self)
        head = f"{self.file}：" if self.file else ""
        return "\n".join([f"{head}方案文件中有 {len(self.problems)} 处问题"]
                         + [f"  {p.render('zh')}" for p in self.problems])


class UsageError(ValueError):
    """A request that cannot be honoured safely: a bad option value, more memory than the
    machine has, an output that is a link, busy or holds files of the user's.

    The command line prints the message and exits with status 2; nothing is written.
    """
