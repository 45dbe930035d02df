"""The public map of reported problems."""
