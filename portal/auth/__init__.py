"""Sign-in of every kind: staff with a password and a second factor (``views``, ``access``),
club contacts with a one-time link (``contact_views``, ``contacts``), and the one-time links
of both (``links``)."""
