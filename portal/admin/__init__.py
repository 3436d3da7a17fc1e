"""The administrators' pages: staff members and invitations, schemes with their yearly pools
and caps, the decline reasons, and the access log a citizen may ask for."""
