"""Applying on a family's behalf (DK-31): a guide fills in the application with the family, in
the family's language; the family gets a link, sees what was filled in and says yes, or
corrects it. Only the family's yes sends the application to the guides' queue."""
