"""Writes for campaigns, split by concept: campaigns, petitions, resolutions, statements, legislation."""
