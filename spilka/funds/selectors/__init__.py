"""Reads for money pages: querysets with their relations, no N+1."""
