"""Bad scenario files: exit status 2 and one clear message, never a traceback (METHOD §10, §11).

Each case is ref-a.yaml with ONE line edited (or a tiny ``extends`` set of files),
so each test shows exactly one fault.  For every case the problem must name the
file and line where the value was written, the field path, the value and what was
expected; a check across fields names the file being loaded and every field
involved, each with its own file and line.

Every case is checked through the API (``fcfinance.load`` and ``fcfinance.run``
raise :class:`fcfinance.ScenarioError`), through the command line's ``main`` in
process for both ``run`` and ``validate`` (cheap), and through real
``python -m fcfinance.cli`` processes: one ``validate`` of every case file at
once, and ``run --json`` of a representative case of each error path (YAML
reading, field validation through ``extends``, checks across fields).  Starting
a process costs ~1.8 s of imports here, so they are few and started together.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import fcfinance as fc
from fcfinance.cli import main
from tests.conftest import REFERENCE

REF_TEXT = (REFERENCE / "ref-a.yaml").read_text(encoding="utf-8")


def edited(old: str, new: str) -> str:
    """ref-a.yaml with exactly one occurrence of ``old`` replaced."""
    assert REF_TEXT.count(old) == 1, old
    return REF_TEXT.replace(old, new)


@dataclass
class Case:
    """One fault: the files written, the file loaded and the problem expected."""

    id: str
    files: dict[str, str]
    file: str                       # file named by the problem
    line: int | None                # line named by the problem (None: a check across fields)
    path: str                       # field path named by the problem
    says: tuple[str, ...]           # fragments of the message: the value, what was expected
    load: str = "bad.yaml"          # file given to load / run / validate
    fields: tuple[str, ...] = field(default=())  # 'path = value (file:line)' of a check across fields

    def location(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}:" if self.path else f"{where}:"


def one(case_id, old, new, line, path, *says, fields=()):
    return Case(case_id, {"bad.yaml": edited(old, new)}, "bad.yaml", line, path, says, fields=tuple(fields))


CASES = [
    one("yaml_syntax", "  years: 16\n", "  years: 16: 3\n", 10, "",
        "YAML syntax error", "mapping values are not allowed here"),
    one("unknown_key", "  years: 16\n", "  years: 16\n  horizon: 20\n", 11, "timeline.horizon",
        "unknown key 'horizon'", "expected one of: start, frequency, years, discount_rate"),
    one("unknown_key_in_list_item", "      months: 18\n", "      months: 18\n      duration: 3\n", 70,
        "works.items.health.duration", "unknown key 'duration'",
        "expected one of: id, name, cost_yuan, area_m2, unit_cost_yuan_m2, start, months, profile, escalation"),
    one("unknown_section", "grants:\n", "grant:\n", 138, "grant",
        "unknown key 'grant'", "expected one of: fcfinance, name, description, timeline, site"),
    one("string_for_number", "  households: 1200\n", '  households: "1200"\n', 14, "site.households",
        "valid number", "'1200'"),
    one("fraction_for_integer", "signing: {start: 2022-04, months: 6}", "signing: {start: 2022-04, months: 6.5}",
        20, "acquisition.signing.months", "valid integer", "6.5"),
    one("negative_area", "  residential_area_m2: 108000", "  residential_area_m2: -108000", 15,
        "site.residential_area_m2", "greater than or equal to 0", "-108000"),
    one("wrong_version", "fcfinance: 1\n", "fcfinance: 2\n", 5, "fcfinance", "should be 1", "2"),
    one("shares_not_summing_to_1", "cash: 0.20,", "cash: 0.25,", None, "relocation.shares.cash",
        "relocation shares sum to 1.05", "expected cash + voucher + in_kind = 1",
        fields=["relocation.shares.cash = 0.25 (bad.yaml:30)", "relocation.shares.voucher = 0.45 (bad.yaml:30)",
                "relocation.shares.in_kind = 0.35 (bad.yaml:30)"]),
    one("date_after_timeline", "      date: 2026-01", "      date: 2040-01", 44, "relocation.voucher.return.date",
        "2040-01 is outside the timeline", "expected a month in 2022-01 … 2037-12"),
    one("date_before_timeline", "signing: {start: 2022-04, months: 6}", "signing: {start: 2021-04, months: 6}",
        20, "acquisition.signing.start", "2021-04 is outside the timeline", "expected a month in 2022-01"),
    one("month_13", "      date: 2026-01", "      date: 2024-13", 44, "relocation.voucher.return.date",
        "expected a month written YYYY-MM", "'2024-13'"),
    one("date_with_day", "      date: 2026-01", "      date: 2024-03-01", 44, "relocation.voucher.return.date",
        "expected a month written YYYY-MM", "2024-03-01"),
    one("uplift_requires_unknown_work", "requires: [school, health]", "requires: [school, gym]", 108,
        "land.parcels.R2.uplift.requires[1]", "unknown works item 'gym'",
        "expected one of the works item ids (digital, health, infrastructure, neighbourhood, school)"),
    one("bond_matures_after_horizon", "      term_years: 10", "      term_years: 20", None,
        "financing.bonds.SB2022.issue", "the bond matures in 2042-06", "after the timeline's last month 2037-12",
        fields=["financing.bonds.SB2022.issue = '2022-06' (bad.yaml:145)",
                "financing.bonds.SB2022.term_years = 20 (bad.yaml:147)"]),
    one("window_past_horizon", "      start: 2024-07\n      months: 12", "      start: 2037-07\n      months: 12",
        None, "works.items.digital.start", "window ends in 2038-06", "after the timeline's last month 2037-12",
        fields=["works.items.digital.start = '2037-07' (bad.yaml:85)",
                "works.items.digital.months = 12 (bad.yaml:86)"]),
    # every month that carries a flow lies inside the timeline (METHOD §1)
    one("voucher_expiry_after_horizon", "    validity_months: 18", "    validity_months: 200", None,
        "relocation.voucher.validity_months", "vouchers are redeemed or expire until 2039-05",
        "after the timeline's last month 2037-12",
        fields=["relocation.voucher.validity_months = 200 (bad.yaml:33)",
                "acquisition.signing.start = '2022-04' (bad.yaml:20)", "acquisition.signing.months = 6 (bad.yaml:20)"]),
    one("handover_after_horizon", "    handover_lag_months: 3", "    handover_lag_months: 180", None,
        "relocation.in_kind.construction.start", "handover falls in 2040-07",
        fields=["relocation.in_kind.construction.start = '2023-01' (bad.yaml:51)",
                "relocation.in_kind.construction.months = 30 (bad.yaml:51)",
                "relocation.in_kind.handover_lag_months = 180 (bad.yaml:52)"]),
    one("installment_after_horizon", "payments: [{after_months: 3, share: 1.0}]",
        "payments: [{after_months: 200, share: 1.0}]", None, "land.parcels.C1.sale", "installment falls in 2042-08",
        fields=["land.parcels.C1.sale = '2025-12' (bad.yaml:114)",
                "land.parcels.C1.payments[0].after_months = 200 (bad.yaml:115)"]),
    one("operations_after_horizon", "  years: 10\n", "  years: 20\n", None, "operations.start",
        "the operating period ends in 2045-06",
        fields=["operations.start = '2025-07' (bad.yaml:118)", "operations.years = 20 (bad.yaml:119)"]),
    one("grant_after_horizon", "date: 2023-06}", "date: 2038-01}", 139, "grants.provincial_pilot_award.date",
        "2038-01 is outside the timeline", "expected a month in 2022-01 … 2037-12"),
    one("impossible_triangular", "[0.75, 1.0, 1.08]", "[1.0, 0.5, 2.0]", 154, "risks.land_market.dist",
        "triangular", "[1.0, 0.5, 2.0]"),
    one("risk_target_matches_nothing", "scale: [land.parcels.*.floor_price_yuan_m2]",
        "scale: [land.parcels.*.floor_price]", 155, "risks.land_market.scale[0]",
        "'land.parcels.*.floor_price' matches nothing", "expected a dotted path"),
    one("scale_on_a_date", "scale: [land.parcels.*.floor_price_yuan_m2]", "scale: [land.parcels.R1.sale]",
        155, "risks.land_market.scale[0]", "scale cannot act on 'land.parcels.R1.sale'", "kind date",
        "scale acts on number fields"),
    one("discrete_probs_not_summing_to_1", "probs: [0.8, 0.2]", "probs: [0.8, 0.1]", 163,
        "risks.r2_sale_delay.dist", "probs", "sum to 1"),
    one("correlation_not_positive_definite",
        "  - [land_market, rent, 0.6]\n  - [land_market, r2_sale_delay, -0.4]",
        "  - [land_market, rent, -0.9]\n  - [land_market, r2_sale_delay, -0.9]\n  - [rent, r2_sale_delay, -0.9]",
        None, "correlations[0]", "not positive definite", "-0.8", "correlation_repair",
        fields=["correlations[0] (bad.yaml:176)", "correlations[1] (bad.yaml:177)",
                "correlations[2] (bad.yaml:178)"]),
    one("missing_required_field", "      far: 2.4\n", "", 101, "land.parcels.R2.far", "required field is missing"),
    one("duplicate_ids", "    - id: parking", "    - id: commercial_rent", 126,
        "operations.revenues.commercial_rent.id", "duplicate id 'commercial_rent'", "unique"),
    one("tiers_not_strictly_increasing", "within_months: 12, rate: 0.10", "within_months: 6, rate: 0.10", 37,
        "relocation.voucher.bonus_tiers[1].within_months", "6 does not follow 6", "strictly increasing"),
    one("payments_not_summing_to_1", "payments: [{after_months: 3, share: 1.0}]",
        "payments: [{after_months: 3, share: 0.9}]", None, "land.parcels.C1.payments[0].share",
        "installment shares sum to 0.9", "expected 1",
        fields=["land.parcels.C1.payments[0].share = 0.9 (bad.yaml:115)"]),
    one("amortization_not_summing_to_1", "      amortization: bullet",
        "      amortization: [{year: 5, share: 0.5}, {year: 10, share: 0.4}]", None,
        "financing.bonds.SB2022.amortization[0].share", "amortization shares sum to 0.9", "expected 1",
        fields=["financing.bonds.SB2022.amortization[0].share = 0.5 (bad.yaml:148)",
                "financing.bonds.SB2022.amortization[1].share = 0.4 (bad.yaml:148)"]),
    Case("extends_cycle", {"a.yaml": "extends: b.yaml\nname: a\n", "b.yaml": "extends: a.yaml\nname: b\n"},
         "a.yaml", 1, "extends", ("extends cycle: ",), load="a.yaml"),
    Case("extends_missing_base", {"bad.yaml": "extends: nothere.yaml\nname: variant\n"}, "bad.yaml", 1,
         "extends", ("base file 'nothere.yaml' not found",)),
    # a value inherited through extends is reported where it was written: the base file and its line
    Case("inherited_value_reported_at_base",
         {"base.yaml": edited("  residential_area_m2: 108000", "  residential_area_m2: -108000"),
          "bad.yaml": "extends: base.yaml\nname: 复核方案\n"},
         "base.yaml", 15, "site.residential_area_m2", ("greater than or equal to 0", "-108000")),
    # a check across fields names the file being loaded and every field with its own file and line
    Case("across_fields_through_extends",
         {"base.yaml": REF_TEXT, "bad.yaml": "extends: base.yaml\nrelocation:\n  shares: {cash: 0.3}\n"},
         "bad.yaml", None, "relocation.shares.cash", ("relocation shares sum to 1.1",),
         fields=("relocation.shares.cash = 0.3 (bad.yaml:3)", "relocation.shares.voucher = 0.45 (base.yaml:30)",
                 "relocation.shares.in_kind = 0.35 (base.yaml:30)")),
    Case("missing_file", {}, "nothere.yaml", None, "", ("file not found",), load="nothere.yaml"),
    Case("not_a_mapping", {"bad.yaml": "- timeline\n- site\n"}, "bad.yaml", 1, "",
         ("expected a mapping of sections",)),
]
IDS = [c.id for c in CASES]
BY_ID = {c.id: c for c in CASES}


def write(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in case.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / case.load


def check_problem(case: Case, problem) -> None:
    assert problem.file == case.file
    assert problem.line == case.line
    assert problem.path == case.path
    for fragment in case.says + case.fields:
        assert fragment in problem.message, (fragment, problem.message)


def check_text(case: Case, text: str, prefix: str = "") -> None:
    """The printed error: one problem, at the right place, saying what is expected."""
    assert "Traceback" not in text
    assert text.startswith(f"{prefix}{case.load}: 1 problem in the scenario\n"), text  # the file loaded
    lines = [ln for ln in text.splitlines() if ln.startswith("  ")]
    assert len(lines) == 1, text
    where = f"{case.file}:{case.line}" if case.line else case.file
    head = f"  {prefix}{where}: {case.path}:" if case.path else f"  {prefix}{where}:"
    assert lines[0].startswith(head), (head, lines[0])
    for fragment in case.says:
        assert fragment in lines[0], (fragment, lines[0])
    for fragment in case.fields:
        file_line = re.search(r"\((.*):(\d+)\)$", fragment)
        assert fragment.replace(file_line.group(0), f"({prefix}{file_line.group(1)}:{file_line.group(2)})") \
            in lines[0], (fragment, lines[0])


# ---------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_api(case, tmp_path, monkeypatch):
    path = write(case, tmp_path)
    monkeypatch.chdir(tmp_path)  # file names are shown relative to the working directory
    with pytest.raises(fc.ScenarioError, match=re.escape(case.location())) as info:
        fc.load(path.name)
    assert len(info.value.problems) == 1, str(info.value)
    check_problem(case, info.value.problems[0])
    check_text(case, str(info.value))
    with pytest.raises(fc.ScenarioError, match=re.escape(case.location())):
        fc.run(path.name)


def test_extends_cycle_names_the_chain(tmp_path, monkeypatch):
    write(BY_ID["extends_cycle"], tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(fc.ScenarioError, match="extends cycle: a.yaml → b.yaml → a.yaml"):
        fc.load("a.yaml")


# ---------------------------------------------------------------------------
# command line, in process (every case, both commands)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["run"], ["validate"]], ids=["run", "validate"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_main(case, command, tmp_path, monkeypatch, capsys):
    path = write(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    status = main(command + [path.name])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    check_text(case, err)


def test_validate_reports_every_file_and_passes_good_ones(tmp_path, monkeypatch, capsys):
    write(BY_ID["negative_area"], tmp_path / "one")
    write(BY_ID["duplicate_ids"], tmp_path / "two")
    (tmp_path / "good.yaml").write_text(REF_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status = main(["validate", "one/bad.yaml", "good.yaml", "two/bad.yaml"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out.startswith("good.yaml: ok (")
    assert "one/bad.yaml:15: site.residential_area_m2:" in err
    assert "two/bad.yaml:126: operations.revenues.commercial_rent.id:" in err


# ---------------------------------------------------------------------------
# command line, real processes
# ---------------------------------------------------------------------------

# one case per error path: YAML reading, field validation through extends, checks across fields (risks)
RUN_IN_SUBPROCESS = ["yaml_syntax", "inherited_value_reported_at_base", "correlation_not_positive_definite"]


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    """Start every real process at once: validate of all case files, and run of a few."""
    root = tmp_path_factory.mktemp("cli")
    paths = {c.id: write(c, root / c.id).relative_to(root) for c in CASES}
    cmd = [sys.executable, "-m", "fcfinance.cli"]
    started = {"validate": subprocess.Popen(cmd + ["validate"] + [str(p) for p in paths.values()], cwd=root,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                            encoding="utf-8")}
    for case_id in RUN_IN_SUBPROCESS:
        started[case_id] = subprocess.Popen(cmd + ["run", "--json", str(paths[case_id])], cwd=root,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                            encoding="utf-8")
    done = {}
    for key, proc in started.items():
        out, err = proc.communicate(timeout=120)
        done[key] = (proc.returncode, out, err)
    return done


def blocks(stderr: str) -> dict[str, str]:
    """Split ``validate`` output into one block per file (header line and its problems)."""
    found: dict[str, str] = {}
    current = None
    for line in stderr.splitlines():
        if not line.startswith("  "):
            current = line.split(": ", 1)[0]
            found[current] = line + "\n"
        else:
            found[current] += line + "\n"
    return found


def test_validate_process_status(processes):
    status, out, err = processes["validate"]
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert len(blocks(err)) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_validate_process(case, processes):
    _, _, err = processes["validate"]
    block = blocks(err)[f"{case.id}/{case.load}"]
    check_text(case, block, prefix=f"{case.id}/")


@pytest.mark.parametrize("case_id", RUN_IN_SUBPROCESS)
def test_run_process(case_id, processes):
    case = BY_ID[case_id]
    status, out, err = processes[case_id]
    assert status == 2
    assert out == ""
    check_text(case, err, prefix=f"{case.id}/")


# ---------------------------------------------------------------------------
# faults that were once reported badly (regressions)
# ---------------------------------------------------------------------------

def load_error(tmp_path, monkeypatch, text: str) -> fc.ScenarioError:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(fc.ScenarioError) as info:
        fc.load("bad.yaml")
    return info.value


def test_bad_month_names_the_value_once(tmp_path, monkeypatch):
    # schema._month's message already names the value; it must not be appended a second time
    err = load_error(tmp_path, monkeypatch, edited("      date: 2026-01", "      date: 2024-13"))
    assert str(err).count("2024-13") == 1, str(err)


def test_date_with_day_shows_the_value_as_written(tmp_path, monkeypatch):
    # YAML reads 2024-03-01 as a date: the message shows it as written, not as a Python repr
    err = load_error(tmp_path, monkeypatch, edited("      date: 2026-01", "      date: 2024-03-01"))
    assert str(err).count("2024-03-01") == 1 and "datetime" not in str(err), str(err)


@pytest.mark.parametrize("old, new, line, path, value", [
    ("      amortization: bullet", "      amortization: balloon", 148, "financing.bonds.SB2022.amortization",
     "'balloon'"),
    ("      occupancy: 0.65", "      occupancy: high", 129, "operations.revenues.parking.occupancy", "'high'"),
], ids=["amortization", "occupancy"])
def test_union_field_gives_one_message(tmp_path, monkeypatch, old, new, line, path, value):
    # a field with several accepted forms (bullet or a list; a number or a ramp): one problem, not one per form
    err = load_error(tmp_path, monkeypatch, edited(old, new))
    assert len(err.problems) == 1, str(err)
    p = err.problems[0]
    assert (p.file, p.line, p.path) == ("bad.yaml", line, path)
    assert p.message.count(value) == 1, p.message


def test_unclosed_quote_reports_its_line(tmp_path, monkeypatch):
    # the parser runs to the end of the file (line 183); the line that explains it is where the quote opens
    err = load_error(tmp_path, monkeypatch, edited("  households: 1200\n", '  households: "1200\n'))
    assert len(err.problems) == 1
    assert err.problems[0].line == 14, str(err)
    assert "YAML syntax error" in err.problems[0].message


@pytest.mark.parametrize("target", ["folder", "variant.yaml"])
def test_directory_is_a_clear_error(tmp_path, monkeypatch, capsys, target):
    # a folder given as FILE or as an extends target: status 2 and a message, no IsADirectoryError
    (tmp_path / "folder").mkdir()
    (tmp_path / "variant.yaml").write_text("extends: folder\nname: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", target]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    expected = "  folder: is a folder" if target == "folder" else "  variant.yaml:1: extends: 'folder' is a folder"
    assert expected in err, err


def test_extends_of_a_directory_names_the_extends_line(tmp_path, monkeypatch):
    (tmp_path / "folder").mkdir()
    (tmp_path / "variant.yaml").write_text("extends: folder\nname: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(fc.ScenarioError) as info:
        fc.load("variant.yaml")
    assert "variant.yaml:1: extends:" in str(info.value), str(info.value)


ACQUIRED = """\
fcfinance: 1
name: partial sections
timeline: {start: 2024-01, years: 2, frequency: month}
"""


def run_or_refuse(tmp_path, monkeypatch, text: str):
    """Computing the file or refusing it with a ScenarioError are both fine; any other exception is not."""
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    try:
        return fc.run("s.yaml")
    except fc.ScenarioError:
        return None


def test_in_kind_section_with_zero_share_and_no_window(tmp_path, monkeypatch):
    # METHOD §10: a relocation mode whose share is 0 needs no section, so a partial one must not crash
    result = run_or_refuse(tmp_path, monkeypatch, ACQUIRED + """\
