"""What a guide does on a case, as steps for tests."""

from __future__ import annotations

from tests.auth.signing_in import Staff


def approve(staff: Staff, reference: str, amount: str = "1200", *, started: bool = True) -> None:
    """Approve; ``started``: the club's start is confirmed too (after a phone call)."""
    staff.get(f"/da/staff/cases/{reference}")
    assert (
        staff.post(f"/da/staff/cases/{reference}/approve", {"amount_kr": amount}).status_code == 303
    )
    if started:
        confirmed = staff.post(
            f"/da/staff/cases/{reference}/confirm-start", {"start_on": "2026-11-20"}
        )
        assert confirmed.status_code == 303
