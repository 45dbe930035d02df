"""Problem analytics for planners: counts, hot spots, priorities."""
