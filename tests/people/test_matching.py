"""Is it the same person? The matching rules as a table (issue 12), and the pieces they use:
names folded across scripts and spellings, the CPR number checked and kept only as a hash."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from portal.applications.models import Applicant, Participant
from portal.people import cpr, names
from portal.people.matching import Someone, Verdict, compare

BORN = date(2015, 3, 14)
LAYLA = Someone("Layla", "Ahmed", BORN, phone="+4520123456", email="familie@example.org")

#: (why, the earlier application's person, the verdict for LAYLA)
TABLE = [
    # Certain: the same name once folded, the same birth date and a shared contact.
    ("the same, again", Someone("Layla", "Ahmed", BORN, phone="+4520123456"), Verdict.CERTAIN),
    ("case, spaces", Someone(" LAYLA ", "ahmed", BORN, email="FAMILIE@example.org"),
     Verdict.CERTAIN),
    ("accents and hyphens", Someone("Laylá", "Ah-med", BORN, phone="+4520123456"),
     Verdict.CERTAIN),
    ("first and last name swapped", Someone("Ahmed", "Layla", BORN, phone="+4520123456"),
     Verdict.CERTAIN),
    ("the same CPR number, however written",
     Someone("Leila", "Ahmad", BORN, cpr_hash="h1"), Verdict.CERTAIN),
    # Possible: a guide decides.
    ("the same name, another phone", Someone("Layla", "Ahmed", BORN, phone="+4529999999"),
     Verdict.POSSIBLE),
    ("another Latin spelling of an Arabic name", Someone("Leila", "Ahmad", BORN),
     Verdict.POSSIBLE),
    ("another spelling and the same phone", Someone("Laila", "Ahmed", BORN, phone="+4520123456"),
     Verdict.POSSIBLE),
    ("written in Arabic only (no Latin spelling kept)",
     Someone("ليلى", "أحمد", BORN, phone="+4520123456"), Verdict.POSSIBLE),
    # Not the same.
    ("twins: same birth date and family, another first name",
     Someone("Sara", "Ahmed", BORN, phone="+4520123456"), Verdict.DIFFERENT),
    ("the same common name, another birth date",
     Someone("Layla", "Ahmed", date(2015, 3, 15), phone="+4520123456"), Verdict.DIFFERENT),
    ("another CPR number, all else the same",
     Someone("Layla", "Ahmed", BORN, cpr_hash="h2", phone="+4520123456"), Verdict.DIFFERENT),
]  # fmt: skip


@pytest.mark.parametrize(("why", "earlier", "verdict"), TABLE, ids=[row[0] for row in TABLE])
def test_matching_rules(why: str, earlier: Someone, verdict: Verdict) -> None:
    me = LAYLA
    if earlier.cpr_hash:
        me = Someone(me.first, me.last, me.birth_on, cpr_hash="h1", phone=me.phone)
    assert compare(me, earlier) is verdict, why
    assert compare(earlier, me) is verdict, "the rules do not depend on which came first"


def test_a_name_in_arabic_is_compared_by_the_latin_spelling_the_family_gave(app: Flask) -> None:
    written = Participant(first_name="ليلى", last_name="أحمد", birth_on=BORN)
    written.latin_first_name, written.latin_last_name = "Layla", "Ahmed"
    applicant = Applicant(phone="+4520123456")
    assert compare(Someone.of(written, applicant), LAYLA) is Verdict.CERTAIN
    assert written.both_names == "Layla Ahmed · ليلى أحمد"


def test_the_same_name_in_arabic_script_twice_is_certain() -> None:
    a = Someone("ليلى", "أحمد", BORN, phone="+4520123456")
    assert compare(a, Someone("ليلى", "أحمد", BORN, phone="+4520123456")) is Verdict.CERTAIN
    assert compare(a, Someone("سارة", "أحمد", BORN, phone="+4520123456")) is Verdict.DIFFERENT


def test_a_cpr_number_on_one_side_only_decides_nothing() -> None:
    with_cpr = Someone("Layla", "Ahmed", BORN, cpr_hash="h1", phone="+4520123456")
    assert compare(with_cpr, LAYLA) is Verdict.CERTAIN  # name, birth date and contact
    assert compare(with_cpr, Someone("Sara", "Ahmed", BORN)) is Verdict.DIFFERENT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohammed", "Muhammad"),
        ("Layla", "Leila"),
        ("Yusuf", "Youssef"),
        ("Ahmed", "Ahmad"),
        ("Søren", "Soren"),
    ],
)
def test_spellings_of_one_name_sound_alike(a: str, b: str) -> None:
    assert names.sound(a) == names.sound(b)
    assert names.similar(a, "X", b, "X")


@pytest.mark.parametrize(("a", "b"), [("Layla", "Sara"), ("Omar", "Amira"), ("Ali", "Yusuf")])
def test_different_names_are_not_alike(a: str, b: str) -> None:
    assert not names.similar(a, "Ahmed", b, "Ahmed")


def test_names_in_other_scripts_get_a_latin_suggestion() -> None:
    assert names.is_latin("Zoë-Ann Østergård")
    assert not names.is_latin("ليلى أحمد") and not names.is_latin("Олена")
    assert names.latin_suggestion("Олена Шевченко") == "Olena Shevchenko"
    assert names.latin_suggestion("ተስፋይ") == "Tesfay"
    suggestion = names.latin_suggestion("ليلى")
    assert suggestion and names.is_latin(suggestion)
    # The folded key ignores case, accents, spaces and hyphens, never the letters themselves.
    assert names.key("Zoë-Ann  Østergård") == names.key("zoe ann ostergard") == "zoeannostergard"


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("140315-1234", True),
        ("1403151234", True),
        ("140315 1234", True),
        ("١٤٠٣١٥١٢٣٤", False),  # the form field turns these into ASCII digits first
        ("310215-1234", False),  # 31 February
        ("14031512345", False),
        ("140315-123", False),
        ("abcdef-1234", False),
    ],
)
def test_a_cpr_number_is_checked_for_form(typed: str, ok: bool) -> None:
    assert (cpr.parse(typed) is not None) is ok


def test_a_cpr_number_is_never_shown_and_kept_only_as_a_keyed_hash(app: Flask) -> None:
    """DK-04: masked when shown, an HMAC under the configured key when kept."""
    number = cpr.parse("140315-1234")
    assert number is not None
    assert str(number) == repr(number) == "140315-XXXX"
    assert cpr.fits(number, BORN) and not cpr.fits(number, date(2015, 3, 15))
    with app.app_context():
        hashed = number.hashed()
        assert "1234" not in hashed and len(hashed) == 64
        assert hashed == cpr.parse("1403151234").hashed()  # type: ignore[union-attr]
        assert hashed != number.hashed("another key")
        # Re-keying: with the old key, the number is found among the 10,000 after its date.
        old = number.hashed("old key")
        assert cpr.recover(old, number.birth_part, "old key") == "1403151234"
