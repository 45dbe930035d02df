"""Places: the municipalities, their boundaries (imported from official data), and finding the one at a point."""
