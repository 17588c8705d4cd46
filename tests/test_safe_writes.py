"""Nothing of the user's lost, nothing half-written (issue 15): ``fmt`` and ``report`` write
atomically, never through a link; ``fmt`` keeps every comment and anchor; two reports never mix.
See docs/safety.md."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

import fcfinance.atomic as atomic
from fcfinance.atomic import atomic_folder, folder_lock, write_text_atomic
from fcfinance.cli import main
from fcfinance.errors import UsageError
from fcfinance.review.fmt import format_file, format_text, marks
from tests.conftest import REFERENCE

REF_TEXT = (REFERENCE / "ref-a.yaml").read_text(encoding="utf-8")
MESSY = REF_TEXT.replace("  households: 1200", "  households:   1200").replace("years: 16\n", "years: 16   \n\n\n")


def messy_copy(folder: Path, name: str = "s.yaml") -> Path:
    path = folder / name
    path.write_text(MESSY, encoding="utf-8")
    assert format_text(MESSY) != MESSY
    return path


# -- write_text_atomic ---------------------------------------------------------------------------

def test_atomic_write_keeps_permissions_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    write_text_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_atomic_write_refuses_a_link(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text("old\n")
    os.symlink(real, tmp_path / "link.yaml")
    with pytest.raises(UsageError, match="symbolic link"):
        write_text_atomic(tmp_path / "link.yaml", "new\n")
    assert real.read_text() == "old\n" and (tmp_path / "link.yaml").is_symlink()


# -- fmt -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_fmt_failing_mid_write_leaves_the_original_byte_identical(tmp_path, monkeypatch, capsys, where):
    path = messy_copy(tmp_path)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            self.f.write(data[:100])
            raise OSError(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.f, name)

    def boom(*args, **kwargs):
        raise OSError(5, "Input/output error")

    if where == "write":
        monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    elif where == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", boom)
    else:
        monkeypatch.setattr(atomic.os, "replace", boom)
    assert main(["fmt", str(path)]) == 1
    err = capsys.readouterr().err
    assert "unchanged" in err and "Traceback" not in err
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["s.yaml"]


def test_fmt_interrupted_leaves_the_original(tmp_path, monkeypatch):
    path = messy_copy(tmp_path)
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        format_file(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["s.yaml"]


def test_fmt_read_only_file_is_a_clear_error_and_the_others_are_processed(tmp_path, capsys):
    locked, other = messy_copy(tmp_path, "a.yaml"), messy_copy(tmp_path, "b.yaml")
    os.chmod(locked, 0o444)
    assert main(["fmt", str(locked), str(other)]) == 2
    err = capsys.readouterr().err
    assert "a.yaml: is read-only; left unchanged" in err
    assert locked.read_text() == MESSY
    assert other.read_text() == format_text(MESSY)


def test_fmt_refuses_a_symlink(tmp_path, capsys):
    real = messy_copy(tmp_path)
    os.symlink(real, tmp_path / "link.yaml")
    assert main(["fmt", str(tmp_path / "link.yaml")]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert real.read_text() == MESSY


LOSSY = {
    "comment in a multi-line flow mapping": (
        "  shares: {cash: 0.20, voucher: 0.45, in_kind: 0.35}",
        "  shares: {\n    cash: 0.20,   # all cash\n    voucher: 0.45,\n    in_kind: 0.35}"),
    "comment after a merge key": (
        "  demolition: {start: 2022-10, months: 4}", "  demolition:\n    <<: *w   # same window\n    start: 2022-10"),
    "comment after an alias": ("  demolition: {start: 2022-10, months: 4}", "  demolition: *w   # as signing"),
    "unused anchor": ("  households: 1200", "  households: &hh 1200"),
}


@pytest.mark.parametrize("case", sorted(LOSSY))
def test_fmt_never_loses_a_comment_or_anchor(tmp_path, case):
    old, new = LOSSY[case]
    text = REF_TEXT.replace("signing: {start: 2022-04, months: 6}", "signing: &w {start: 2022-04, months: 6}")
    text = text.replace(old, new)
    # and something to reformat elsewhere, so that the file is rewritten
    text = text.replace("  nonresidential_area_m2: 9000", "  nonresidential_area_m2:    9000")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    result = format_file(path)
    assert result.changed
    after = path.read_text(encoding="utf-8")
    assert marks(after.split("\n")) == marks(text.split("\n"))
    assert new.strip().split("\n")[0].strip() in after  # the construct kept as written
    assert "nonresidential_area_m2: 9000" in after      # the rest in the canonical layout
    assert format_text(after) == after


def test_fmt_keeps_a_construct_as_written_but_reindented(tmp_path):
    part = REF_TEXT[REF_TEXT.index("relocation:"):REF_TEXT.index("\nworks:")]
    wide = "\n".join("  " + line if line.startswith("  ") else line for line in part.split("\n"))
    wide = wide.replace("    shares: {cash: 0.20, voucher: 0.45, in_kind: 0.35}",
                        "    shares: {\n        cash: 0.20,  # c\n        voucher: 0.45,\n        in_kind: 0.35}")
    text = REF_TEXT.replace(part, wide)
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    format_file(path)
    after = path.read_text(encoding="utf-8")
    assert "\n  shares: {\n      cash: 0.20,  # c\n" in after and "\n  cash_bonus_rate: 0.0\n" in after
    assert marks(after.split("\n")) == marks(text.split("\n"))


# -- report --------------------------------------------------------------------------------------

def fake_pack(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    files = {"summary.md": b"# old pack\n", "workbook.xlsx": b"old workbook", "summary.pdf": b"old pdf"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture
def one_chart(monkeypatch):
    """A pack of one base chart in PNG only, and no Monte Carlo: fast."""
    import fcfinance.report.pack as pack

    monkeypatch.setattr(pack, "CHARTS", [c for c in pack.CHARTS if c[2] == "base"][:1])
    return pack


def no_risks(tmp_path: Path) -> Path:
    path = tmp_path / "n.yaml"
    path.write_text(REF_TEXT[:REF_TEXT.index("risks:")], encoding="utf-8")
    return path


def test_report_interrupted_leaves_the_previous_pack_whole(tmp_path, monkeypatch, one_chart):
    out = tmp_path / "pack"
    old = fake_pack(out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(one_chart, "write_workbook", interrupted)
    with pytest.raises(KeyboardInterrupt):
        one_chart.write_report(no_risks(tmp_path), out, progress=False, formats=("png",))
    assert contents(out) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pack.lock", "n.yaml", "pack"]


def test_report_replaces_the_previous_pack_whole(tmp_path, one_chart):
    out = tmp_path / "pack"
    fake_pack(out)
    files = one_chart.write_report(no_risks(tmp_path), out, progress=False, formats=("png",))
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in files.all())
    assert (out / "summary.md").read_bytes() != b"# old pack\n" and (out / "summary.pdf").read_bytes() != b"old pdf"


def test_second_report_into_a_busy_folder_fails_clearly(tmp_path, capsys, one_chart):
    out = tmp_path / "pack"
    old = fake_pack(out)
    with folder_lock(out):
        assert main(["report", str(no_risks(tmp_path)), "--out", str(out), "--no-progress"]) == 2
    assert "another fcfinance run is writing into this folder" in capsys.readouterr().err
    assert contents(out) == old


def test_report_refuses_a_link_and_a_folder_of_other_files(tmp_path, capsys, one_chart):
    real = tmp_path / "real"
    fake_pack(real)
    os.symlink(real, tmp_path / "link")
    assert main(["report", str(no_risks(tmp_path)), "--out", str(tmp_path / "link"), "--no-progress"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    (real / "notes.txt").write_text("mine")
    assert main(["report", str(no_risks(tmp_path)), "--out", str(real), "--no-progress"]) == 2
    assert "notes.txt" in capsys.readouterr().err and (real / "notes.txt").read_text() == "mine"


def test_two_concurrent_writers_never_mix(tmp_path):
    """Two threads build the same folder at once: one fails at once, the folder holds the other's files only."""
    out = tmp_path / "pack"
    results: dict[str, str] = {}
    started = threading.Barrier(2)

    def writer(tag: str) -> None:
        try:
            started.wait()
            with atomic_folder(out) as staging:
                for k in range(5):
                    (staging / f"f{k}.txt").write_text(tag)
                    time.sleep(0.05)
            results[tag] = "done"
        except UsageError as exc:
            results[tag] = str(exc)

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done = [tag for tag, r in results.items() if r == "done"]
    assert len(done) == 1, results
    other = ({"a", "b"} - set(done)).pop()
    assert "another fcfinance run" in results[other]
    assert {p.read_text() for p in out.iterdir()} == {done[0]}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pack.lock", "pack"]


