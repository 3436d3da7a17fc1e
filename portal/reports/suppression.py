"""Small numbers that could point at a family are never shown (issue 14).

In a breakdown of persons by age band, gender, language or area, a group of fewer than
``SMALL`` persons shows "< 5" (primary suppression). The breakdown's total is always known
exactly (it is the number of persons, shown in the report and in the success criteria), so one
hidden group alone could be worked out by subtracting the others from it. Therefore the
smallest groups still shown are hidden too (secondary suppression, "–") until the hidden
groups are at least two and hold at least ``SMALL`` persons together (or hold nobody):
subtraction then gives only the sum of several groups, never one group's number. (This is
how Danmarks Statistik and Sundhedsdatastyrelsen describe "diskretionering": primary cells
under the threshold, secondary cells so that they cannot be calculated back.)

Money is not suppressed: amounts are about the pool, not about a family."""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

#: Fewer persons than this in a group are not shown.
SMALL = 5

K = TypeVar("K", bound=Hashable)


class Hidden(enum.Enum):
    SHOWN = "shown"
    SMALL = "small"  # fewer than SMALL persons: "< 5"
    GUARD = "guard"  # hidden so that a small group cannot be calculated back: "–"


@dataclass(frozen=True)
class Cell:
    count: int
    hidden: Hidden = Hidden.SHOWN

    @property
    def shown(self) -> bool:
        return self.hidden is Hidden.SHOWN

    @property
    def text(self) -> str:
        if self.hidden is Hidden.SMALL:
            return f"< {SMALL}"
        if self.hidden is Hidden.GUARD:
            return "–"
        return str(self.count)

    @property
    def value(self) -> int | str:
        """For a spreadsheet: the number, or the text that stands in for it."""
        return self.count if self.shown else self.text


def protect(counts: Mapping[K, int]) -> dict[K, Cell]:
    """The groups of one breakdown, with the small ones and their guards hidden."""
    hidden = {key: Hidden.SMALL for key, count in counts.items() if count < SMALL}

    def safe() -> bool:
        if not hidden:
            return True
        total = sum(counts[key] for key in hidden)
        # Nobody in the hidden groups: subtraction shows only that they are empty.
        return total == 0 or (len(hidden) >= 2 and total >= SMALL)

    shown = sorted((key for key in counts if key not in hidden), key=lambda key: counts[key])
    while not safe() and shown:
        hidden[shown.pop(0)] = Hidden.GUARD
    return {key: Cell(count, hidden.get(key, Hidden.SHOWN)) for key, count in counts.items()}


def share(cell: Cell, total: int) -> float | None:
    """The group's share of the total, or None when the group's number is hidden."""
    if not cell.shown or total <= 0:
        return None
    return cell.count / total
