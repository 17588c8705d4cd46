"""Chinese wording of validation messages (``--lang zh``): pydantic's by error type, the checks' by pattern.

:func:`pydantic_zh` words pydantic's errors from templates by error type
(:data:`_ZH_TEMPLATES`).

The checks (:mod:`.checks`) and the distributions write their messages in
English; this catalogue turns the common ones into Chinese without touching
them: each entry is a regular expression over the English message and its
Chinese replacement.  A message no entry matches is shown in English (with
the field's Chinese name, :meth:`fcfinance.errors.Problem.render`).
``tests/test_lang.py`` produces most of these messages from real scenarios,
so a changed English text fails there instead of silently staying English.
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
    (r"^vouchers are redeemed or expire until (\S+), after the timeline's last month (\S+)",
     r"房票兑付或到期结算持续到 \1，晚于时间轴最后一个月 \2"),
    (r"^handover falls in (\S+), after the timeline's last month (\S+)", r"交房月份 \1 晚于时间轴最后一个月 \2"),
    (r"^installment falls in (\S+), after the timeline's last month (\S+)", r"分期付款月份 \1 晚于时间轴最后一个月 \2"),
    (r"^the operating period ends in (\S+), after the timeline's last month (\S+)",
     r"运营期结束于 \1，晚于时间轴最后一个月 \2"),
    (r"^the bond matures in (\S+), after the timeline's last month (\S+)",
     r"专项债到期月份 \1 晚于时间轴最后一个月 \2"),
    (r"^(\w+) needs a site section \(households and areas acquired\); remove it for a project without "
     r"acquisition$", r"\1 需要 site（征收范围：户数与面积）一节；项目不涉及征收时请删除 \1"),
    (r"^missing: the site acquires households or areas, so an acquisition section is needed$",
     r"缺少：征收范围有户数或面积，需要 acquisition（征收补偿）一节"),
    (r"^missing: a signing window \{start, months\} is needed$", r"缺少：需要签约期 {start, months}"),
    (r"^missing: residential area is acquired, so a house value per m² is needed$",
     r"缺少：征收了住宅面积，需要被征收房屋价值补偿单价"),
    (r"^missing: non-residential area is acquired, so a value per m² is needed$",
     r"缺少：征收了非住宅面积，需要非住宅补偿单价"),
    (r"^missing: a demolition area is given, so a demolition cost per m² is needed$",
     r"缺少：给出了拆除面积，需要拆除工程单价"),
    (r"^missing: a demolition area is given, so a demolition window is needed$", r"缺少：给出了拆除面积，需要拆除期"),
    (r"^missing: households are acquired, so relocation shares are needed$", r"缺少：征收了住户，需要安置方式比例"),
    (r"^missing: the voucher share is \(or may become\) above 0, so a voucher section is needed$",
     r"缺少：房票安置比例大于 0（或可能大于 0），需要 voucher（房票）一节"),
    (r"^missing: the in-kind share is \(or may become\) above 0, so an in_kind section is needed$",
     r"缺少：实物安置比例大于 0（或可能大于 0），需要 in_kind（实物安置）一节"),
    (r"^missing: resettlement housing is built, so a construction cost per m² is needed$",
     r"缺少：建设安置房，需要安置房建设单价"),
    (r"^missing: extra area is sold to residents, so this price is needed$", r"缺少：向居民出售增购面积，需要此价格"),
    (r"^missing: a construction window \{start, months\} is needed$", r"缺少：需要建设期 {start, months}"),
    (r"^(\S+) does not follow (\S+); tiers must be strictly increasing in within_months$",
     r"\1 不大于前一档的 \2；各档 within_months 必须严格递增"),
    (r"^year (\S+) is after the term of (\S+) years; expected 1 … (\S+)$",
     r"还本年度 \1 超过 \2 年的期限；应为 1 … \3"),
    (r"^year (\S+) is listed twice$", r"还本年度 \1 重复出现"),
    (r"^(\w+) cannot act on '([^']*)', a field of kind (\w+); (\w+) acts on (.+) fields$",
     r"\1 不能作用于 '\2'（字段类型 \3）；\4 只能作用于 \5 类型的字段"),
    (r"^'([^']*)' is already set by risk '([^']*)'; a field can be set by one risk only$",
     r"'\1' 已由风险 '\2' 设定；一个字段只能由一个风险设定"),
    (r"^expected \[id_a, id_b, rho\], got (.+)$", r"应为 [id_a, id_b, rho]，实际为 \1"),
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


_ZH_TEMPLATES = {
    "missing": "缺少必填字段",
    "int_type": "应为整数", "int_from_float": "应为整数（不带小数）", "int_parsing": "应为整数",
    "float_type": "应为数字", "float_parsing": "应为数字", "string_type": "应为文字",
    "bool_type": "应为 true 或 false", "list_type": "应为列表", "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）", "model_attributes_type": "应为映射（键: 值）",
    "greater_than_equal": "应不小于 {ge}", "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}", "less_than": "应小于 {lt}",
    "literal_error": "应为 {expected} 之一", "too_short": "至少需要 {min_length} 项",
    "too_long": "至多 {max_length} 项", "finite_number": "应为有限的数字",
}
"""Chinese templates of pydantic's error types (``--lang zh``); ``{…}`` from the error's context."""


def pydantic_zh(err: dict, allowed: str = "") -> str | None:
    """The Chinese message of a pydantic error (``ValidationError.errors()`` item), or None.

    ``allowed`` lists the keys a section accepts, for an unknown key.
    """
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        return f"未知字段 {err['loc'][-1]!r}；可用的字段：{allowed}"
    if kind == "value_error":
        return None  # our own validators' messages, in English
    template = _ZH_TEMPLATES.get(kind)
    if template is None:
        return None
    ctx = {k: f"{v:g}" if isinstance(v, float) else str(v).replace(" or ", "、").replace(", ", "、")
           for k, v in (err.get("ctx") or {}).items()}
    text = template.format(**ctx)
    if kind != "missing" and not isinstance(value, (dict, list)):
        text += f"；实际为 {value!r}"
    return text
