"""styrdok import --into: a styrdok DOCX edited in Word (typed, or with tracked changes) back
into the policy — the text equals the edited text, heading ids and front matter are kept, an
unedited DOCX changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from functools import cache

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import seed_edits
from conftest import SEED_POLICY
from docx_edit import edit_docx
from styrdok import source
from styrdok.importer.into import into
from styrdok.render.docx import render_docx
from styrdok.render.document import body_blocks, presentation, title_blocks
from styrdok.workspace import Workspace


@cache
def seed_docx(footnoted: bool = False) -> bytes:
    """The seed policy as styrdok's draft DOCX (what an officer is sent to edit)."""
    policy = source.load(SEED_POLICY, data=seed(footnoted).markdown().encode("utf-8"))
    templates = Workspace(SEED_POLICY.parent).templates
    view = presentation(policy, final=False, labels=templates.labels, theme=templates.theme)
    return render_docx(title_blocks(view) + body_blocks(policy), view, templates)


def seed(footnoted: bool) -> seed_edits.Doc:
    return seed_edits.footnoted_seed() if footnoted else seed_edits.seed_doc()


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "footnotes"])
def repo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    """A policy repository holding the seed (`footnoted`: with two footnotes), and that flag."""
    root = tmp_path_factory.mktemp("roundtrip")
    (root / "policy").mkdir()
    (root / "policy" / SEED_POLICY.name).write_text(seed(request.param).markdown(), "utf-8")
    return root, request.param


def expected_text(edited: seed_edits.Doc) -> str:
    """The seed's front matter (kept as it is) and the edited text."""
    return seed_edits.seed_doc().head + edited.markdown()[len(edited.head):]


@pytest.mark.parametrize("tracked", [False, True], ids=["typed", "tracked"])
@settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no slow shrinking
@given(data=st.data())
def test_edits_made_in_word_come_back_as_the_edited_text(data: st.DataObject, tracked: bool,
                                                         repo: tuple[Path, bool]) -> None:
    """Footnotes too: cited at a paragraph's end, they move, go and stay with it; a definition
    no longer cited goes."""
    root, footnoted = repo
    original = seed(footnoted)
    edited, _ = seed_edits.edited(data.draw, doc=original, max_edits=4)
    word = root / f"edited-{tracked}.docx"
    word.write_bytes(edit_docx(seed_docx(footnoted), original, edited, tracked=tracked))
    report, text = into(Workspace(root), word, "social-ekonomi")
    result = text.decode("utf-8") if text is not None else original.markdown()
    assert result == expected_text(edited)
    if tracked:  # rejecting every tracked change gives the policy as it was
        _, rejected = into(Workspace(root), word, "social-ekonomi", changes="reject")
        assert rejected is None
