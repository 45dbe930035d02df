"""Plan schemas: `input` (what planners and residents send) and `output` (what the API and snapshots show)."""