WRITER = """
import sys, time
from pathlib import Path
from fcfinance.atomic import atomic_folder
from fcfinance.errors import UsageError
out, tag = Path(sys.argv[1]), sys.argv[2]
Path(sys.argv[3]).touch()
while not Path(sys.argv[4]).exists():  # both processes start writing together
    time.sleep(0.01)
try:
    with atomic_folder(out) as staging:
        for k in range(10):
            (staging / f"f{k}.txt").write_text(tag)
            time.sleep(0.1)
except UsageError as exc:
    print(exc, file=sys.stderr)
    sys.exit(2)
"""


def test_two_concurrent_processes_never_mix(tmp_path):
    """As two ``fcfinance report`` runs into one folder: the lock is across processes (fcntl.flock)."""
    import subprocess
    import sys

    out = tmp_path / "pack"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(out), tag, str(tmp_path / f"ready-{tag}"),
                               str(tmp_path / "go")], stderr=subprocess.PIPE, text=True) for tag in "ab"]
    deadline = time.time() + 60
    while not all((tmp_path / f"ready-{tag}").exists() for tag in "ab") and time.time() < deadline:
        time.sleep(0.05)
    (tmp_path / "go").touch()
    codes = [p.wait(timeout=60) for p in procs]
    errors = [p.stderr.read() for p in procs]
    # normally one fails at once; were one stalled past the other's whole run, both succeed in turn
    assert sorted(codes) in ([0, 2], [0, 0]), (codes, errors)
    if 2 in codes:
        assert "another fcfinance run is writing into this folder" in errors[codes.index(2)]
    tags = {p.read_text() for p in out.iterdir()}
    assert len(tags) == 1 and len(list(out.iterdir())) == 10, tags
