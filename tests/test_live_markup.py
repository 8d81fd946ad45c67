"""No live markup: attributes from a source never reach a page, even when `check` is bypassed."""

from __future__ import annotations

from html.parser import HTMLParser

from styrdok import pandoc
from styrdok.render.html import body_html

HOSTILE = """\
Ett [ord]{onclick=alert(1)} och [länk](https://www.timra.se){onmouseover=alert(2) style=color:red}
och `kod`{formaction=https://evil.example} och [fält]{autofocus=1 onfocus=alert(3)} och [x]{lang=en}.

::: {#ruta .warning onclick=alert(4) data-x=1}
Ett stycke.
:::

## Rubrik {#rubrik onclick=alert(5) style=display:none}

```{.python onclick=alert(6)}
x = 1
```

Text {#tom onclick=alert(7)} slut.
"""


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value) for name, value in attrs]


def _attributes(html: str) -> list[tuple[str, str, str | None]]:
    parser = _Attributes()
    parser.feed(html)
    return parser.found


def test_the_html_renderer_drops_every_attribute_beyond_id_class_and_lang() -> None:
    blocks = [block for _, block in pandoc.read_markdown(HOSTILE)]  # not checked: the renderer alone
    html = body_html(blocks)
    names = {name for _, name, _ in _attributes(html)}
    assert not {n for n in names if n.startswith("on")}, html
    assert not names & {"style", "formaction", "autofocus", "data-x"}, html
    # what is harmless stays: ids (links and redlines need them), lang, pandoc's own code markup
    assert ("span", "lang", "en") in _attributes(html)
    assert ("h2", "id", "rubrik") in _attributes(html)
    assert "alert(" not in html


def test_check_refuses_each_attribute_with_its_line(tmp_path) -> None:
    from styrdok import source

    front = "---\ntitle: Prov\ntype: policy\nowner: kommunstyrelsen\nstatus: draft\ndecisions:\n" \
            "  - action: fastställd\n    body: kommunstyrelsen\n    date: 2015-05-26\n    paragraph: 129\n---\n\n"
    path = tmp_path / "prov.md"
    path.write_text(front + HOSTILE, "utf-8")
    policy, problems = source.check_file(path)
    assert policy is None
    refused = {(p.line, p.message.split(" is not allowed")[0]) for p in problems if "is not allowed" in p.message}
    body = 13  # the line HOSTILE starts on
    assert refused >= {
        (body, "attribute 'onclick' on a span"), (body, "attribute 'onmouseover' on a link"),
        (body, "attribute 'style' on a link"), (body + 1, "attribute 'formaction' on a code span"),
        (body + 1, "attribute 'autofocus' on a span"), (body + 1, "attribute 'onfocus' on a span"),
        (body + 3, "attribute 'onclick' on a div (:::)"), (body + 3, "class 'warning' on a div (:::)"),
        (body + 3, "attribute 'data-x' on a div (:::)"), (body + 7, "attribute 'onclick' on a heading"),
        (body + 7, "attribute 'style' on a heading"), (body + 9, "attribute 'onclick' on a code block"),
        (body + 13, "attribute 'onclick' on a span"),
    }, refused
    assert all(p.hint for p in problems)
    assert not any("lang" in p.message for p in problems)
