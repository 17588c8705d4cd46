"""Changes that are valid only together, grouped into steps of the attribution.

Two rules are known in advance:

* the relocation shares (``relocation.shares.*``) sum to 1, so their changes
  form one step;
* an item added or removed goes with the changes that name it: a works item
  with the parcel uplifts that ``require`` it, a risk with the correlations
  that name it, any item with the risk targets that address it
  (``land.parcels.R3.sale``).

Anything else that is invalid alone is found when the step is validated
(:mod:`fcfinance.review.attribution`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .changes import Change, strings_in

SHARES = "relocation.shares."
TARGET_KEYS = ("scale", "set", "shift_months")


@dataclass
class Step:
    """Changes applied at once.

    Attributes
    ----------
    changes : list of Change
        In the order they appear in B.
    notes : list of str
        Why the changes were grouped (empty for a single change).
    """

    changes: list[Change]
    notes: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        """The paths of the changes."""
        return [c.path for c in self.changes]

    @property
    def label(self) -> str:
        """The paths joined with `` + ``; several shares as ``relocation.shares.{cash, voucher}``."""
        parts: list[str | None] = []
        shares: list[str] = []
        for path in self.paths:
            if path.startswith(SHARES):
                if not shares:
                    parts.append(None)  # where the shares appear first
                shares.append(path[len(SHARES):])
            else:
                parts.append(path)
        together = SHARES + (shares[0] if len(shares) == 1 else "{" + ", ".join(shares) + "}")
        return " + ".join(together if p is None else p for p in parts)

    def merged(self, other: Step, note: str) -> Step:
        """This step and ``other`` as one step (changes in order of appearance)."""
        return Step(self.changes + other.changes, self.notes + other.notes + [note])


def refers_to(change: Change, item: Change) -> bool:
    """Whether ``change`` names the list item that ``item`` adds or removes.

    Parameters
    ----------
    change : Change
        Any change; its old and new values are searched.
    item : Change
        A change of a whole list item (``item.item`` is True).
    """
    list_path, item_id = ".".join(item.loc[:-1]), item.loc[-1]
    for value in (change.old, change.new):
        for key, text in strings_in(value, change.loc[-1]):
            if key == "requires" and list_path == "works.items" and text == item_id:
                return True
            if key == "correlations" and list_path == "risks" and text == item_id:
                return True
            if key in TARGET_KEYS and (text == item.path or text.startswith(item.path + ".")):
                return True
    return False


def plan_steps(changes: list[Change]) -> list[Step]:
    """Group the changes by the rules known in advance, in order of first appearance.

    Returns
    -------
    list of Step
        Each step placed where its first change appears; a single change
        per step unless a rule joins them.
    """
    parent = list(range(len(changes)))
    notes: dict[int, list[str]] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def join(i: int, j: int, note: str) -> None:
        ri, rj = sorted((root(i), root(j)))
        if ri != rj:
            parent[rj] = ri
            notes[ri] = notes.get(ri, []) + notes.pop(rj, [])
        if note not in notes.setdefault(ri, []):
            notes[ri].append(note)

    shares = [i for i, c in enumerate(changes) if c.path.startswith(SHARES)]
    for i in shares[1:]:
        join(shares[0], i, "the relocation shares sum to 1: applied together")
    for i, item in enumerate(changes):
        if not item.item:
            continue
        verb = "added" if item.kind == "added" else "removed"
        for j, other in enumerate(changes):
            if j != i and refers_to(other, item):
                join(i, j, f"{item.path} is {verb} together with the references to it")

    groups: dict[int, list[Change]] = {}
    for i, change in enumerate(changes):
        groups.setdefault(root(i), []).append(change)
    return [Step(members, notes.get(r, [])) for r, members in groups.items()]
