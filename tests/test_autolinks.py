"""No text in a Markdown export becomes a link, as GitHub renders it.

GitHub's cmark-gfm links URLs (``https://``, ``ftp://``), ``www.`` names and e-mail
addresses found in plain text, with no markup around them. The README promises
that names and notes can never add a link, so the export is rendered here with
GitHub's own renderer (cmarkgfm), autolinks on, and every link in it must be one
that gapcli wrote: a catalog resource's http(s) URL.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from gapcli.render.markdown_text import md_link, md_text
from gapcli.render.sanitize import clean

LINKY = [
    "see https://evil.example/x now",
    "HTTP://EVIL.EXAMPLE",
    "ftp://files.example.org/pub",
    "www.evil.example",
    "(www.evil.example/path?q=1)",
    "mail bob@evil.example today",
    "mailto:bob@evil.example",
    "xmpp:bob@evil.example/phone",
    "a.b+c-d_e@sub.evil.example.",
]
# What links are made of, for hypothesis to mix.
PIECES = [
    *("http", "https", "ftp", "mailto", "xmpp", ":", "//", "/", "www", "WWW", ".", "@"),
    *("bob", "evil", "example", "org", "-", "_", "+", " ", "(", ")", "1", "\n"),
]
WORD_JOINER = "\u2060"


def github(markdown: str) -> str:
    """The HTML GitHub makes of ``markdown`` (tables, task lists and autolinks on)."""
    rendered: str = cmarkgfm.github_flavored_markdown_to_html(markdown)
    return rendered


def links(rendered: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<a href="([^"]*)"', rendered)]


def shown(rendered: str) -> str:
    """What a reader sees: the text without tags and the invisible word joiner."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(WORD_JOINER, "").strip()


@pytest.mark.parametrize("text", LINKY)
def test_text_that_github_would_link_stays_text(text: str) -> None:
    assert links(github(text)), "GitHub links this when it is not escaped"
    for markdown in (
        f"Note: {md_text(text)}\n",
        f"| a | b |\n| --- | --- |\n| {md_text(text)} | z |\n",
        f"- [ ] {md_text(text)}\n",
    ):
        rendered = github(markdown)
        assert links(rendered) == [], markdown
        assert clean(text) in shown(rendered)


@given(
    st.lists(
        st.sampled_from(PIECES),
        max_size=24,
    ).map("".join)
)
def test_no_text_makes_a_link(text: str) -> None:
    rendered = github(f"Note: {md_text(text)}\n")
    assert links(rendered) == []
    assert shown(rendered) == f"Note: {' '.join(clean(text).split())}".strip()


def test_a_link_title_adds_no_second_link() -> None:
    rendered = github(md_link("see https://x.org or bob@x.org", "https://example.org/a") + "\n")
    assert links(rendered) == ["https://example.org/a"]


def test_the_whole_export_links_only_catalog_resources(cli: Any, tmp_path: Path) -> None:
    catalog = {
        "catalog": 1,
        "id": "linky",
        "name": "Links www.evil.example",
        "domains": [
            {
                "id": "d1",
                "name": "Domain https://evil.example",
                "topics": [
                    {"id": "t1", "name": "Write to bob@evil.example", "hours": 2},
                    {"id": "t2", "name": "ftp://evil.example", "hours": 1, "resources": ["r"]},
                ],
            }
        ],
        "resources": [{"id": "r", "title": "www.title.example", "url": "https://good.org/r"}],
        "papers": [{"id": "p", "title": "mailto:p@evil.example", "year": 2020}],
        "tracks": [{"id": "tr", "name": "Track www.evil.example", "domains": ["d1"]}],
    }
    path = tmp_path / "linky.yaml"
    path.write_text(yaml.safe_dump(catalog, sort_keys=False))
    assert cli("--catalog", str(path), "init").exit_code == 0
    assert cli("assess", "d1", "-c", "10", "-t", "90").exit_code == 0
    note = "from https://evil.example/x and alice@evil.example, www.evil.example"
    assert cli("log-progress", "t1", "--minutes", "30", "--note", note).exit_code == 0

    result = cli("export")
    assert result.exit_code == 0, result.stderr
    rendered = github(result.stdout)
    assert links(rendered) == ["https://good.org/r"]
    seen = shown(rendered)
    for text in (note, "Write to bob@evil.example", "mailto:p@evil.example"):
        assert text in seen
