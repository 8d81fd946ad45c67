"""styrdok import --into: a styrdok DOCX edited in Word (typed, or with tracked changes) back
into the policy — the text equals the edited text, heading ids and front matter are kept, an
unedited DOCX changes nothing."""

from __future__ import annotations

import shutil
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
def seed_docx() -> bytes:
    """The seed policy as styrdok's draft DOCX (what an officer is sent to edit)."""
    policy = source.load(SEED_POLICY)
    templates = Workspace(SEED_POLICY.parent).templates
    view = presentation(policy, final=False, labels=templates.labels, theme=templates.theme)
    return render_docx(title_blocks(view) + body_blocks(policy), view, templates)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("roundtrip")
    (root / "policy").mkdir()
    shutil.copy(SEED_POLICY, root / "policy")
    return root


def expected_text(edited: seed_edits.Doc) -> str:
    """The seed's front matter (kept as it is) and the edited text."""
    return seed_edits.seed_doc().head + edited.markdown()[len(edited.head):]


@pytest.mark.parametrize("tracked", [False, True], ids=["typed", "tracked"])
@settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no slow shrinking
@given(data=st.data())
def test_edits_made_in_word_come_back_as_the_edited_text(data: st.DataObject, tracked: bool, repo: Path) -> None:
    edited, _ = seed_edits.edited(data.draw, max_edits=4)
    word = repo / f"edited-{tracked}.docx"
    word.write_bytes(edit_docx(seed_docx(), seed_edits.seed_doc(), edited, tracked=tracked))
    report, text = into(Workspace(repo), word, "social-ekonomi")
    result = text.decode("utf-8") if text is not None else SEED_POLICY.read_text("utf-8")
    assert result == expected_text(edited)
    if tracked:  # rejecting every tracked change gives the policy as it was
        _, rejected = into(Workspace(repo), word, "social-ekonomi", changes="reject")
        assert rejected is None
