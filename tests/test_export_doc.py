"""The JSON export document: one model (gapcli/documents/export_doc.py) written and read.

``export -f json`` dumps the model and ``import`` validates a file with it, so
whatever a learner's record holds, export → import → export gives back the same
document, byte for byte.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcli.documents.export_doc import SCHEMA, ExportDoc

TODAY = date(2026, 11, 30)  # conftest pins GAPCLI_TODAY
TOPICS = ["la-visual", "rag-why", "ps-distributions", "ft-lora-mechanics", "rag"]
# Text a learner may type, hostile characters included; gapcli may refuse some of it.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
)


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


ACTIONS = st.one_of(
    st.builds(
        lambda topic, minutes, ago, note, done: (
            "log-progress",
            topic,
            "--minutes",
            str(minutes),
            "--date",
            _day(ago),
            *(("--note", note) if note is not None else ()),
            *(("--done",) if done else ()),
        ),
        st.sampled_from(TOPICS),
        st.integers(1, 600),
        st.integers(0, 60),
        st.none() | TEXT,
        st.booleans(),
    ),
    st.builds(lambda topic: ("log-progress", topic, "--todo"), st.sampled_from(TOPICS[:4])),
    st.builds(
        lambda start, days, note: (
            "away",
            "add",
            _day(-start),
            _day(-start - days),
            *(("--note", note) if note is not None else ()),
        ),
        st.integers(1, 60),
        st.integers(0, 6),
        st.none() | TEXT,
    ),
    st.builds(
        lambda topic, text, link: (
            "note",
            topic,
            text,
            *(("--link", link) if link is not None else ()),
        ),
        st.sampled_from(TOPICS[:4]),
        TEXT,
        st.none() | st.just("https://example.org/a?b=c"),
    ),
    st.builds(lambda ago: ("read", "vaswani-2017", "--date", _day(ago)), st.integers(0, 30)),
    st.builds(lambda m: ("config", "set", "min-session", str(m)), st.integers(15, 120)),
    st.just(("assess", "--math-level", "light")),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, max_size=6))
def test_export_import_export_gives_the_same_document(
    cli: Any, demo: Path, tmp_path_factory: Any, actions: list[tuple[str, ...]]
) -> None:
    folder = tmp_path_factory.mktemp("round-trip")
    source = folder / "source.db"
    source.write_bytes(demo.read_bytes())
    for action in actions:
        cli("--db", str(source), *action)  # refused input is fine: the record is what it is
    first = cli("--db", str(source), "export", "-f", "json")
    assert first.exit_code == 0, first.stderr
    file = folder / "export.json"
    file.write_text(first.stdout, encoding="utf-8")
    restored = folder / "restored.db"
    imported = cli("--db", str(restored), "import", str(file))
    assert imported.exit_code == 0, imported.stderr
    again = cli("--db", str(restored), "export", "-f", "json")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout


def test_the_model_reads_what_the_writer_wrote(cli: Any, demo: Path) -> None:
    """The file validates against the model it was dumped from, and dumps back the same."""
    text = cli("export", "-f", "json").stdout
    doc = ExportDoc.model_validate_json(text)
    assert doc.schema_ == SCHEMA
    assert doc.dump() == json.loads(text)


def test_the_writer_and_the_model_import_no_service_nor_store() -> None:
    """The model is a leaf both layers import; render's writer takes the gathered export."""
    script = (
        "import sys\n"
        "import gapcli.render.json_export, gapcli.documents.export_doc\n"
        "print(sorted(m for m in sys.modules if m.startswith(('gapcli.services', "
        "'gapcli.store', 'gapcli.render.terminal'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
