"""Residents' proposals: pages to propose, vote, comment and answer."""
