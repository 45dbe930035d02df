"""Use cases as plain functions. Each one checks permissions and owns its transaction."""
