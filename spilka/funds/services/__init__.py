"""Writes to money: keyword-only ``<entity>_<verb>`` functions, each in one transaction."""
