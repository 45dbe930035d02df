"""Moderation pages: residents flag what others wrote; staff review the queue, hide, show again or keep."""
