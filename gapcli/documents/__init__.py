"""Documents gapcli writes and reads back: one model each, importable by every layer.

A leaf package: it imports the pure domain and pydantic, never ``render``,
``services`` or ``store``, so the writer (``render``) and the reader
(``services``) share a model without importing each other.
"""
