"""Chinese wording of the scenario checks' messages (``--lang zh``), by pattern.

The checks (:mod:`.checks`) and the distributions write their messages in
English; this catalogue turns the common ones into Chinese without touching
them: each entry is a regular expression over the English message and its
Chinese replacement.  A message no entry matches is shown in English (with
the field's Chinese name, :meth:`fcfinance.errors.Problem.render`).
``tests/test_lang.py`` produces each message from a real scenario, so a
changed English text fails there instead of silently staying English.
"""

from __future__ import annotations

import re

CATALOGUE: list[tuple[str, str]] = [
    (r"^(\S+) is outside the timeline; expected a month in (.+)$", r"\1 超出时间轴；应为 \2 之间的月份"),
    (r"^window ends in (\S+), after the timeline's last month (\S+)",
     r"时间窗结束于 \1，晚于时间轴最后一个月 \2"),
    (r"^duplicate id '([^']*)'; ids must be unique in (\S+)$", r"重复的标识 '\1'；\2 中的标识必须唯一"),
    (r"^relocation shares sum to (\S+); expected cash \+ voucher \+ in_kind = 1 \(±1e-9\)",
     r"安置方式比例之和为 \1；货币、房票、实物安置比例之和应为 1（±1e-9）"),
    (r"^installment shares sum to (\S+); expected 1 \(±1e-9\)", r"分期付款比例之和为 \1；应为 1（±1e-9）"),
    (r"^amortization shares sum to (\S+); expected 1 \(±1e-9\)", r"还本比例之和为 \1；应为 1（±1e-9）"),
    (r"^target '([^']*)' matches nothing; expected a dotted path from the root to a field present in this "
     r"scenario \(list items by id, or \*\)$",
     r"作用对象 '\1' 在本方案中不存在；应为从根开始、以点分隔的字段路径（列表项用 id 或 *）"),
    (r"^unknown risk id '([^']*)'; expected one of: (.+)$", r"未知的风险标识 '\1'；应为以下之一：\2"),
    (r"^unknown works item '([^']*)'; expected one of the works item ids \((.*)\)$",
     r"未知的配套工程项目 '\1'；应为配套工程项目的标识之一（\2）"),
    (r" \[fields: (.*)\]$", r" [涉及字段：\1]"),
]
"""(English pattern, Chinese replacement), applied in order; the last entry translates the list of
fields that a check across fields appends."""

_COMPILED = [(re.compile(pattern), replacement) for pattern, replacement in CATALOGUE]


def to_zh(message: str) -> str | None:
    """The message in Chinese, or None when no catalogue entry matches its main text."""
    text, hits = message, 0
    for pattern, replacement in _COMPILED[:-1]:
        text, n = pattern.subn(replacement, text, count=1)
        hits += n
    if not hits:
        return None
    pattern, replacement = _COMPILED[-1]
    return pattern.sub(replacement, text, count=1)
