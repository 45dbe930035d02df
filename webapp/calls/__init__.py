"""Calls for plans: the administrator opens them with their limits; planners see the open ones."""
