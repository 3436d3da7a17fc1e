"""The associations' side: their contacts (volunteers on phones, in the evening) confirm new
members' starts from the link in a message, see their own association's funded members only,
and keep their activities current (``views``); staff add associations and their contacts
(``staff_views``). A contact signs in through :mod:`portal.auth.contacts`."""
