"""Reviewing a variant: ``fcfinance diff`` (changes, metrics, attribution, bridge) and ``fcfinance fmt``."""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from ruamel.yaml import YAML

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.review import FormatError, format_text
from fcfinance.review.changes import apply, data_of
from tests.conftest import REFERENCE, ROOT, SHARED_REFERENCE

PARK = """\
    extends: ref-a.yaml
    works:
      items:
        - id: park
          cost_yuan: 50000000
          start: 2023-01
          months: 12
    land:
      parcels:
        - id: C1
          uplift: {rate: 0.05, requires: [park]}
        - id: R1
          floor_price_yuan_m2: 15000
    """


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Copies of ref-a and of the templates and scenarios, keeping their relative layout."""
    shutil.copy(REFERENCE / "ref-a.yaml", tmp_path / "ref-a.yaml")
    for folder in ("models", "scenarios"):
        (tmp_path / folder).mkdir()
        for f in (ROOT / folder).glob("*.yaml"):
            shutil.copy(f, tmp_path / folder / f.name)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def edited(source: Path, target: Path, edit) -> Path:
    """``source`` read as YAML data, changed by ``edit(data)``, written to ``target``."""
    yaml = YAML(typ="rt", pure=True)
    data = yaml.load(source.read_text(encoding="utf-8"))
    edit(data)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    target.write_text(buffer.getvalue(), encoding="utf-8")
    return target


def by_id(items, item_id):
    return next(x for x in items if x["id"] == item_id)


def assert_adds_up(d) -> None:
    """The contributions sum to B − A for net balance and NPV (1e-9 relative)."""
    for key in ("net_balance", "npv"):
        a, b = d.a.metrics[key], d.b.metrics[key]
        total = sum(getattr(c, f"{key}_delta") for c in d.contributions)
        assert math.isclose(total, b - a, rel_tol=0, abs_tol=1e-9 * max(abs(a), abs(b), 1.0)), key
        if d.contributions:
            assert getattr(d.contributions[-1], key) == b  # the last step ends at B's own run


def comments(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]


# -- diff: changes --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ref-a.yaml", "scenarios/ouhai-lvjiaan-voucher-bonus.yaml"])
def test_diff_of_a_file_against_itself_is_empty(project, name):
    d = fc.diff(project / name, project / name)
    assert d.empty and d.changes.empty and d.attribution.empty
    out = d.to_dict()
    assert out["changes"] == [] and out["attribution"] == []
    assert out["a"]["scenario_sha256"] == out["b"]["scenario_sha256"]
    assert all(v["delta"] in (0.0, None) for v in out["metrics"].values())


def test_layout_and_comments_are_no_change(project):
    other = project / "relaid.yaml"
    other.write_text(messy((project / "ref-a.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    assert fc.diff(project / "ref-a.yaml", other).empty


def test_changes_in_the_order_of_b_with_units(project):
    d = fc.diff(project / "scenarios/ouhai-lvjiaan.yaml", project / "scenarios/ouhai-lvjiaan-voucher-bonus.yaml")
    assert [c.path for c in d.change_list] == [
        "name", "relocation.shares.voucher", "relocation.shares.in_kind", "relocation.voucher.validity_months",
        "relocation.voucher.bonus_tiers", "land.parcels.R1.floor_price_yuan_m2",
        "land.parcels.R2.floor_price_yuan_m2", "land.parcels.R3", "risks.voucher_share.dist"]
    table = d.changes.set_index("path")
    r1 = table.loc["land.parcels.R1.floor_price_yuan_m2"]
    assert (r1.old, r1.new, r1.unit, r1.kind) == (11500.0, 10500.0, "元/m² floor", "changed")
    assert table.loc["relocation.voucher.validity_months"].unit == "months"
    r3 = table.loc["land.parcels.R3"]
    assert r3.kind == "added" and r3.old is None and r3.new["floor_price_yuan_m2"] == 10500.0


def test_changes_on_both_sides_of_extends_chains(project):
    write(project / "a.yaml", """\
        extends: ref-a.yaml
        works:
          items:
            - {id: school, start: 2023-04}
        land:
          parcels:
            - {id: R1, floor_price_yuan_m2: 15000}
        """)
    write(project / "b.yaml", """\
        extends: a.yaml
        relocation:
          voucher:
            redemption_rate: 0.9
        works:
          items:
            - {id: school, months: 30}
        """)
    write(project / "c.yaml", """\
        extends: ref-a.yaml
        land:
          parcels:
            - {id: R1, floor_price_yuan_m2: 15000}
        works:
          items:
            - {id: health, start: 2023-07}
        """)
    ref, a, b, c = (project / n for n in ("ref-a.yaml", "a.yaml", "b.yaml", "c.yaml"))

    def changes(x, y):
        return {ch.path: (ch.old, ch.new) for ch in fc.diff(x, y).change_list}

    assert changes(a, b) == {"relocation.voucher.redemption_rate": (0.92, 0.9),
                             "works.items.school.months": (24, 30)}
    assert changes(ref, b) == {"relocation.voucher.redemption_rate": (0.92, 0.9),
                               "works.items.school.start": ("2023-01", "2023-04"),
                               "works.items.school.months": (24, 30),
                               "land.parcels.R1.floor_price_yuan_m2": (14500.0, 15000.0)}
    # two branches of ref-a: what both changed alike is no change; the rest goes back or forward
    assert changes(b, c) == {"relocation.voucher.redemption_rate": (0.9, 0.92),
                             "works.items.school.start": ("2023-04", "2023-01"),
                             "works.items.school.months": (30, 24),
                             "works.items.health.start": ("2023-04", "2023-07")}
    for x, y in ((a, b), (ref, b), (b, c), (c, ref)):
        assert_adds_up(fc.diff(x, y))


def test_reordering_items_is_no_change(project):
    def reorder(data):
        data["works"]["items"].reverse()
        data["land"]["parcels"].reverse()
        data["risks"].reverse()

    other = edited(project / "ref-a.yaml", project / "reordered.yaml", reorder)
    d = fc.diff(project / "ref-a.yaml", other)
    assert d.empty and d.contributions == []
    assert d.a.scenario.sha256 != d.b.scenario.sha256  # the hash sees the order; the review does not
    assert d.metrics.loc["net_balance", "delta"] == pytest.approx(0.0, abs=1e-6)


def test_items_added_and_removed(project):
    def edit(data):
        del data["works"]["items"][4]                   # digital
        data["grants"].append({"id": "city_award", "amount_yuan": 10000000, "date": "2024-06"})

    other = edited(project / "ref-a.yaml", project / "items.yaml", edit)
    d = fc.diff(project / "ref-a.yaml", other)
    kinds = {c.path: c.kind for c in d.change_list}
    assert kinds == {"works.items.digital": "removed", "grants.city_award": "added"}
    steps = {c.step.label: c for c in d.contributions}
    assert steps["grants.city_award"].net_balance_delta == pytest.approx(1000.0, rel=1e-12)  # 10,000,000 元
    assert steps["works.items.digital"].net_balance_delta > 0
    assert_adds_up(d)


# -- diff: grouping and attribution ------------------------------------------------------

def test_relocation_shares_are_one_step(project):
    d = fc.diff(project / "scenarios/ouhai-lvjiaan.yaml", project / "scenarios/ouhai-lvjiaan-voucher-bonus.yaml")
    shares = [c for c in d.contributions if any(p.startswith("relocation.shares.") for p in c.step.paths)]
    assert len(shares) == 1
    assert shares[0].step.paths == ["relocation.shares.voucher", "relocation.shares.in_kind"]
    assert shares[0].step.label == "relocation.shares.{voucher, in_kind}"
    assert_adds_up(d)


def test_new_works_item_and_the_uplift_requiring_it_are_one_step(project):
    b = write(project / "park.yaml", PARK)
    d = fc.diff(project / "ref-a.yaml", b)
    assert [c.step.paths for c in d.contributions] == [
        ["works.items.park", "land.parcels.C1.uplift"], ["land.parcels.R1.floor_price_yuan_m2"]]
    assert "works.items.park is added together with the references to it" in d.contributions[0].step.notes
    assert_adds_up(d)


def test_removed_works_item_and_the_uplift_requiring_it_are_one_step(project):
    def edit(data):
        del data["works"]["items"][1]                   # health
        by_id(data["land"]["parcels"], "R2")["uplift"]["requires"] = ["school"]

    d = fc.diff(project / "ref-a.yaml", edited(project / "ref-a.yaml", project / "no-health.yaml", edit))
    assert [sorted(c.step.paths) for c in d.contributions] == [
        ["land.parcels.R2.uplift.requires", "works.items.health"]]
    assert_adds_up(d)


def test_a_step_invalid_alone_is_merged_with_what_makes_it_valid(project):
    def edit(data):
        del data["relocation"]["voucher"]
        data["relocation"]["shares"].update(cash=0.65, voucher=0.0)
        data["risks"] = [r for r in data["risks"] if r["id"] not in ("voucher_share", "redemption")]

    a = edited(project / "ref-a.yaml", project / "no-voucher.yaml", edit)
    d = fc.diff(a, project / "ref-a.yaml")
    first = d.contributions[0]
    assert first.step.paths == ["relocation.shares.cash", "relocation.shares.voucher", "relocation.voucher"]
    assert any(n.startswith("applied together with relocation.voucher: without it, relocation.voucher: missing")
               for n in first.step.notes)
    assert first.net_balance_delta == pytest.approx(d.metrics.loc["net_balance", "delta"], rel=1e-12)
    assert_adds_up(d)


@pytest.mark.parametrize("a, b", [
    ("scenarios/ouhai-lvjiaan.yaml", "scenarios/ouhai-lvjiaan-voucher-bonus.yaml"),
    ("models/chaichu-chongjian.yaml", "scenarios/ouhai-lvjiaan.yaml"),
    ("scenarios/wenzhou-xincheng-xinjian.yaml", "ref-a.yaml"),   # sections added, a new timeline
])
def test_attribution_adds_up_exactly(project, a, b):
    d = fc.diff(project / a, project / b)
    assert len(d.contributions) > 1
    assert_adds_up(d)
    frame = d.attribution
    assert frame["net_balance_delta"].sum() == pytest.approx(d.metrics.loc["net_balance", "delta"], rel=1e-9)
    assert frame["npv_delta"].sum() == pytest.approx(d.metrics.loc["npv", "delta"], rel=1e-9)


@pytest.mark.parametrize("a, b", [
    ("scenarios/ouhai-lvjiaan.yaml", "scenarios/ouhai-lvjiaan-voucher-bonus.yaml"),
    ("scenarios/wenzhou-laojiu-zhenghe.yaml", "ref-a.yaml"),
])
def test_the_changes_lead_from_a_to_b(project, a, b):
    """Applying every change to A's data gives B's data, item order aside."""
    sa, sb = fc.load(project / a), fc.load(project / b)
    data = data_of(sa)
    for change in fc.diff(sa, sb).change_list:
        apply(data, change)

    def canonical(x):
        if isinstance(x, dict):
            return {k: canonical(v) for k, v in x.items()}
        if isinstance(x, list) and x and all(isinstance(i, dict) and "id" in i for i in x):
            return sorted((canonical(i) for i in x), key=lambda i: i["id"])
        return [canonical(i) for i in x] if isinstance(x, list) else x

    assert canonical(data) == canonical(data_of(sb))


# -- diff: API, command line, bridge -------------------------------------------------------

def test_api_tables_and_json(project):
    a, b = project / "scenarios/ouhai-lvjiaan.yaml", project / "scenarios/ouhai-lvjiaan-voucher-bonus.yaml"
    d = fc.diff(a, b)
    assert list(d.changes.columns) == ["path", "kind", "old", "new", "unit"]
    assert {"name", "unit", "a", "b", "delta"} <= set(d.metrics.columns)
    nb = d.metrics.loc["net_balance"]
    assert nb.delta == nb.b - nb.a
    assert math.isnan(d.metrics.loc["peak_funding_period", "delta"])
    assert list(d.attribution.index) == list(range(1, len(d.contributions) + 1))
    out = d.to_dict()
    assert set(out) >= {"a", "b", "fcfinance_version", "changes", "metrics", "attribution"}
    assert out["a"]["scenario_sha256"] == fc.load(a).sha256 and out["b"]["scenario_sha256"] == fc.load(b).sha256
    assert out["fcfinance_version"] == fc.__version__
    assert all({"path", "old", "new"} <= set(c) for c in out["changes"])
    assert all(set(m) == {"a", "b", "delta"} for m in out["metrics"].values())
    assert all({"change", "net_balance_delta", "npv_delta"} <= set(s) for s in out["attribution"])
    json.dumps(out, allow_nan=False)


def test_cli_diff_json_and_text(project, capsys):
    a, b = str(project / "ref-a.yaml"), str(write(project / "park.yaml", PARK))
    assert main(["diff", a, b, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads(json.dumps(fc.diff(a, b).to_dict()))
    assert main(["diff", a, b]) == 0
    text = capsys.readouterr().out
    assert "land.parcels.R1.floor_price_yuan_m2" in text and "资金结余" in text and "合计 total" in text
    assert fc.load(b).sha256[:12] in text


def test_bridge(project, capsys):
    a, b = project / "ref-a.yaml", write(project / "park.yaml", PARK)
    d = fc.diff(a, b)
    fig = d.bridge(date="2025-01-01")
    from fcfinance.review.bridge import no_effect

    drawn = [c for c in d.contributions if not no_effect(c)]
    assert len(fig.axes[0].patches) == len(drawn) + 2
    footer = [t.get_text() for t in fig.texts if t.get_gid() == "fcfinance-provenance"]
    assert any(d.a.scenario.sha256 in t for t in footer) and any(d.b.scenario.sha256 in t for t in footer)
    png = project / "bridge.png"
    assert main(["diff", str(a), str(b), "--bridge", str(png)]) == 0
    from PIL import Image

    with Image.open(png) as image:
        meta = image.text["Description"]
    assert d.a.scenario.sha256 in meta and d.b.scenario.sha256 in meta and fc.__version__ in meta


def test_bridge_speaks_chinese_lists_idle_changes_apart_and_stands_on_the_axis(project, tmp_path):
    """Chinese step labels from the schema's names, a renamed project and a changed risk listed under the
    chart (not drawn as zero bars), every bar from the axis, and nothing overlapping (the pack's check)."""
    from fcfinance.report.fieldnames import field_label
    from fcfinance.review.bridge import bridge_figure, no_effect
    from tests.test_chart_layout import layout_problems

    a = project / "scenarios/ouhai-lvjiaan.yaml"
    b = project / "scenarios/ouhai-lvjiaan-voucher-bonus.yaml"
    d = fc.diff(a, b)
    idle = [c.step.label for c in d.contributions if no_effect(c)]
    assert "name" in idle and any(label.startswith("risks.") for label in idle)
    assert field_label("land.parcels.R1.floor_price_yuan_m2") == "R1 楼面地价"
    fig = bridge_figure(d, "zh", date="2025-01-01")
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "R1 楼面地价" in ticks and "项目名称" not in ticks
    assert not any("floor_price" in t for t in ticks)
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "项目名称" in notes and "未画出" in notes
    assert all(abs(p.get_height()) > 0.005 for p in ax.patches)
    first, last = ax.patches[0], ax.patches[-1]
    assert first.get_y() == 0.0 and last.get_y() == 0.0  # A and B start at zero
    low, high = ax.get_ylim()
    assert low <= min(p.get_y() + min(p.get_height(), 0) for p in ax.patches)
    assert layout_problems(fig) == []
    en = bridge_figure(d, "en", date="2025-01-01")
    assert any("R1.floor_" in t.get_text() for t in en.axes[0].get_xticklabels())
    assert layout_problems(en) == []
    png = tmp_path / "bridge-en.png"
    assert main(["diff", str(a), str(b), "--bridge", str(png), "--lang", "en"]) == 0 and png.stat().st_size > 0


def test_bridge_of_positive_levels_stands_on_the_x_axis(project):
    from fcfinance.review.bridge import bridge_figure

    d = fc.diff(project / "ref-a.yaml", write(project / "park.yaml", PARK))
    levels = [d.a.metrics["net_balance"], d.b.metrics["net_balance"]] + [c.net_balance for c in d.contributions]
    ax = bridge_figure(d, date="2025-01-01").axes[0]
    if min(levels) >= 0:
        assert ax.get_ylim()[0] == 0.0
    else:
        assert not ax.spines["bottom"].get_visible()


def test_cli_diff_invalid_file_exits_2(project, capsys):
    bad = write(project / "bad.yaml", """\
        extends: ref-a.yaml
        site: {residential_area_m2: -5}
        """)
    assert main(["diff", str(project / "ref-a.yaml"), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "site.residential_area_m2" in err


def test_run_json_carries_provenance(project, capsys):
    path = project / "scenarios/ouhai-lvjiaan.yaml"
    assert main(["run", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scenario_sha256"] == fc.load(path).sha256 and out["fcfinance_version"] == fc.__version__


# -- fmt ------------------------------------------------------------------------------------

def messy(text: str) -> str:
    """ref-a laid out badly: indentation doubled, trailing spaces, a document marker, blank lines,
    flow spacing, a comment at the wrong indentation, CRLF line ends."""
    lines = []
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        body = re.sub(r"^- ", "-   ", line.lstrip(" "))
        lines.append(" " * (2 * indent) + body + ("   " if body and not body.startswith("#") else ""))
    out = "---\n\n" + "\n".join(lines)
    out = out.replace("\nsite:", "\n\n\n      # where the households live\nsite:")
    out = out.replace("{start: 2022-04, months: 6}", "{ start: 2022-04 ,  months: 6 }")
    return out.replace("\n", "\r\n")


def test_fmt_leaves_the_reference_unchanged(capsys):
    for path in (SHARED_REFERENCE / "ref-a.yaml", REFERENCE / "ref-a.yaml"):
        if path.exists():
            text = path.read_text(encoding="utf-8")
            assert format_text(text) == text
            assert main(["fmt", "--check", str(path)]) == 0


def test_project_files_are_formatted(capsys):
    files = sorted(str(p) for folder in ("models", "scenarios") for p in (ROOT / folder).glob("*.yaml"))
    assert main(["fmt", "--check", *files]) == 0


def test_fmt_round_trip(project, capsys):
    path = project / "messy.yaml"
    original = messy((project / "ref-a.yaml").read_text(encoding="utf-8"))
    path.write_bytes(original.encode("utf-8"))
    before = fc.run(path).to_dict()
    assert main(["fmt", "--check", str(path)]) == 1
    assert f"would reformat {path}" in capsys.readouterr().out
    assert path.read_bytes() == original.encode("utf-8")       # --check writes nothing

    assert main(["fmt", str(path)]) == 0
    text = path.read_bytes().decode("utf-8")
    assert text != original and "\r" not in text and not text.startswith("---")
    assert format_text(text) == text                           # idempotent
    assert main(["fmt", "--check", str(path)]) == 0
    assert comments(text) == comments(original)                # every comment kept, in order
    assert "\n# where the households live\nsite:" in text      # re-indented to the line it describes
    assert "signing: {start: 2022-04, months: 6}" in text      # flow style kept
    after = fc.run(path).to_dict()
    assert after == before                                     # same sha256, same numbers
    # the layout of ref-a, apart from where end-of-line comments were written
    reference = (project / "ref-a.yaml").read_text(encoding="utf-8")
    strip = lambda t: [re.sub(r"\s+#.*", "", line) for line in t.splitlines() if not line.lstrip().startswith("#")]  # noqa: E731
    assert strip(text) == strip(reference)


def test_fmt_keeps_block_scalars_and_quotes(project, capsys):
    path = write(project / "block.yaml", """\
        extends: ref-a.yaml
        name:    'quoted name'
        description: |
            first line   
              # not a comment


            last
        """)  # noqa: W291
    before = fc.load(path)
    assert main(["fmt", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "name: 'quoted name'" in text
    assert fc.load(path).model.description == before.model.description == (
        "first line   \n  # not a comment\n\n\nlast\n")


def test_fmt_refuses_to_change_a_value(project, capsys, monkeypatch):
    import fcfinance.review.fmt as fmt

    path = project / "messy.yaml"
    original = messy((project / "ref-a.yaml").read_text(encoding="utf-8")).encode("utf-8")
    path.write_bytes(original)
    real = fmt.format_text
    monkeypatch.setattr(fmt, "format_text", lambda t: real(t).replace("14500", "14600"))
    with pytest.raises(FormatError, match="would change a value"):
        fmt.format_file(path)
    assert main(["fmt", str(path)]) == 1
    assert "left unchanged" in capsys.readouterr().err
    assert path.read_bytes() == original


def test_fmt_invalid_file_exits_2(project, capsys):
    bad = write(project / "bad.yaml", "extends: ref-a.yaml\nsite:   {households: -1}\n")
    assert main(["fmt", str(bad)]) == 2
    assert "site.households" in capsys.readouterr().err
    assert bad.read_text(encoding="utf-8") == "extends: ref-a.yaml\nsite:   {households: -1}\n"
    broken = write(project / "broken.yaml", "name: [a, b\ntimeline: {}\n")
    assert main(["fmt", "--check", str(broken)]) == 2
    assert "broken.yaml:2: YAML syntax error" in capsys.readouterr().err
