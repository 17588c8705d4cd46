"""Synthetic large projects for the scaling benchmarks: ref-a with many more land parcels."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "reference" / "ref-a.yaml"
if not REF.exists():
    REF = ROOT / "tests" / "reference" / "ref-a.yaml"


def many_parcels(count: int, folder: Path, varied: bool = True) -> Path:
    """A scenario file: ref-a plus ``count`` parcels (a review variant that ``extends`` it).

    With ``varied``, the parcels' sale months (2024-01 … 2027-12), payment
    plans (one to three installments) and uplift rules differ; otherwise they
    are identical copies of R1.  Returns the path of the file written in ``folder``.
    """
    base = folder / "ref-a.yaml"  # beside the variant: extends reaches files under the variant's folder only
    base.write_bytes(REF.read_bytes())
    lines = [f"extends: {base.name}", "land:", "  parcels:"]
    for k in range(count):
        if varied:
            sale = f"{2024 + (k // 12) % 4}-{k % 12 + 1:02d}"
            plans = ["[{after_months: 0, share: 1.0}]",
                     "[{after_months: 1, share: 0.5}, {after_months: 6, share: 0.5}]",
                     "[{after_months: 2, share: 0.3}, {after_months: 8, share: 0.3}, {after_months: 14, share: 0.4}]"]
            uplift = ["", "      uplift: {rate: 0.05, requires: [infrastructure]}",
                      "      uplift: {rate: 0.07, requires: [school, health]}"][k % 3]
            lines += [f"    - id: P{k:03d}", "      use: residential", f"      area_m2: {8000 + 37 * k}",
                      "      far: 2.2", f"      floor_price_yuan_m2: {11000 + 13 * k}", f"      sale: {sale}",
                      f"      payments: {plans[k % 3]}"] + ([uplift] if uplift else [])
        else:
            lines += [f"    - id: P{k:03d}", "      use: residential", "      area_m2: 42000", "      far: 2.6",
                      "      floor_price_yuan_m2: 14500", "      sale: 2024-03",
                      "      payments: [{after_months: 1, share: 0.5}, {after_months: 6, share: 0.5}]",
                      "      uplift: {rate: 0.06, requires: [infrastructure]}"]
    path = folder / f"ref-a-{count}-{'varied' if varied else 'identical'}-parcels.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
