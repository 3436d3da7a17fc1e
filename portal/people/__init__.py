"""People: one human across every application and year.

A :class:`~portal.applications.models.Participant` is the child (or adult) *as written on one
application*; a :class:`~portal.people.models.Person` is the human behind it. On submission the
portal looks for the same person among earlier applications (:mod:`portal.people.matching`):
a certain match links the application at once, a possible match waits for a guide. The money
caps count per person (:mod:`portal.schemes.ledger`).

Names are kept as written; :mod:`portal.people.names` compares them (case, accents, spaces,
hyphens and the Latin spelling) and :mod:`portal.people.cpr` handles the optional CPR number,
which is stored only as a keyed hash.
"""
