"""The logged study sessions as CSV, one row a session, for spreadsheets.

A cell a spreadsheet would read as a formula (``=HYPERLINK(...)``, ``+``, ``-``,
``@``, or a leading tab or carriage return) is prefixed with ``'``, so a note
can never run code when the file is opened.
"""

from __future__ import annotations

import csv
import io

from gapcli.render.numbers import num
from gapcli.render.sanitize import clean
from gapcli.views.export import Export

HEADER = ["id", "date", "hours", "minutes", "domain", "domain_name", "topic", "topic_name", "note"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | None) -> str:
    text = clean(value or "", keep_newlines=True)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(data: Export) -> str:
    catalog = data.snap.catalog
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for s in data.records.sessions:
        domain = catalog.domain_by_id.get(s.domain_id)
        topic = catalog.topic_by_id.get(s.topic_id) if s.topic_id else None
        writer.writerow(
            [
                s.id,
                s.day.isoformat(),
                num(s.minutes / 60, 2),
                s.minutes,
                csv_cell(s.domain_id),
                csv_cell(domain.name if domain else ""),
                csv_cell(s.topic_id),
                csv_cell(topic.name if topic else ""),
                csv_cell(s.note),
            ]
        )
    return buffer.getvalue()
