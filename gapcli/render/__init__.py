"""Rendering: typed results in, terminal text / JSON / Markdown / CSV / iCalendar out.

Nothing here computes; nothing in the domain or services imports from here.
"""
