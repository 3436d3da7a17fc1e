"""The clubs' side: association contacts (volunteers on phones, in the evening) sign in with a
one-time link, confirm new members' starts from the link in a message, and see their own
association's funded members only. Staff add associations and their contacts."""
