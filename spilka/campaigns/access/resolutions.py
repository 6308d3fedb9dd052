"""Access helpers for model resolutions and adoptions."""

__all__: list[str] = []
