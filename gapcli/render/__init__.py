"""Rendering: view models in (``gapcli.views``, the domain's results), text / JSON / Markdown /
CSV / iCalendar out.

Nothing here computes. Render imports neither services nor the CLI, and nothing in
the domain, the store or services imports render (``tests/test_layers.py``).
"""
