"""Comparing names written by different people on different days, in different scripts.

A name is kept exactly as the family wrote it. To compare, the portal uses its Latin spelling
(the one the family confirmed, or for an older application a transliteration) folded to plain
lower-case letters: ``"Zoë-Ann  Østergård"`` and ``"zoe ann ostergard"`` are the same key.
For "possibly the same" it also compares a rough sound (consonants, doubled letters once), so
``Mohammed``/``Muhammad`` and ``Layla``/``Leila`` come close; the guide decides those.
"""

from __future__ import annotations

import itertools
import unicodedata
from difflib import SequenceMatcher

from anyascii import anyascii

#: Letters that are dropped for the rough sound, after the first letter (vowels and the soft
#: letters transliterations disagree on).
_SOFT = frozenset("aeiouyhw")
#: Letters transliterations swap for one another.
_SAME_SOUND = str.maketrans({"j": "y", "q": "k", "c": "k", "z": "s", "v": "w", "p": "b"})
#: How alike two spellings must be, letter by letter, to be "possibly the same".
SIMILAR = 0.8


def is_latin(text: str) -> bool:
    """Are all the letters Latin (with or without accents)?"""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def latin_suggestion(text: str) -> str:
    """The portal's transliteration, offered for the family to correct (``Олена`` →
    ``Olena``; Arabic script has no short vowels, so ``ليلى`` gives ``Lyla``)."""
    plain = anyascii(text).replace("'", "").replace("`", "")
    return " ".join(part[:1].upper() + part[1:] for part in plain.split())


def key(text: str) -> str:
    """Lower-case Latin letters only: case, accents, spaces, hyphens and script folded away."""
    return "".join(ch for ch in anyascii(text).lower() if "a" <= ch <= "z")


def sound(text: str) -> str:
    """A rough sound: the first letter, then the firm letters, each run of one letter once."""
    letters = key(text).translate(_SAME_SOUND)
    if not letters:
        return ""
    once = [letters[0]] + [b for a, b in itertools.pairwise(letters) if b != a]
    firm = [once[0]] + [ch for ch in once[1:] if ch not in _SOFT]
    return "".join(a for i, a in enumerate(firm) if i == 0 or a != firm[i - 1])


def _consonants(text: str) -> str:
    """The sound without its first letter's vowel either: Arabic script has no short vowels,
    so ``أحمد`` transliterates as ``hmd`` where a family writes ``Ahmed``."""
    found = sound(text)
    return found[1:] if found[:1] in _SOFT else found


def _alike(a: str, b: str) -> bool:
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return False
    if ka == kb or sound(a) == sound(b) or SequenceMatcher(None, ka, kb).ratio() >= SIMILAR:
        return True
    # A name kept only in its own script (before the Latin spelling was asked) against one in
    # Latin letters: compare the consonants.
    return (not is_latin(a) or not is_latin(b)) and _consonants(a) == _consonants(b)


def same(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """The same name once folded (first and last name also when swapped)."""
    a = (key(first_a), key(last_a))
    return a in ((key(first_b), key(last_b)), (key(last_b), key(first_b)))


def similar(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """Close enough that a guide should look: both parts alike (either way round)."""
    return (_alike(first_a, first_b) and _alike(last_a, last_b)) or (
        _alike(first_a, last_b) and _alike(last_a, first_b)
    )
