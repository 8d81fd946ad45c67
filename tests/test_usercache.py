"""The per-user cache (styrdok.usercache) and the zip writer: the same bytes with and without the
cache, a changed template or theme never served stale, an unusable cache only slower."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import run
from styrdok import usercache
from styrdok.render import zipped

OUT = "social-ekonomi"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _build(repo: Path, cache: str, out: str) -> dict[str, bytes]:
    result = run(["build", "--out", out], repo, env={**EPOCH, usercache.ENV: cache})
    assert result.returncode == 0, result.stderr
    return {p.name: p.read_bytes() for p in sorted((repo / out / OUT).iterdir())}


def _redline(repo: Path, cache: str, out: str) -> dict[str, bytes]:
    old, new = repo / "old.md", repo / "new.md"
    if not old.exists():
        text = (repo / "policy" / f"{OUT}.md").read_text("utf-8")
        old.write_text(text, "utf-8")
        new.write_text(text.replace("social ekonomi", "social ekonomi och civilsamhälle", 3), "utf-8")
    result = run(["diff", "old.md", "new.md", "--out", out], repo, env={**EPOCH, usercache.ENV: cache})
    assert result.returncode == 1, result.stderr  # the versions differ
    return {p.name: p.read_bytes() for p in sorted((repo / out).iterdir())}


def test_outputs_are_the_same_bytes_without_the_cache_with_a_cold_one_and_a_warm_one(
        policy_repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    without = _build(policy_repo, usercache.OFF, "off")
    assert _build(policy_repo, str(cache), "cold") == without
    kinds = {p.name.split("-")[0] for p in cache.iterdir()}
    assert {"reference", "logo", "deflate", "fonts", "pandoc"} <= kinds, kinds
    assert _build(policy_repo, str(cache), "warm") == without
    redline = _redline(policy_repo, usercache.OFF, "redline-off")
    assert _redline(policy_repo, str(cache), "redline-warm") == redline
    assert set(redline) == {"changes.md", "redline.docx", "redline.html", "redline.pdf"}


def test_a_changed_theme_or_reference_document_is_a_new_entry_never_a_stale_one(policy_repo: Path,
                                                                               tmp_path: Path) -> None:
    cache = tmp_path / "cache"

    def styles(out: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(_build(policy_repo, str(cache), out)[f"{OUT}.docx"])) as docx:
            return docx.read("word/styles.xml")

    assert b"1F4E79" in styles("packaged")
    (policy_repo / "templates").mkdir()
    (policy_repo / "templates" / "theme.yaml").write_text('palette:\n  accent: "#7a1f1f"\n', "utf-8")
    themed = styles("themed")
    assert b"7A1F1F" in themed and b"1F4E79" not in themed
    assert len(list(cache.glob("reference-*.docx"))) == 2
    # the repository's own reference document is used as it is, and a changed one again
    reference = policy_repo / "templates" / "reference.docx"
    shutil.copy(next(cache.glob("reference-*.docx")), reference)
    first = styles("own")
    with zipfile.ZipFile(reference, "a") as docx:
        docx.writestr("customXml/item9.xml", "<x/>")  # another file: another key
    assert styles("own-changed") == first and len(list(cache.glob("reference-*.docx"))) == 4


def test_an_unwritable_cache_only_costs_time(policy_repo: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert _build(policy_repo, str(blocked / "cache"), "blocked") == _build(policy_repo, usercache.OFF, "off")


def test_keys_name_every_part_apart() -> None:
    assert usercache.key("ab", "c") != usercache.key("a", "bc")
    assert usercache.key(b"x") == usercache.key("x")


def test_off_and_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(usercache.ENV, "off")
    assert usercache.folder() is None and usercache.cached("k", "n", lambda: b"made") == b"made"
    assert usercache.file("k", "n", lambda: b"made", ".bin").read_bytes() == b"made"  # a temp file then
    monkeypatch.delenv(usercache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert usercache.folder() == tmp_path / "styrdok"
    assert usercache.cached("k", "n", lambda: b"made") == b"made"
    assert usercache.cached("k", "n", lambda: b"other") == b"made"


MEMBERS = {"word/document.xml": b"<w:document/>" * 500, "[Content_Types].xml": b"<Types/>", "empty": b"",
           "word/media/bild\u00e5.png": bytes(range(256)) * 40}


@pytest.mark.parametrize("when", [dt.datetime(2026, 12, 2, 15, 4, 5), dt.datetime(1970, 1, 1),
                                  dt.datetime(2026, 12, 2, 15, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))])
def test_zips_are_the_bytes_zipfile_writes(when: dt.datetime) -> None:
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as archive:
        for name in sorted(MEMBERS, key=lambda n: (n != zipped.CONTENT_TYPES, n)):
            info = zipfile.ZipInfo(name, zipped.date_time(when))
            info.compress_type, info.create_system = zipfile.ZIP_DEFLATED, 0
            archive.writestr(info, MEMBERS[name], compresslevel=6)
    written = zipped.write(MEMBERS, when)
    assert written == expected.getvalue()
    assert zipped.read(written) == MEMBERS
    # members copied as they are stored, and members compressed ahead (the fonts): the same bytes
    assert zipped.write(zipped.read_deflated(written), when) == written
    assert zipped.write({**MEMBERS, "empty": zipped.deflate(b"")}, when) == written


def test_an_installed_package_is_known_by_its_files_without_importing_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "fakepackage"
    package.mkdir()
    (package / "__init__.py").write_text("raise ImportError('never imported')\n", "utf-8")
    (package / "_native.so").write_bytes(b"1")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = usercache.installed("fakepackage")
    assert before == usercache.installed("fakepackage") and "_native.so" in before
    (package / "_native.so").write_bytes(b"22")  # another build of it
    assert usercache.installed("fakepackage") != before
    assert usercache.installed("no_such_package_here") == "missing"
