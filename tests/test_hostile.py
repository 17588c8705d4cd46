"""Hostile input, each case its own test (issue 15): exit status 2 and a clear message naming the
file and line, never a traceback, never Python internals; wrong scenarios rejected; ``extends``
confined to the project; options checked; memory budgeted.

Cases are ref-a.yaml with one edit, run through the command line's ``main`` in
process (cheap).  See docs/safety.md.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import fcfinance as fc
from fcfinance.cli import main
from fcfinance.errors import UsageError
from fcfinance.montecarlo import budget
from fcfinance.result import json_text
from tests.conftest import REFERENCE, ROOT

REF_TEXT = (REFERENCE / "ref-a.yaml").read_text(encoding="utf-8")
INTERNALS = ("ScalarNode", "TaggedScalar", "CommentedMap", "CommentedSeq", "Traceback", "object at 0x")


def edited(old: str, new: str, text: str = REF_TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


def rejected(capsys, argv: list[str], *says: str) -> str:
    """Run ``fcfinance argv``: exit 2, nothing on stdout, every fragment in the message, no internals."""
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    for fragment in says:
        assert fragment in err, err
    for internal in INTERNALS:
        assert internal not in err, err
    return err


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FCFINANCE_ROOT", raising=False)
    return tmp_path


def write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


# -- YAML merge keys and tags -------------------------------------------------------------------

def test_merge_key_of_a_flow_mapping_anchor_is_read(here, capsys):
    text = edited("signing: {start: 2022-04, months: 6}", "signing: &w {start: 2022-04, months: 6}")
    text = edited("  demolition: {start: 2022-10, months: 4}", "  demolition: {<<: *w}", text)
    s = fc.load(write(here, "m.yaml", text))
    assert s.model.acquisition.demolition.start == "2022-04" and s.model.acquisition.demolition.months == 6


def test_merge_key_of_a_scalar_is_a_clear_error(here, capsys):
    text = edited("  demolition: {start: 2022-10, months: 4}", "  demolition: {<<: 3}")
    rejected(capsys, ["validate", write(here, "m.yaml", text)],
             f"m.yaml:{line_of(text, '<<: 3')}:", "merge key (<<) takes a mapping")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!omap [{a: 1}]", "!!set {a}",
                                 "!custom 3", "!!binary aGk="])
def test_tags_are_a_clear_error(here, capsys, tag):
    text = edited("  households: 1200", f"  households: {tag}")
    rejected(capsys, ["validate", write(here, "t.yaml", text)], "t.yaml:14:", "YAML tag", "not allowed")


def test_mapping_as_key_is_a_clear_error(here, capsys):
    text = edited("  households: 1200", "  ? {a: 1}\n  : 3")
    rejected(capsys, ["validate", write(here, "k.yaml", text)], "k.yaml:14:", "plain name")


# -- extends: ids, lists, paths -----------------------------------------------------------------

def test_list_as_id_in_a_variant_is_a_clear_error(here, capsys):
    write(here, "base.yaml", REF_TEXT)
    text = "extends: base.yaml\ngrants:\n  - id: [x]\n    amount_yuan: 5\n    date: 2023-01\n"
    rejected(capsys, ["validate", write(here, "v.yaml", text)], "v.yaml:3:", "valid string")


def test_duplicate_ids_in_a_variant_are_rejected_with_both_lines(here, capsys):
    write(here, "base.yaml", REF_TEXT)
    text = ("extends: base.yaml\ngrants:\n  - {id: g1, amount_yuan: 5, date: 2023-01}\n"
            "  - {id: g1, amount_yuan: 6, date: 2023-01}\n")
    rejected(capsys, ["validate", write(here, "v.yaml", text)], "v.yaml:4: grants.g1:", "duplicate id 'g1'",
             "first at v.yaml:3")


def test_empty_payments_is_a_clear_error(here, capsys):
    text = edited("      payments: [{after_months: 3, share: 1.0}]", "      payments: []")
    rejected(capsys, ["validate", write(here, "p.yaml", text)], f"p.yaml:{line_of(text, 'payments: []')}:",
             "payments", "at least 1 item")


def test_extends_path_over_255_characters(here, capsys):
    text = "extends: " + "a" * 300 + ".yaml\nname: x\n"
    rejected(capsys, ["validate", write(here, "long.yaml", text)], "long.yaml:1: extends:")


def test_symlink_loop(here, capsys):
    os.symlink("loop2.yaml", here / "loop1.yaml")
    os.symlink("loop1.yaml", here / "loop2.yaml")
    rejected(capsys, ["validate", "loop1.yaml"], "loop1.yaml:", "loop of symbolic links")
    write(here, "v.yaml", "extends: loop1.yaml\n")
    rejected(capsys, ["validate", "v.yaml"], "v.yaml:1: extends:", "loop of symbolic links")


# -- text: encoding and characters ---------------------------------------------------------------

def test_non_utf8_names_the_line(here, capsys):
    (here / "b.yaml").write_bytes(REF_TEXT.encode().replace(b"households: 1200", b"households: 1200 # \xff"))
    rejected(capsys, ["validate", "b.yaml"], "b.yaml:14:", "not UTF-8")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_name_the_line(here, capsys, char):
    text = edited("  households: 1200", f"  households: 12{char}00")
    rejected(capsys, ["validate", write(here, "c.yaml", text)], "c.yaml:14:", f"U+{ord(char):04X}")


# -- numbers: finite and bounded -------------------------------------------------------------------

@pytest.mark.parametrize("value,says", [(".inf", "finite"), ("-.inf", "finite"), (".nan", "finite"),
                                        ("1e308", "less than or equal")])
def test_non_finite_and_huge_numbers_are_rejected(here, capsys, value, says):
    text = edited("  house_value_yuan_m2: 22000", f"  house_value_yuan_m2: {value}")
    rejected(capsys, ["validate", write(here, "n.yaml", text)], "n.yaml:21: acquisition.house_value_yuan_m2:", says)


def test_vanishing_numbers_are_rejected(here, capsys):
    """A bond of 1e-300 元 made bond coverage overflow to inf (found by the fuzzer)."""
    text = edited("  households: 1200", "  households: 1e-300")
    rejected(capsys, ["validate", write(here, "t.yaml", text)], "t.yaml:14: site.households:", "too small")


@pytest.mark.parametrize("old,new", [("discount_rate: 0.05", "discount_rate: 3.0"),
                                     ("coupon_rate: 0.032", "coupon_rate: 2.0"),
                                     ("gap_rate: 0.045", "gap_rate: 1.5")])
def test_rates_have_an_upper_bound(here, capsys, old, new):
    if old not in REF_TEXT:
        pytest.skip(f"{old} not in ref-a.yaml")
    text = edited(old, new)
    rejected(capsys, ["validate", write(here, "r.yaml", text)], f"r.yaml:{line_of(text, new)}:",
             "less than or equal to 1")


def test_json_never_prints_infinity_or_nan(capsys, ref_a_path):
    assert main(["run", "--json", str(ref_a_path)]) == 0
    out = capsys.readouterr().out

    def refuse(name):
        raise AssertionError(f"{name} in the JSON")
    json.loads(out, parse_constant=refuse)
    assert json.loads(json_text({"a": float("inf"), "b": [np.nan, -np.inf, 1.5]})) == {"a": None,
                                                                                         "b": [None, None, 1.5]}


def test_risk_listing_a_target_twice_is_rejected(here, capsys):
    old = "    scale: [land.parcels.*.floor_price_yuan_m2]"
    text = edited(old, "    scale: [land.parcels.*.floor_price_yuan_m2, land.parcels.*.floor_price_yuan_m2]")
    rejected(capsys, ["validate", write(here, "d.yaml", text)], f"d.yaml:{line_of(text, 'scale: [land')}:",
             "listed twice")


def test_risk_reaching_a_target_twice_through_a_star_is_rejected(here, capsys):
    old = "    scale: [land.parcels.*.floor_price_yuan_m2]"
    text = edited(old, "    scale: [land.parcels.*.floor_price_yuan_m2, land.parcels.R1.floor_price_yuan_m2]")
    rejected(capsys, ["validate", write(here, "d.yaml", text)], "also reached by")


def test_discrete_shift_of_1e19_months_fails_validation(here, capsys):
    text = edited("dist: {discrete: {values: [0, 12], probs: [0.8, 0.2]}}",
                  "dist: {discrete: {values: [0, 1e19], probs: [0.8, 0.2]}}")
    rejected(capsys, ["validate", write(here, "s.yaml", text)], f"s.yaml:{line_of(text, '1e19')}:",
             "shift_months moves dates by at most")


def test_set_draws_outside_the_field_bounds_are_rejected(here, capsys):
    text = edited("dist: {uniform: [0.35, 0.60]}", "dist: {uniform: [0.35, 1.60]}")
    rejected(capsys, ["validate", write(here, "s.yaml", text)], "outside the bounds [0, 1]")


def test_full_width_digits_in_a_date_are_rejected(here, capsys):
    text = edited("  start: 2022-01 ", "  start: '２０２２-01' ")
    rejected(capsys, ["validate", write(here, "w.yaml", text)], "w.yaml:8: timeline.start:", "YYYY-MM")


def test_version_true_is_rejected(here, capsys):
    text = edited("fcfinance: 1", "fcfinance: true")
    rejected(capsys, ["validate", write(here, "v.yaml", text)], "v.yaml:5: fcfinance:", "format version 1")


# -- simulate without risks, fc.load(text) ------------------------------------------------------------

def test_simulate_without_risks_says_there_is_nothing_to_simulate(here, capsys):
    text = REF_TEXT[:REF_TEXT.index("risks:")] + "simulation: {paths: 64}\n"
    rejected(capsys, ["simulate", write(here, "n.yaml", text)], "no risks", "nothing to simulate")


def test_load_given_yaml_text_says_a_path_was_expected():
    with pytest.raises(fc.ScenarioError) as info:
        fc.load(REF_TEXT)
    message = str(info.value)
    assert "expected the path of a scenario file" in message and "fcfinance.loads" in message
    assert len(message) < 300


def test_loads_reads_text():
    assert fc.loads(REF_TEXT).sha256 == fc.load(REFERENCE / "ref-a.yaml").sha256
    with pytest.raises(fc.ScenarioError, match=r"mine.yaml:14: site.households"):
        fc.loads(edited("households: 1200", "households: x"), name="mine.yaml")


# -- extends reach --------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "/dev/zero", "../outside.yaml",
                                    "../../../../../../../../etc/hosts.yaml"])
def test_extends_reaches_only_files_in_the_project(here, capsys, target):
    (here / "proj").mkdir()
    write(here, "outside.yaml", REF_TEXT)
    write(here / "proj", "v.yaml", f"extends: {target}\n")
    rejected(capsys, ["validate", "proj/v.yaml"], "proj/v.yaml:1: extends:", "outside the project folder")


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "/dev/zero"])
def test_extends_reaches_only_yaml_files_even_under_a_wide_root(here, capsys, target):
    write(here, "v.yaml", f"extends: {target}\n")
    rejected(capsys, ["validate", "--root", "/", "v.yaml"], "v.yaml:1: extends:", "not a YAML file")


def test_extends_absolute_path_outside_the_project(here, capsys):
    (here / "proj").mkdir()
    write(here, "outside.yaml", REF_TEXT)
    write(here / "proj", "v.yaml", f"extends: {here / 'outside.yaml'}\n")
    rejected(capsys, ["validate", "proj/v.yaml"], "outside the project folder")


def test_extends_of_a_fifo_or_device_named_yaml(here, capsys):
    os.mkfifo(here / "pipe.yaml")
    write(here, "v.yaml", "extends: pipe.yaml\n")
    rejected(capsys, ["validate", "v.yaml"], "pipe.yaml:", "not a regular file")
    os.symlink("/dev/zero", here / "zero.yaml")
    write(here, "z.yaml", "extends: zero.yaml\n")
    rejected(capsys, ["validate", "z.yaml"], "z.yaml:1: extends:", "outside the project folder")  # via a link
    rejected(capsys, ["validate", "--root", "/", "z.yaml"], "zero.yaml:", "not a regular file")


def test_root_option_and_environment_widen_the_reach(here, capsys, monkeypatch):
    (here / "proj").mkdir()
    write(here, "outside.yaml", REF_TEXT)
    write(here / "proj", "v.yaml", "extends: ../outside.yaml\nname: v\n")
    assert main(["validate", "proj/v.yaml"]) == 2
    assert main(["validate", "--root", str(here), "proj/v.yaml"]) == 0
    assert main(["--root", str(here), "validate", "proj/v.yaml"]) == 0
    monkeypatch.setenv("FCFINANCE_ROOT", str(here))
    assert main(["validate", "proj/v.yaml"]) == 0
    capsys.readouterr()


def test_project_root_marker_lets_scenarios_extend_models(here, capsys):
    for folder in ("scenarios", "models"):
        shutil.copytree(ROOT / folder, here / folder)
    assert main(["validate", *sorted(str(p) for p in (here / "scenarios").glob("*.yaml"))]) == 0
    assert main(["validate", str(ROOT.parent / "shared" / "reference" / "ref-a.yaml")]) == 0
    capsys.readouterr()


# -- size and alias expansion -----------------------------------------------------------------------

def test_billion_laughs_is_refused_quickly(here, capsys):
    text = 'fcfinance: 1\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    rejected(capsys, ["validate", write(here, "lol.yaml", text)], "lol.yaml:", "more than 100,000 values")


def test_huge_file_is_refused(here, capsys):
    (here / "big.yaml").write_text(REF_TEXT + ("# " + "x" * 78 + "\n") * 20000, encoding="utf-8")
    rejected(capsys, ["validate", "big.yaml"], "big.yaml:", "larger than 1024 KiB")


def test_deep_nesting_is_refused(here, capsys):
    rejected(capsys, ["validate", write(here, "deep.yaml", "a: " + "[" * 3000 + "]" * 3000 + "\n")],
             "deep.yaml:", "nested")


# -- options -----------------------------------------------------------------------------------

@pytest.mark.parametrize("options", [["--paths", "0"], ["--paths", "-1"], ["--seed", "-1"], ["--replicates", "0"],
                                     ["--chunk", "0"], ["--chunk", "-5"], ["--threads", "0"], ["--workers", "-1"],
                                     ["--target-se", "0"], ["--target-se", "-0.1"], ["--target-se", "nan"],
                                     ["--max-paths", "0"], ["--sobol-indices", "-1"], ["--paths", "1e3"]])
def test_bad_options_exit_2_with_a_message(capsys, ref_a_path, options):
    with pytest.raises(SystemExit) as info:
        main(["simulate", str(ref_a_path), *options])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {options[0]}" in err and "expected" in err and "Traceback" not in err


def test_paths_beyond_memory_are_refused_with_an_estimate(capsys, ref_a_path, monkeypatch):
    monkeypatch.setattr(budget, "available_memory", lambda: 2**30)
    err = rejected(capsys, ["simulate", str(ref_a_path), "--paths", "100000000"], "100,000,000 paths would need",
                   "GiB of memory", "available", "--target-se")
    scenario = fc.load(ref_a_path)
    per = budget.bytes_per_path(scenario)
    assert f"{per:,} bytes per path" in err
    assert per == 8 * (len(budget_metrics()) + len(scenario.model.risks)) + 4 * scenario.timeline.periods + 1


def budget_metrics():
    from fcfinance.montecarlo.simulate import PATH_METRICS

    return PATH_METRICS


def test_target_se_stops_doubling_before_memory_runs_out(ref_a_path, monkeypatch):
    scenario = fc.load(ref_a_path)
    per = budget.bytes_per_path(scenario)
    monkeypatch.setattr(budget, "available_memory", lambda: int(300 * per / budget.SHARE))
    sim = fc.simulate(scenario, paths=64, seed=1, sampling="random", target_se=1e-9)
    assert sim.paths == 256
    assert any("not reached" in n and "memory" in n for n in sim.notes), sim.notes
    with pytest.raises(UsageError, match="would need"):
        fc.simulate(scenario, paths=1000, seed=1, sampling="random")
