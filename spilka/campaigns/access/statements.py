"""Access helpers for joint statements, co-signatures and bills."""

__all__: list[str] = []
