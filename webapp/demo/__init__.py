"""Demo data for `make run`: two municipalities, accounts, reports, proposals and an open call."""