site: {households: 10, residential_area_m2: 1000}
acquisition:
  signing: {start: 2024-02, months: 2}
  house_value_yuan_m2: 10000
relocation:
  shares: {cash: 1.0}
  in_kind: {area_ratio: 1.0}
""")
    if result is not None:
        # all cash: V = 1000·10000 = 1e7 元 = 1000 万元; nothing in kind
        assert result.lines["cash_compensation"] == pytest.approx(-1000.0, rel=1e-12)
        for line in ("resettlement_construction", "transition_allowance", "resident_purchases"):
            assert result.lines[line] == 0


def test_demolition_site_with_relocation_and_no_signing(tmp_path, monkeypatch):
    # a site that only demolishes needs no signing window, even beside a relocation section
    result = run_or_refuse(tmp_path, monkeypatch, ACQUIRED + """\
site: {demolition_area_m2: 1000}
acquisition:
  demolition_works_yuan_m2: 100
  demolition: {start: 2024-03, months: 2}
relocation:
  shares: {cash: 1.0}
""")
    if result is not None:
        # 1000 m² · 100 元/m² = 1e5 元 = 10 万元
        assert result.lines["demolition_works"] == pytest.approx(-10.0, rel=1e-12)


# ---------------------------------------------------------------------------
# near misses that must stay valid
# ---------------------------------------------------------------------------

def test_variant_replacing_a_distribution_is_valid(tmp_path, monkeypatch):
    # docs/method-notes.md: {uniform: …} in a variant replaces the base's {triangular: …}
    (tmp_path / "base.yaml").write_text(REF_TEXT, encoding="utf-8")
    (tmp_path / "v.yaml").write_text("extends: base.yaml\nrisks:\n  - id: land_market\n"
                                     "    dist: {uniform: [0.8, 1.1]}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert fc.load("v.yaml").model.risks[0].dist == {"uniform": [0.8, 1.1]}


def test_two_distributions_in_one_risk_is_an_error(tmp_path, monkeypatch):
    err = load_error(tmp_path, monkeypatch, edited("dist: {uniform: [0.35, 0.60]}",
                                                   "dist: {uniform: [0.35, 0.60], fixed: 0.5}"))
    assert len(err.problems) == 1
    p = err.problems[0]
    assert (p.file, p.line, p.path) == ("bad.yaml", 166, "risks.voucher_share.dist")


def test_exact_horizon_edges_are_valid(tmp_path, monkeypatch):
    # a bond maturing in the last month (2022-12 + 15 years = 2037-12) and a window ending there
    text = edited("      issue: 2022-06", "      issue: 2022-12")
    text = text.replace("      term_years: 10", "      term_years: 15")
    text = text.replace("      start: 2024-07\n      months: 12", "      start: 2037-01\n      months: 12")
    (tmp_path / "edge.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    fc.load("edge.yaml")
