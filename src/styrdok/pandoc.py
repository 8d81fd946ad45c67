"""The one module that talks to pandoc (the binary shipped in the pypandoc_binary wheel)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from . import usercache
from .errors import StyrdokError
from .i18n import N_, _

if TYPE_CHECKING:
    from concurrent.futures import Future

# Raw HTML off: markup in a policy is text, never live HTML on the municipal website.
MARKDOWN = "commonmark_x-raw_html-raw_attribute-tex_math_dollars"
API_VERSION = [1, 23, 1, 1]

Ast = dict[str, Any]
T = TypeVar("T")


MIN_VERSION = (3, 0)  # the first pandoc that reads and writes documents in API 1.23 (API_VERSION)
PANDOC_FIX = N_("pip install pypandoc_binary (`make all` does this: it brings its own pandoc), then `styrdok doctor`")


class PandocMissing(StyrdokError):
    """No usable pandoc: none found, or one too old for styrdok's document format."""


def _version_tuple(text: str) -> tuple[int, ...]:
    found = re.match(r"\d+(\.\d+)*", text.strip())
    return tuple(int(part) for part in found.group(0).split(".")) if found else ()


def _bundled() -> str | None:
    """The pandoc in the pypandoc_binary wheel (pypandoc/files/pandoc), found without importing
    pypandoc: its import pulls in urllib, ssl and email, which no command needs."""
    spec = importlib.util.find_spec("pypandoc")
    name = "pandoc.exe" if os.name == "nt" else "pandoc"
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = os.path.join(folder, "files", name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def _version_of(path: str) -> str | None:
    """The version `path --version` prints on its first line, as pypandoc reads it; None if it cannot run."""
    try:
        proc = subprocess.run([path, "--version"], capture_output=True, text=True, errors="replace",
                              stdin=subprocess.DEVNULL)
    except OSError:
        return None
    first = proc.stdout.splitlines()[0].split() if proc.returncode == 0 and proc.stdout.strip() else []
    return next((word for word in first if re.fullmatch(r"\d+(\.\d+)+", word)), None)


@cache
def located() -> tuple[str, str]:
    """(path, version) of the pandoc styrdok runs: the one PYPANDOC_PANDOC names, else the one in the
    pypandoc_binary wheel, else the newest pypandoc finds on PATH; PandocMissing if there is none.
    The wheel's version is kept in the per-user cache (styrdok.usercache), by the binary's size and time."""
    named = os.environ.get("PYPANDOC_PANDOC")
    path = os.path.expanduser(named) if named else _bundled()
    if path and (found := _version_of(path) if named else _bundled_version(path)):
        return path, found
    try:
        import pypandoc

        return pypandoc.get_pandoc_path(), pypandoc.get_pandoc_version()
    except (OSError, RuntimeError) as exc:
        raise PandocMissing.because(_("pandoc is not installed"), " ".join(str(exc).split())[:200],
                                    _(PANDOC_FIX)) from None


def _bundled_version(path: str) -> str | None:
    """`_version_of` the wheel's pandoc, kept per user by the binary's size and time."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    name = usercache.key("pandoc-version", path, str(stat.st_size), str(stat.st_mtime_ns))
    if (known := usercache.get("pandoc-version", name)) is not None:
        return known.decode("utf-8")
    if found := _version_of(path):
        usercache.put("pandoc-version", name, found.encode("utf-8"))
    return found


def too_old(found: str) -> bool:
    return _version_tuple(found) < MIN_VERSION


@cache
def binary() -> str:
    """The pandoc styrdok runs (see `located`).

    PandocMissing if there is none, or it is older than MIN_VERSION (its API differs, and every
    conversion would fail with "Incompatible API versions").
    """
    path, found = located()
    if too_old(found):
        need = ".".join(map(str, MIN_VERSION))
        raise PandocMissing.because(_("pandoc {found} ({path}) is too old").format(found=found, path=path),
                                    _("styrdok needs pandoc {need} or later (its document format, API 1.23)").format(
                                        need=need),
                                    _(PANDOC_FIX) + "; " + _("an old system pandoc is used only when the bundled one "
                                                             "is missing"))
    return path


@cache
def highlight_languages() -> frozenset[str]:
    return frozenset(subprocess.run([binary(), "--list-highlight-languages"], capture_output=True,
                                    text=True).stdout.split())


@cache
def version() -> str:
    binary()
    return located()[1]


class PandocFailed(StyrdokError):
    """pandoc refused or could not convert a document."""


READ_TIMEOUT = 60  # s; a real policy of 2 MB reads in a few seconds, pathological text can take hours
MAX_MARKS = 1000  # '*' and '_' in one paragraph: the reader's time grows with their square
MAX_BRACKETS = 32  # '[' open at once: the reader's time grows steeply with them


def quick_to_read(text: str) -> bool:
    """Whether `text` surely reads in well under a second: small, and with fewer emphasis marks
    and brackets in all than a paragraph may hold (what source refuses is judged per paragraph)."""
    return (len(text) <= SMALL and text.count("*") + text.count("_") <= MAX_MARKS
            and text.count("[") <= MAX_BRACKETS)


# One converter per core at a time (pandoc, Typst): three writers and a compile on two cores
# only slow each other down, and each holds its document in memory. A PDF holds its slot from
# the Typst writer through the compile, so the longest chain starts first and is never starved.
# A small document's conversions (a few pages: tens of milliseconds each) run at once.
_CORES = max(os.cpu_count() or 1, 1)
_cores = threading.BoundedSemaphore(_CORES)
_alone = threading.Lock()  # taken before all the slots, by one thread at a time
SMALL = 256 * 1024  # bytes of input: converted without waiting for a core
HUGE = 4 * 2**20  # bytes of input (about 250 pages): converted alone, with pandoc's compacting collector
_holding = threading.local()


@contextmanager
def core() -> Iterator[None]:
    """Hold one of the process's converter slots (one per core) for the block; a thread that
    holds one already goes on with it."""
    if getattr(_holding, "slot", False):
        yield
        return
    with _cores:
        _holding.slot = True
        try:
            yield
        finally:
            _holding.slot = False


@contextmanager
def every_core() -> Iterator[None]:
    """Hold every converter slot: the compile of a long document (400 pages: 300 MB) is not done
    while pandoc writes another of its files beside it. A slot this thread holds is given up
    first, so two threads that want every slot never wait for each other."""
    held = getattr(_holding, "slot", False)
    if held:
        _cores.release()
    try:
        with _alone:
            for _slot in range(_CORES):
                _cores.acquire()
        _holding.slot = True
        try:
            yield
        finally:
            for _slot in range(_CORES):
                _cores.release()
            _holding.slot = False
    finally:
        if held:
            _cores.acquire()
            _holding.slot = True


def _slot_for(size: int, env: dict[str, str]) -> AbstractContextManager[None]:
    """How a conversion of `size` bytes waits for the cores, and how GHC's runtime sizes its heap.

    A small document's pandoc starts with GHC's own heap sizing instead of the 64 MB heap pandoc
    asks for (-H64m): faulting in that heap is a fifth of a small conversion (the seed's DOCX:
    98 → 80 ms). A huge document's writers each hold 200–270 MB: they run one at a time, and with
    the compacting collector (GHCRTS=-c: a third less memory, a third more time)."""
    if size <= SMALL:
        env["GHCRTS"] = "-H4k"
        return nullcontext()
    if size <= HUGE:
        return core()
    env["GHCRTS"] = "-c"
    return every_core()


def run(args: list[str], data: bytes, *, epoch: int | None = None, timeout: float | None = None) -> bytes:
    env = dict(os.environ)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        with _slot_for(len(data), env):
            proc = subprocess.run([binary(), *args], input=data, capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PandocFailed(_("pandoc did not finish within {seconds:.0f} s ({args})").format(
            seconds=timeout, args=" ".join(args[:4]))) from None
    except OSError as exc:  # removed or broken since it was found
        raise PandocMissing.because(_("pandoc cannot be run"), exc.strerror or str(exc), _(PANDOC_FIX)) from None
    if proc.returncode != 0:
        raise PandocFailed.because(_("pandoc failed ({args})").format(args=" ".join(args[:4])),
                                   proc.stderr.decode(errors="replace").strip())
    return proc.stdout


def read_ahead(text: str) -> None:
    """Start reading `text` as `read_markdown` reads it, unless a read of it is waiting already; the
    next call of `read_markdown` for this text takes the result."""
    with _reading_lock:
        if text not in _reading:
            _reading[text] = _threads().submit(run, ["-f", MARKDOWN, "-t", "json"], text.encode("utf-8"),
                                               timeout=READ_TIMEOUT)


_reading: dict[str, Future[bytes]] = {}
_reading_lock = threading.Lock()


def read_markdown(text: str) -> list[tuple[int, Ast]]:
    """Parse Markdown into top-level pandoc blocks, each with the 1-based line it starts on.

    Raw HTML comes back as text, so no markup from a source file can reach a page.
    """
    with _reading_lock:
        started = _reading.pop(text, None)
    output = (started.result() if started is not None else
              run(["-f", MARKDOWN, "-t", "json"], text.encode("utf-8"), timeout=READ_TIMEOUT))
    blocks = loads(output)["blocks"]
    if (starts := _block_starts(text.split("\n"), blocks)) is not None:
        return list(zip(starts, _unwrap(blocks) if b'"t":"Raw' in output else blocks))
    # Loose lists, lazy continuations …: let pandoc say where each block starts (5× the JSON).
    # Only the line numbers are taken from the sourcepos parse. Its AST splits text into one Str
    # per source token ("/", "/"), and writers escape each Str alone: the Typst writer then
    # printed "//" unescaped, which Typst reads as a comment, and the rest of the line vanished.
    raw = json.loads(run(["-f", MARKDOWN + "+sourcepos", "-t", "json"], text.encode("utf-8"), timeout=READ_TIMEOUT))
    positioned = [inner for block in raw["blocks"] for inner in _flatten_top(block)]
    if len(positioned) == len(blocks):
        return list(zip((_start_line(b) for b in positioned), _unwrap(blocks) if b'"t":"Raw' in output else blocks))
    return [(_start_line(block), normalize(_unwrap(block))) for block in positioned]


def known_blocks(text: str, blocks: list[Ast]) -> list[tuple[int, Ast]] | None:
    """`read_markdown(text)` without parsing, when `text` is what `write_markdown(blocks)` wrote:
    the blocks paired with the lines they start on, or None when the text does not pair up with
    them one to one (then parse it).

    pandoc's reader reads its writer's text back to the blocks written (tests/test_import.py
    checks that `styrdok check` finds the same either way in every imported document); the
    blocks must hold no raw HTML, which the reader would turn into text."""
    starts = _block_starts(text.split("\n"), blocks)
    return None if starts is None else list(zip(starts, blocks))


_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_STARTS = {"Header": _HEADING, "BulletList": re.compile(r"^ {0,3}[-*+]\s"),
           "OrderedList": re.compile(r"^ {0,3}\d{1,9}[.)]\s"), "CodeBlock": re.compile(r"^( {0,3}(```|~~~)| {4})"),
           "BlockQuote": re.compile(r"^ {0,3}>"), "HorizontalRule": re.compile(r"^ {0,3}([-*_] *){3,}$")}
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")


def _block_starts(lines: list[str], blocks: list[Ast]) -> list[int] | None:
    """The 1-based start line of each top-level block, read off the text where that is unambiguous:
    one block per run of non-blank lines (a heading line is a run of its own). None if the text
    does not pair up with pandoc's blocks one to one."""
    starts: list[int] = []
    fenced = previous_blank = in_note = False
    previous_heading = True
    for number, line in enumerate(lines, 1):
        blank = not line.strip()
        if fenced:
            fenced = not _FENCE.match(line)
        elif not blank and (previous_blank or previous_heading or _HEADING.match(line) or not starts):
            # a footnote definition and its indented paragraphs belong to the note, not the text
            in_note = bool(_NOTE_DEF.match(line)) or in_note and line.startswith("    ")
            if not in_note:
                starts.append(number)
                fenced = bool(_FENCE.match(line))
        previous_blank, previous_heading = blank, bool(_HEADING.match(line)) and not fenced
    if len(starts) != len(blocks):
        return None
    for number, block in zip(starts, blocks):
        pattern = _STARTS.get(block["t"])
        line = lines[number - 1]
        if pattern is not None and not pattern.match(line) or pattern is None and any(
                p.match(line) for p in _STARTS.values()):
            return None
    return starts


def _flatten_top(block: Ast) -> list[Ast]:
    # sourcepos wraps top-level blocks in Divs marked wrapper=1; the block inside is what we want.
    if block["t"] == "Div" and _is_wrapper(block["c"][0]) and len(block["c"][1]) == 1:
        inner = block["c"][1][0]
        _set_pos(inner, _pos(block["c"][0]))
        return [inner]
    return [block]


def _attr_of(block: Ast) -> list | None:
    t = block.get("t")
    c: Any = block.get("c")  # its shape depends on t; only the types with attributes are read
    if t in ("Header",):
        return c[1]
    if t in ("Div", "Span", "CodeBlock", "Code", "Table", "Figure"):
        return c[0]
    if t in ("Link", "Image"):
        return c[0]
    return None


def _pos(attr: list) -> str | None:
    return next((v for k, v in attr[2] if k == "data-pos"), None)


def _set_pos(block: Ast, pos: str | None) -> None:
    block.setdefault("_pos", pos)


def _is_wrapper(attr: list) -> bool:
    return ["wrapper", "1"] in [list(kv) for kv in attr[2]]


def _start_line(block: Ast) -> int:
    pos = block.get("_pos") or (_pos(a) if (a := _attr_of(block)) else None)
    if not pos:
        return 0
    # "file@12:1-14:1" or "12:1-14:1"
    return int(pos.rsplit("@", 1)[-1].split(":", 1)[0])


def _unwrap(node: Any) -> Any:
    """Remove sourcepos wrappers and data-pos attributes, leaving the AST pandoc gives without them."""
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            if isinstance(item, dict) and item.get("t") in ("Span", "Div") and _is_wrapper(item["c"][0]):
                out.extend(_unwrap(item["c"][1]))
            else:
                out.append(_unwrap(item))
        return out
    if isinstance(node, dict):
        # pandoc's CommonMark reader keeps inline HTML even without raw_html: make it text.
        if node.get("t") == "RawInline":
            return {"t": "Str", "c": node["c"][1]}
        if node.get("t") == "RawBlock":
            return {"t": "CodeBlock", "c": [attr(), node["c"][1]]}
        node = {k: _unwrap(v) for k, v in node.items() if k != "_pos"}
        attributes = _attr_of(node)
        if attributes is not None:
            attributes[2] = [kv for kv in attributes[2] if kv[0] not in ("data-pos", "wrapper")]
        return node
    return node


_CONTAINERS = frozenset({"BlockQuote", "BulletList", "OrderedList", "DefinitionList", "Div", "Note", "Table", "Figure",
                         "Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                         "Span", "Link", "Quoted", "Cite"})


class _TooDeep(Exception):
    """A tree deeper than the recursive walks go: they start again iteratively."""


_FRAMES = 300  # the recursive walks' depth (Python's limit is 1000); deeper trees are walked iteratively


def nesting(node: Any) -> int:
    """How many lists, quotes, emphases, links … lie inside each other at the deepest point.

    Recursive (twice as quick), and iterative for a document nested so deep that recursion would
    reach Python's limit."""
    if type(node) is not list and type(node) is not dict:
        return 0
    try:
        return _nesting(node, 0)
    except _TooDeep:
        return _nesting_iteratively(node)


def _nesting(node: Any, frames: int) -> int:
    if frames > _FRAMES:
        raise _TooDeep
    if type(node) is dict:
        content = node.get("c")
        depth = _nesting(content, frames + 1) if type(content) is list or type(content) is dict else 0
        return depth + 1 if node.get("t") in _CONTAINERS else depth
    deepest = 0
    for value in node:
        kind = type(value)
        if kind is dict:
            content = value.get("c")
            if type(content) is list or type(content) is dict:
                depth = _nesting(content, frames + 1)
            elif value.get("t") in _CONTAINERS:
                depth = 0
            else:
                continue  # a word or a space: most of any text
            if value.get("t") in _CONTAINERS:
                depth += 1
            if depth > deepest:
                deepest = depth
        elif kind is list:
            depth = _nesting(value, frames + 1)
            if depth > deepest:
                deepest = depth
    return deepest


def _nesting_iteratively(node: Any) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(node, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        if type(item) is dict:
            if item.get("t") in _CONTAINERS:
                depth += 1
                if depth > deepest:
                    deepest = depth
            content = item.get("c")
            if type(content) is list or type(content) is dict:  # a node's children are all in "c"
                push((content, depth))
        elif type(item) is list:
            for value in item:
                if type(value) is list or type(value) is dict:
                    push((value, depth))
    return deepest


def normalize(node: Any, spaces: bool = False) -> Any:
    """Merge adjacent Str inlines, as pandoc's readers do: a writer escapes one Str at a time, so
    text split over several Strs could form markup between them (Typst's "//" or "/*").

    With `spaces`, a Space after a Str joins it too ("ord", Space, "ord" → "ord ord"), for writers
    that write a Space as a plain space: pandoc's HTML writer with --wrap=none (the same bytes)
    and its DOCX writer (the same text and formatting, in fewer runs). From a quarter of the JSON
    they write two to five times quicker.

    Parts that need no merging are returned as they are, not copied (the caller must not change
    the result in place)."""
    kind = type(node)
    if kind is list:
        out: list[Any] = []
        changed = False
        run: list[str] = []  # the texts of the Str being merged, the first Str holding its place in `out`
        for item in node:
            kind = type(item)
            if kind is dict:
                tag = item.get("t")
                if tag == "Str" or (spaces and run and tag == "Space"):
                    if not run:
                        out.append(item)
                    run.append(item["c"] if tag == "Str" else " ")
                    continue
                content = item.get("c")
                new = (normalize(item, spaces) if type(content) is list or type(content) is dict or len(item) > 2
                       else item)
            else:
                new = normalize(item, spaces) if kind is list else item
            if len(run) > 1:
                out[-1] = {"t": "Str", "c": "".join(run)}
                changed = True
            run = []
            changed = changed or new is not item
            out.append(new)
        if len(run) > 1:
            out[-1] = {"t": "Str", "c": "".join(run)}
            changed = True
        return out if changed else node
    if kind is dict:
        if len(node) <= 2 and "t" in node:  # a pandoc node: its children are all in "c"
            content = node.get("c")
            if type(content) is list or type(content) is dict:
                new_content = normalize(content, spaces)
                if new_content is not content:
                    return {"t": node["t"], "c": new_content}
            return node
        changed_values = {k: new for k, v in node.items()
                          if (type(v) is list or type(v) is dict) and (new := normalize(v, spaces)) is not v}
        return {**node, **changed_values} if changed_values else node
    return node


# Words and spaces are most of a document (a 400-page policy: 157,000 Str and 151,000 Space of its
# 310,000 nodes) and repeat: each is read as one shared node per word, which nothing changes in place.
_LEAVES: dict[str, Ast] = {}
_SPACE: Ast = {"t": "Space"}


def _shared_leaf(node: Ast, leaves: dict[str, Ast] = _LEAVES) -> Ast:
    kind = node.get("t")
    if kind == "Str":
        return leaves.setdefault(node["c"], node)
    return _SPACE if kind == "Space" else node


def word(text: str) -> Ast:
    """The shared Str node of `text` (as `loads` reads it; never to be changed in place)."""
    return _LEAVES.get(text) or _LEAVES.setdefault(text, {"t": "Str", "c": text})


def space() -> Ast:
    """The shared Space node (as `loads` reads it; never to be changed in place)."""
    return _SPACE


def loads(output: bytes | str) -> Any:
    """pandoc's JSON as Python objects, every Str of one word and every Space shared (a tenth of
    the memory; they are never changed in place)."""
    return json.loads(output, object_hook=_shared_leaf)


def dumps(doc: Ast) -> bytes:
    """A document as the JSON pandoc reads: compact (2.5× quicker to write than json.dumps' default
    separators, and 13 % less for pandoc to read), ASCII (quicker than ensure_ascii=False)."""
    return json.dumps(doc, separators=(",", ":")).encode("ascii")


def concurrently(*jobs: Callable[[], T]) -> list[T]:
    """Run jobs in threads and return their results in order, once all have finished. Each job
    mostly waits on a pandoc process, so the conversions of one document overlap on all cores."""
    from concurrent.futures import wait

    if len(jobs) == 1:
        return [jobs[0]()]
    futures = [_threads().submit(job) for job in jobs]
    wait(futures)
    return [future.result() for future in futures]


# The process's threads for `concurrently`, kept between calls: a publish makes hundreds of calls,
# and starting a thread waits for the GIL (up to 5 ms while another thread renders). Far more
# threads than nested calls ever wait on at once, so a job that waits on jobs of its own always
# finds one free.
THREADS = 64
_pool: list[tuple[int, Any]] = []  # (the process that made it, the executor)
_pool_lock = threading.Lock()


def _threads() -> Any:
    from concurrent.futures import ThreadPoolExecutor  # the renderers' (`styrdok check` runs one pandoc)

    with _pool_lock:
        if not _pool or _pool[0][0] != os.getpid():  # a forked child has none of its parent's threads
            _pool[:] = [(os.getpid(), ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="styrdok"))]
        return _pool[0][1]


def document(blocks: list[Ast], meta: dict[str, Any] | None = None) -> Ast:
    return {"pandoc-api-version": API_VERSION, "meta": meta or {}, "blocks": blocks}


def write(doc: Ast, to: str, *args: str, epoch: int | None = None) -> bytes:
    """Convert a pandoc document to `to`; binary formats come back as their bytes.

    A conversion `prefetch` made already is taken from there instead of starting pandoc again.
    Typst is written in Python (`typst_writer`: pandoc's writer, the same bytes) where it can be.
    """
    if to == "typst" and not args and (text := typst_without_pandoc(doc)) is not None:
        return text
    return writer(doc, to, *args, epoch=epoch)()


def writer(doc: Ast, to: str, *args: str, epoch: int | None = None) -> Callable[[], bytes]:
    """`write` as a job: pandoc's input made now, the conversion when the job is run."""
    payload = _payload(doc, to, args)
    return lambda: _write(payload, to, args, epoch)


def typst_without_pandoc(doc: Ast) -> bytes | None:
    """`write(doc, "typst")` when no pandoc run is needed for it (prefetched, or written in Python), else None."""
    if _prefetched:
        key = ("typst", (), None, _payload(doc, "typst", ()))
        with _prefetched_lock:
            if (done := _prefetched.pop(key, None)) is not None:
                return done
    return _typst(doc)


def _typst(doc: Ast) -> bytes | None:
    """The document's Typst from `typst_writer`, or None where only pandoc writes it."""
    from . import typst_writer

    if doc.get("meta"):
        return None
    try:
        return typst_writer.write(normalize(doc["blocks"])).encode("utf-8")
    except typst_writer.Unsupported:
        return None


def _payload(doc: Ast, to: str, args: tuple[str, ...]) -> bytes:
    """What pandoc is given for `doc`: its JSON, with adjacent Str merged (`normalize`), and the
    Spaces between them too for a writer that writes a Space as a space."""
    joins = to == "docx" or (to == "html5" and "--wrap=none" in args)
    return dumps(normalize(doc, joins))


def _write(payload: bytes, to: str, args: tuple[str, ...], epoch: int | None = None) -> bytes:
    with _prefetched_lock:
        if (done := _prefetched.pop((to, args, epoch, payload), None)) is not None:
            return done
    return run(["-f", "json", "-t", to, "-o", "-", *args], payload, epoch=epoch)


# Starting pandoc costs more than converting one policy, so the text formats of many documents are
# converted in one run: the documents are joined with a raw marker block between them, which the
# writer copies through on a line of its own, and the output is cut there again.
_MARKERS = {"html5": ("html", "<!--styrdok-split-{n}-->"), "typst": ("typst", "// styrdok-split-{n}")}
_prefetched: dict[tuple, bytes] = {}
_prefetched_lock = threading.Lock()
# The JSON of a document without metadata, up to its blocks: what a joined document is made of.
_HEAD = dumps(document([]))[:-len(b"[]}")]


def write_many(docs: list[Ast], to: str, *args: str) -> list[bytes]:
    """`[write(doc, to, *args) for doc in docs]`, byte for byte, with as few pandoc runs as can be.

    Documents with footnotes (the writer collects them at the end) or with metadata are converted
    on their own.
    """
    return _write_many([_payload(doc, to, args) for doc in docs], to, args)


def _write_many(payloads: list[bytes], to: str, args: tuple[str, ...]) -> list[bytes]:
    """`write_many` of documents given as their payloads: each document's JSON made once, the joined
    document's from its parts (the JSON `write` would give it, byte for byte)."""
    if to not in _MARKERS:
        return [_write(payload, to, args) for payload in payloads]
    out: list[bytes | None] = [None] * len(payloads)
    # the blocks of a document without metadata, as JSON without their brackets (None: converted alone)
    inner = [payload[len(_HEAD) + 1:-2] if payload.startswith(_HEAD) and b'"t":"Note"' not in payload else None
             for payload in payloads]
    joinable = [i for i, blocks in enumerate(inner) if blocks is not None]
    for i in set(range(len(payloads))) - set(joinable):
        out[i] = _write(payloads[i], to, args)
    if len(joinable) == 1:
        out[joinable[0]] = _write(payloads[joinable[0]], to, args)
    elif joinable:
        form, mark = _MARKERS[to]
        items: list[bytes] = []
        for n, i in enumerate(joinable):
            if n:
                items.append(dumps({"t": "RawBlock", "c": [form, mark.format(n=n)]}))
            if blocks := inner[i]:
                items.append(blocks)
        text = _write(_HEAD + b"[" + b",".join(items) + b"]}", to, args)
        parts = [text]
        for n in range(1, len(joinable)):
            head, sep, tail = parts[-1].partition(b"\n" + mark.format(n=n).encode() + b"\n")
            if not sep:  # the writer did not copy the marker: no shortcut
                return [_write(payload, to, args) for payload in payloads]
            parts[-1:] = [head + b"\n", tail.lstrip(b"\n")]
        for i, part in zip(joinable, parts):
            out[i] = part if inner[i] else _write(payloads[i], to, args)
    return [b for b in out if b is not None]


def prefetch(docs: list[Ast], to: str, *args: str) -> None:
    """Convert `docs` now, in as few pandoc runs as can be; each later `write` of one of them takes its result."""
    payloads = [_payload(doc, to, args) for doc in docs]
    done: dict[bytes, bytes] = {}
    if to == "typst" and not args:
        done = {payload: text for doc, payload in zip(docs, payloads) if (text := _typst(doc)) is not None}
    rest = [payload for payload in payloads if payload not in done]
    done.update(zip(rest, _write_many(rest, to, args)))
    with _prefetched_lock:
        for payload, data in done.items():
            _prefetched[(to, args, None, payload)] = data


def forget_prefetched() -> None:
    with _prefetched_lock:
        _prefetched.clear()


def read_docx(data: bytes, track_changes: str = "accept", to: str = "plain") -> str:
    return run(["-f", "docx", f"--track-changes={track_changes}", "-t", to, "--wrap=none"], data).decode("utf-8")


def read_word(data: bytes, *, track_changes: str = "accept", fmt: str = "docx") -> Ast:
    """A Word (or ODT) document as a pandoc document; tracked changes accepted or rejected."""
    return loads(run(["-f", fmt, f"--track-changes={track_changes}", "-t", "json"], data))


def started(job: Callable[[], T]) -> Future[T]:
    """`job` started on one of the process's threads (see `concurrently`); its result when asked for."""
    return _threads().submit(job)


def in_background(job: Callable[[], T]) -> Future[T]:
    """`job` started in a thread: a pandoc conversion runs on another core while Python goes on."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(job)
    pool.shutdown(wait=False)
    return future


def convert(data: bytes, src: str, to: str) -> bytes:
    """One bare conversion, e.g. ODT → DOCX."""
    return run(["-f", src, "-t", to, "-o", "-"], data)


MARKDOWN_PART = 300  # blocks: a longer text is written in parts at once, one pandoc run a part per core
_NOTE_REF = re.compile(r"(?<!\\)\[\^(\d+)\]")


def write_markdown(blocks: list[Ast]) -> str:
    """Blocks as policy Markdown (the dialect `read_markdown` reads), one line per paragraph.

    A long text is cut before headings into parts that pandoc writes at the same time, and
    joined as one run writes them (tests/test_pandoc.py): blocks apart, footnotes numbered on
    and gathered at the end."""
    cuts = _cuts(blocks)
    if len(cuts) == 1:
        return _write_markdown(blocks)
    parts = concurrently(*(lambda a=a, b=b: _write_markdown(blocks[a:b]) for a, b in zip(cuts, cuts[1:] + [len(blocks)])))
    texts, notes, count = [], [], 0
    for part in parts:
        text, sep, defs = part.partition("\n[^1]: ")  # pandoc writes the notes last, from [^1], escaping "[" in text
        text, defs = text.rstrip("\n"), (("[^1]: " + defs).rstrip("\n") if sep else "")
        if count:
            text, defs = (_NOTE_REF.sub(lambda m: f"[^{int(m.group(1)) + count}]", t) for t in (text, defs))
        count += len(re.findall(r"^\[\^\d+\]: ", defs, flags=re.M))
        texts.append(text)
        notes += [defs] if defs else []
    return "\n\n".join(texts + notes) + "\n"


def _cuts(blocks: list[Ast]) -> list[int]:
    """Where the parts of `write_markdown` start: as many parts as cores, of MARKDOWN_PART
    blocks or more, each from a top-level heading (the writer needs no context across one)."""
    parts = min(os.cpu_count() or 1, len(blocks) // MARKDOWN_PART)
    cuts = [0]
    for k in range(1, parts):
        after = max(len(blocks) * k // parts, cuts[-1] + 1)
        at = next((i for i in range(after, len(blocks)) if blocks[i].get("t") == "Header"), None)
        if at is None:
            break
        cuts.append(at)
    return cuts


# Words of nothing but letters, digits and this punctuation are written by the Markdown writer as
# they are, wherever they stand in a line (but at its start): so they can go to it as one Str
# ("fler unga ska vara aktiva"), which pandoc reads and writes many times faster than a Str per word.
_PLAIN_WORD = re.compile(r"(?:[^\W_]|[.,;:?()%/–—-])+")


def joined_words(node: Any) -> Any:
    """`node` with runs of plain words and spaces in one Str each, for `write_markdown`: the same
    Markdown, from a quarter of the JSON (tests/test_pandoc.py compares). A new tree; `node` is
    left as it is."""
    kind = type(node)
    if kind is dict:
        content = node.get("c")
        return node if content is None or type(content) is str else {**node, "c": joined_words(content)}
    if kind is not list:
        return node
    if not any(type(n) is dict and n.get("t") in ("Str", "Space") for n in node):
        return [joined_words(n) for n in node]
    out: list[Any] = []
    run = None  # the index in `out` of the Str being joined
    line_start = True  # the first word of a line stays apart (the writer escapes "1." or "-" there)
    for n in node:
        t = n.get("t") if type(n) is dict else None
        if t == "Str" and _PLAIN_WORD.fullmatch(n["c"]) and not line_start:
            if run is None:
                out.append({"t": "Str", "c": n["c"]})
                run = len(out) - 1
            else:
                out[run]["c"] += n["c"]
            continue
        if t == "Space" and run is not None:
            out[run]["c"] += " "
            continue
        if run is not None and out[run]["c"].endswith(" "):  # a run ends in a word, its space apart
            out[run]["c"] = out[run]["c"][:-1]
            out.append({"t": "Space"})
        run = None
        line_start = t in ("LineBreak", "SoftBreak")
        out.append(joined_words(n))
    if run is not None and out[run]["c"].endswith(" "):
        out[run]["c"] = out[run]["c"][:-1]
        out.append({"t": "Space"})
    return out


def _write_markdown(blocks: list[Ast]) -> str:
    # -gfm_auto_identifiers: write every heading id, also one that equals what pandoc would derive
    return run(["-f", "json", "-t", MARKDOWN + "-gfm_auto_identifiers", "--wrap=none"],
               dumps(document(joined_words(blocks)))).decode("utf-8")


# --- building AST values --------------------------------------------------------------------

_SPACES = frozenset({"Space", "SoftBreak", "LineBreak"})


def stringify(node: Any) -> str:
    """Plain text of inlines or blocks (pandoc's stringify, enough for policy text)."""
    if type(node) is list:
        parts = []
        for n in node:  # words and spaces without a call each: most of any text
            kind = n.get("t") if type(n) is dict else None
            parts.append(n["c"] if kind == "Str" else " " if kind in _SPACES else stringify(n))
        return "".join(parts)
    if not isinstance(node, dict):
        return ""
    t = node.get("t")
    c: Any = node.get("c")  # its shape depends on t (absent for Space, SoftBreak …)
    if t == "Str":
        return c
    if t in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if t in ("Code", "Math"):
        return c[1]
    if t in ("Link", "Image"):
        return stringify(c[1])
    if t in ("Span", "Div"):
        return stringify(c[1])
    if t == "Header":
        return stringify(c[2])
    if t == "Quoted":
        mark = '"' if c[0]["t"] == "DoubleQuote" else "'"
        return mark + stringify(c[1]) + mark
    if t in ("Cite",):
        return stringify(c[1])
    if t in LISTS:
        return "\n".join(stringify(item) for item in list_items(node))
    if t in ("Para", "Plain", "Emph", "Strong", "Strikeout", "Underline", "Superscript", "Subscript",
             "SmallCaps", "BlockQuote", "LineBlock"):
        return stringify(c)
    if t == "RawInline" or t == "RawBlock" or t == "CodeBlock":
        return c[1]
    if t == "Table":
        return stringify(c)
    return stringify(c) if isinstance(c, list) else ""


def plain_text(node: Any) -> str:
    """Plain text of blocks, the words of neighbouring paragraphs (list items, table cells) kept apart
    by a space: the one text extractor for numbering, diffing and checks (`stringify` is its inline part)."""
    if isinstance(node, dict) and node.get("t") in ("Para", "Plain", "Header", "LineBlock", "CodeBlock"):
        return stringify(node).strip()
    children = node if isinstance(node, list) else node.values() if isinstance(node, dict) else ()
    return " ".join(text for child in children if (text := plain_text(child)))


LISTS = ("BulletList", "OrderedList")


def list_items(block: Ast) -> list[list[Ast]]:
    """The items of a BulletList or OrderedList, each a list of blocks (an OrderedList has its attributes first)."""
    return block["c"][1] if block["t"] == "OrderedList" else block["c"]


def text(s: str) -> list[Ast]:
    """Inlines for plain text."""
    out: list[Ast] = []
    for i, piece in enumerate(s.split(" ")):
        if i:
            out.append(_SPACE)
        if piece:
            out.append(word(piece))
    return out


def attr(ident: str = "", classes: list[str] | None = None, **kv: str) -> list:
    return [ident, classes or [], [[k.replace("_", "-"), v] for k, v in kv.items()]]


def para(inlines: list[Ast]) -> Ast:
    return {"t": "Para", "c": inlines}


def header(level: int, inlines: list[Ast], ident: str = "", classes: list[str] | None = None) -> Ast:
    return {"t": "Header", "c": [level, attr(ident, classes), inlines]}


def div(blocks: list[Ast], ident: str = "", classes: list[str] | None = None, **kv: str) -> Ast:
    return {"t": "Div", "c": [attr(ident, classes, **kv), blocks]}


def span(inlines: list[Ast], ident: str = "", classes: list[str] | None = None, **kv: str) -> Ast:
    return {"t": "Span", "c": [attr(ident, classes, **kv), inlines]}


def links(node: Any) -> list[tuple[str, str]]:
    """Every (kind, target) of links and images in a node, in document order."""
    found: list[tuple[str, str]] = []
    try:
        _links(node, found, 0)
        return found
    except _TooDeep:
        return _links_iteratively(node)


def _links(node: Any, found: list[tuple[str, str]], frames: int) -> None:
    if frames > _FRAMES:
        raise _TooDeep
    if type(node) is dict:
        kind = node.get("t")
        if kind == "Link" or kind == "Image":
            found.append((kind, node["c"][2][0]))
        content = node.get("c")
        if type(content) is list or type(content) is dict:  # a node's children are all in "c"
            _links(content, found, frames + 1)
    elif type(node) is list:
        for item in node:
            if type(item) is dict:
                content = item.get("c")
                if type(content) is list or type(content) is dict:
                    _links(item, found, frames + 1)
            elif type(item) is list:
                _links(item, found, frames + 1)


def _links_iteratively(node: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        item = pop()
        if type(item) is dict:
            kind = item.get("t")
            if kind == "Link" or kind == "Image":
                found.append((kind, item["c"][2][0]))
            content = item.get("c")
            if type(content) is list or type(content) is dict:  # a node's children are all in "c"
                push(content)
        elif type(item) is list:
            stack.extend(reversed(item))
    return found


def _is_attr(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], list) and all(isinstance(c, str) for c in value[1])
            and isinstance(value[2], list) and all(isinstance(kv, list) and len(kv) == 2 for kv in value[2]))


def attributes(node: Any, kind: str = "") -> list[tuple[str, list]]:
    """Every (node type, attr) in a node, in document order: headings, spans, divs, links, code,
    tables and their parts."""
    found: list[tuple[str, list]] = []
    try:
        _attributes(node, kind, found, 0)
        return found
    except _TooDeep:
        return _attributes_iteratively(node, kind)


def _attributes(item: Any, kind: str, found: list[tuple[str, list]], frames: int) -> None:
    if frames > _FRAMES:
        raise _TooDeep
    if type(item) is dict:
        kind = item.get("t", kind)
        item = item.get("c")
    if type(item) is not list:
        return
    if _is_attr(item):
        found.append((kind, item))
        return
    for child in item:
        if type(child) is list or type(child) is dict and type(child.get("c")) in (list, dict):
            _attributes(child, kind, found, frames + 1)


def _attributes_iteratively(node: Any, kind: str = "") -> list[tuple[str, list]]:
    found: list[tuple[str, list]] = []
    stack: list[tuple[Any, str]] = [(node, kind)]
    pop = stack.pop
    while stack:
        item, kind = pop()
        if type(item) is dict:
            kind = item.get("t", kind)
            item = item.get("c")
        if type(item) is not list:
            continue
        if _is_attr(item):
            found.append((kind, item))
            continue
        stack.extend((child, kind) for child in reversed(item) if type(child) is list or type(child) is dict)
    return found


SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
KEPT_KEYS = frozenset({"lang", "custom-style"})  # custom-style: styrdok's own DOCX styles


def safe_attributes(node: Any) -> Any:
    """`node` with attributes that cannot carry markup into a page: ids and classes that are
    plain names, `lang` with a language tag, styrdok's own `custom-style`; nothing else (no `on…`,
    `style`, `href`, `formaction` …). `check` refuses the rest in the source; this is the second wall.

    Only what changes is copied: the caller must not change the result in place."""
    if type(node) is list:
        if _is_attr(node):
            ident = node[0] if SAFE_NAME.match(node[0]) else ""
            kvs = [[k, v] for k, v in node[2]
                   if k in KEPT_KEYS and (k != "lang" or LANG.match(v)) and "<" not in v and '"' not in v]
            safe = [ident, [c for c in node[1] if SAFE_NAME.match(c)], kvs]
            return node if safe == node else safe
        out: list[Any] | None = None
        for i, item in enumerate(node):
            if (type(item) is list or type(item) is dict) and (new := safe_attributes(item)) is not item:
                if out is None:
                    out = list(node)
                out[i] = new
        return node if out is None else out
    if type(node) is dict:
        changed = {k: new for k, v in node.items()
                   if (type(v) is list or type(v) is dict) and (new := safe_attributes(v)) is not v}
        return {**node, **changed} if changed else node
    return node


def plain(inlines: list[Ast]) -> Ast:
    return {"t": "Plain", "c": inlines}


def strong(inlines: list[Ast]) -> Ast:
    return {"t": "Strong", "c": inlines}


def table(rows: list[list[list[Ast]]], widths: list[float], *, head: list[list[Ast]] | None = None,
          caption: str = "") -> Ast:
    """A left-aligned table; each cell is a list of blocks, widths are fractions of the text width."""
    def row(cells: list[list[Ast]]) -> list:
        return [attr(), [[attr(), {"t": "AlignDefault"}, 1, 1, blocks] for blocks in cells]]

    colspecs = [[{"t": "AlignLeft"}, {"t": "ColWidth", "c": width}] for width in widths]
    return {"t": "Table", "c": [
        attr(), [None, [plain(text(caption))] if caption else []], colspecs,
        [attr(), [row(head)] if head else []],
        [[attr(), 0, [], [row(r) for r in rows]]],
        [attr(), []],
    ]}
