"""styrdok benchmark: what a user waits for, as ratios against the bare converter calls.

Run with `make bench` (all scenarios), `make bench BENCH_ONLY=WORD` (the scenarios whose name has
WORD) or `scripts/bench.py SCENARIO...`; figures to build/bench.json.

Every figure is a whole process started from the command line, as a user runs it:
`.venv/bin/styrdok …` in a fresh policy repository in a temp dir, and the bare baselines as the
pandoc / Typst / Node processes a user would start by hand (in parallel where styrdok runs them in
parallel). Each command runs once unmeasured first (a user's second run: byte-compiled modules,
warm file cache), then BENCH_RUNS times (default 3; five times that for the sub-second scenarios),
interleaved with the baseline it is compared with so that the machine's load affects both alike;
medians are compared. Memory is the peak of the whole process tree (the command and every worker,
pandoc and forkserver process under it, at one moment; /proc sampled every 10 ms): each process's
private memory (RssAnon + RssShmem) plus each program's file-backed pages once; build/bench.json
also has the plain RSS sum and the largest single process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "policy" / "social-ekonomi.md"
BIN = Path(sys.executable).parent  # make bench runs this with .venv/bin/python
STYRDOK = str(BIN / "styrdok")
PYTHON = str(BIN / "python")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
BIG_RUNS = max(RUNS // 2, 1)  # the scenarios of a minute or more
QUICK_RUNS = RUNS * 5  # the scenarios of a fraction of a second, where three runs are mostly noise
DOCXODUS = ROOT / "scripts" / "docxodus"  # package.json, package-lock.json, cmp.mjs
DOCXODUS_DIR = ROOT / "build" / "docxodus"  # installed here (git-ignored) by the bench
PAGES_PER_COPY = 3.6  # PDF pages of one copy of the seed's text in a redline (25 copies: 90 pages)
MIB = 1024 * 1024

# scenario: (compared with, goal) — a ratio when compared with another scenario, else seconds or MiB.
TARGETS: dict[str, tuple[str | None, float, str]] = {
    "help": ("import_floor", 2.0, "ratio"),
    "check_one": ("import_floor", 2.0, "ratio"),
    "seed_build": ("bare_converters", 1.5, "ratio"),
    "redline_100": ("bare_docx_100", 4.0, "ratio"),
    "redline_100 vs Docxodus": ("docxodus_100", 2 / 3, "ratio"),
    "redline_400 memory": ("redline_pdf_alone_400", 400, "MiB"),
    "cold_300": (None, 60.0, "s"),
    "noop_300": (None, 1.0, "s"),
    "cold_publish_50x5": ("cold_build_50x5", 1.5, "ratio"),
    "noop_publish_50x5": (None, 1.0, "s"),
    "import_100": ("bare_docx_to_md_100", 2.0, "ratio"),
    "import_300": (None, 120.0, "s"),
}


# --- running and measuring whole processes -------------------------------------------------------

@dataclass
class Sample:
    seconds: float
    tree_kb: int  # peak memory of the process tree: private memory of each process, mapped files once
    rss_sum_kb: int  # peak of the plain sum of RSS over the tree (shared pages counted in each process)
    largest_kb: int  # the largest single process (wait4's ru_maxrss)


class Failed(Exception):
    pass


def _memory_kb(pid: int) -> tuple[int, int, int, str]:
    """(private, file-backed, total RSS) in KiB and the program of one process (zeros once it is gone)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            fields = dict(line.split(b":", 1) for line in f.read().splitlines() if b":" in line)
        exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return 0, 0, 0, ""
    kb = {k: int(fields.get(k, b"0 kB").split()[0]) for k in (b"RssAnon", b"RssShmem", b"RssFile", b"VmRSS")}
    return kb[b"RssAnon"] + kb[b"RssShmem"], kb[b"RssFile"], kb[b"VmRSS"], exe


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    return int(stat[stat.rindex(b")") + 2:].split()[1])  # after "pid (comm) state"


def _sample_tree(root: int, done: threading.Event, peak: list[int]) -> None:
    """The memory of `root` and its descendants every 10 ms, the highest into peak: [memory, RSS sum].

    Memory counts each process's private memory and each program's mapped files once: three pandoc
    processes share one 160 MB binary, which a plain sum of RSS (peak[1]) counts three times.
    A pid's parent is read once (new pids only), so a sample costs a listdir and a few reads."""
    parents: dict[int, int | None] = {}
    while not done.is_set():
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        for pid in pids:
            if pid not in parents:
                parents[pid] = _parent(pid)
        alive = set(pids)
        tree, grew = {root}, True
        while grew:
            grew = False
            for pid in alive - tree:
                if parents.get(pid) in tree:
                    tree.add(pid)
                    grew = True
        private, rss, files = 0, 0, {}
        for pid in tree:
            anon, mapped, total, exe = _memory_kb(pid)
            private, rss = private + anon, rss + total
            files[exe] = max(files.get(exe, 0), mapped)
        peak[0] = max(peak[0], private + sum(files.values()))
        peak[1] = max(peak[1], rss)
        for pid in set(parents) - alive:
            del parents[pid]
        done.wait(0.01)


def run(argv: Sequence[str], cwd: Path, *, env: dict[str, str] | None = None, ok_codes: tuple[int, ...] = (0,)) -> Sample:
    """Run one whole process (and whatever it starts) and measure it."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
        done, peak = threading.Event(), [0, 0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, done, peak), daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok_codes:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-3:]
            raise Failed(f"{shlex.join(argv)} exited {proc.returncode}: {' / '.join(tail)}")
    return Sample(seconds, peak[0], peak[1], usage.ru_maxrss)


def shell(script: str) -> list[str]:
    """Several processes as a user starts them from a shell (`a & b & wait` runs them in parallel)."""
    return ["sh", "-c", script]


@dataclass
class Result:
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(s.tree_kb for s in self.samples) / 1024

    @property
    def largest_mib(self) -> float:
        return max(s.largest_kb for s in self.samples) / 1024

    def as_json(self) -> dict[str, object]:
        return {"median_s": round(self.median, 4), "times_s": [round(s.seconds, 4) for s in self.samples],
                "peak_tree_memory_mib": round(self.peak_mib, 1),
                "peak_tree_rss_sum_mib": round(max(s.rss_sum_kb for s in self.samples) / 1024, 1),
                "largest_process_rss_mib": round(self.largest_mib, 1),
                **({"note": self.note} if self.note else {})}


Job = Callable[[], Sample]


def interleaved(jobs: dict[str, Job], runs: int = RUNS, warmup: bool = True) -> dict[str, Result]:
    """Each job once unmeasured, then `runs` rounds of all jobs in turn."""
    results = {name: Result() for name in jobs}
    if warmup:
        for job in jobs.values():
            job()
    for _ in range(runs):
        for name, job in jobs.items():
            results[name].samples.append(job())
    return results


# --- inputs -------------------------------------------------------------------------------------

def pandoc_binary() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from styrdok import pandoc
    return pandoc.binary()


def markdown_dialect() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from styrdok import pandoc
    return pandoc.MARKDOWN


def _split(text: str) -> tuple[str, str]:
    head, sep, body = text.partition("\n---\n")
    return head.removeprefix("---\n"), body


def synthetic_policy(copies: int, edits: int = 0, policy_id: str = "stor-policy") -> str:
    """The seed's text repeated `copies` times with distinct headings and ids (about 4 pages a copy);
    `edits` word edits spread evenly over its paragraphs and list items: replaced, inserted and
    deleted words in turn."""
    head, body = _split(SEED.read_text("utf-8"))
    head = re.sub(r"(?m)^id: .*$", f"id: {policy_id}", head)
    parts = [body.replace("{#", f"{{#d{n}-").replace("\n## ", f"\n## Del {n + 1}: ") for n in range(copies)]
    lines = "\n".join(parts).split("\n")
    slots = [(i, j) for i, line in enumerate(lines) if line and not line.startswith(("#", "|", ":", "```"))
             for j, word in enumerate(line.split(" ")) if word.isalpha() and len(word) > 3]
    words = {i: lines[i].split(" ") for i in {i for i, _ in slots}}
    step = len(slots) / (edits + 1) if edits else 0
    for n in range(edits):
        i, j = slots[int((n + 1) * step)]
        word = words[i][j]
        words[i][j] = (word + "na", "nya " + word, "")[n % 3]  # replace, insert, delete
    for i, split in words.items():
        lines[i] = " ".join(w for w in split if w)
    return f"---\n{head}\n---\n" + "\n".join(lines)


def _copies(pages: int) -> int:
    return max(round(pages / PAGES_PER_COPY), 1)


def write_pair(folder: Path, pages: int) -> tuple[Path, Path]:
    """old.md and new.md of about `pages` pages, one edit a page."""
    copies = _copies(pages)
    old, new = folder / "old.md", folder / "new.md"
    old.write_text(synthetic_policy(copies), "utf-8")
    new.write_text(synthetic_policy(copies, edits=pages), "utf-8")
    return old, new


def seed_repo(folder: Path) -> Path:
    (folder / "policy").mkdir(parents=True)
    shutil.copy(SEED, folder / "policy" / SEED.name)
    return folder


def pdf_pages(path: Path) -> int | None:
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    except OSError:
        return None
    found = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(found.group(1)) if found else None


# --- the bare baselines -------------------------------------------------------------------------

# styrdok's own compile of a redline's PDF: its compile_pdf call kept by a `styrdok diff` (which then
# writes no PDF), and made again alone in a process of its own (REDLINE_PDF_ALONE).
KEEP_REDLINE_PDF = ("import pickle, sys; from styrdok.render import pdf; kept = sys.argv[1]; "
                    "pdf.compile_pdf = lambda *a, **k: pickle.dump((a, k), open(kept, 'wb')) or b''; "
                    "from styrdok.cli import main; sys.argv = ['styrdok', 'diff', *sys.argv[2:]]; main()")
REDLINE_PDF_ALONE = ("import pickle, sys; from styrdok.render.pdf import compile_pdf; "
                     "a, k = pickle.load(open(sys.argv[1], 'rb')); open(sys.argv[2], 'wb').write(compile_pdf(*a, **k))")
TYPST_COMPILE = ("import sys, typst; "
                 "typst.compile(sys.argv[1], output=sys.argv[2], ignore_system_fonts=True)")


def bare_converters_script(md: Path, out: Path) -> str:
    """The converter calls a build needs, as a user would start them: DOCX, HTML and Typst → PDF at once."""
    p, f = shlex.quote(pandoc_binary()), shlex.quote(markdown_dialect())
    m, o = shlex.quote(str(md)), str(out)
    typst = f"{shlex.quote(PYTHON)} -c {shlex.quote(TYPST_COMPILE)} {shlex.quote(o + '.typ')} {shlex.quote(o + '.pdf')}"
    return (f"{p} -f {f} -t docx -o {shlex.quote(o + '.docx')} {m} & "
            f"{p} -f {f} -t html5 -o {shlex.quote(o + '.html')} {m} & "
            f"{{ {p} -f {f} -t typst -s -o {shlex.quote(o + '.typ')} {m} && {typst}; }} & wait")


def redline_floor_script(old: Path, new: Path, out: Path) -> str:
    """What a redline cannot do without: parse both versions (at once), then write DOCX, HTML and
    Typst and compile the PDF (at once) — the bare pandoc and Typst processes, no styrdok."""
    p, f = shlex.quote(pandoc_binary()), shlex.quote(markdown_dialect())
    o = str(out)
    j_old, j_new = shlex.quote(o + "-old.json"), shlex.quote(o + "-new.json")
    typst = f"{shlex.quote(PYTHON)} -c {shlex.quote(TYPST_COMPILE)} {shlex.quote(o + '.typ')} {shlex.quote(o + '.pdf')}"
    return (f"{p} -f {f} -t json -o {j_old} {shlex.quote(str(old))} & "
            f"{p} -f {f} -t json -o {j_new} {shlex.quote(str(new))} & wait; "
            f"{p} -f json -t docx -o {shlex.quote(o + '.docx')} {j_new} & "
            f"{p} -f json -t html5 -o {shlex.quote(o + '.html')} {j_new} & "
            f"{{ {p} -f json -t typst -s -o {shlex.quote(o + '.typ')} {j_new} && {typst}; }} & wait")


def bare_docx(md: Path, out: Path) -> list[str]:
    return [pandoc_binary(), "-f", markdown_dialect(), "-t", "docx", "-o", str(out), str(md)]


# --- Docxodus (npm, WebAssembly, in Node) -------------------------------------------------------

def docxodus() -> tuple[list[str] | None, str]:
    """`node cmp.mjs` ready to run (installed from the pinned lock file into build/docxodus/), or
    None and why not. Never fails the bench: without node, npm or the network the ratio is skipped."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "skipped: node or npm is not installed (Docxodus runs in Node ≥ 20)"
    DOCXODUS_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json", "cmp.mjs"):
        shutil.copyfile(DOCXODUS / name, DOCXODUS_DIR / name)
    stamp = DOCXODUS_DIR / "node_modules" / ".styrdok-lock"
    lock = (DOCXODUS / "package-lock.json").read_text("utf-8")
    if not stamp.is_file() or stamp.read_text("utf-8") != lock:
        proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
                              cwd=DOCXODUS_DIR, capture_output=True, text=True)
        if proc.returncode != 0:
            why = " ".join(proc.stderr.split())[:200]
            return None, f"skipped: `npm ci` of docxodus failed (offline?): {why}"
        stamp.write_text(lock, "utf-8")
    return [node, str(DOCXODUS_DIR / "cmp.mjs")], ""


# --- scenarios: each returns {name: Result}, the compared ones measured interleaved ----------------

def startup(tmp: Path) -> dict[str, Result]:
    """`styrdok --help` and `styrdok check` of one policy against the imports every command needs."""
    repo = seed_repo(tmp / "repo")
    return interleaved({
        "import_floor": lambda: run([PYTHON, "-c", "import yaml, jsonschema, click"], repo),
        "help": lambda: run([STYRDOK, "--help"], repo),
        "check_one": lambda: run([STYRDOK, "check", "social-ekonomi"], repo),
    }, QUICK_RUNS)


def seed(tmp: Path) -> dict[str, Result]:
    """`styrdok build` of the seed (cold: no build folder) against the bare converter calls at once."""
    repo = seed_repo(tmp / "repo")
    bare = tmp / "bare"
    bare.mkdir()

    def build() -> Sample:
        shutil.rmtree(repo / "build", ignore_errors=True)
        return run([STYRDOK, "build"], repo)

    results = interleaved({"bare_converters": lambda: run(shell(bare_converters_script(repo / "policy" / SEED.name,
                                                                                                bare / "seed")), bare),
                           "build_import_floor": lambda: run([PYTHON, "-c", f"import {', '.join(BUILD_IMPORTS)}"], repo),
                           "seed_build": build}, QUICK_RUNS)
    results["build_import_floor"].note = f"python -c 'import {', '.join(BUILD_IMPORTS)}': what a build cannot do without"
    return results


BUILD_IMPORTS = ("click", "yaml", "lxml.etree", "jinja2", "typst")  # a valid policy needs no jsonschema, no python-docx


def redline(tmp: Path, pages: int, runs: int = RUNS, with_docxodus: bool = False) -> dict[str, Result]:
    """`styrdok diff old.md new.md` (all four files) of a pair of about `pages` pages with one
    edit a page, against one bare pandoc md → DOCX of the new version; the floor of the pipeline;
    and Docxodus's DOCX-only compare of the DOCX files styrdok builds of the pair."""
    work = tmp / f"pair-{pages}"
    work.mkdir()
    old, new = write_pair(work, pages)
    jobs: dict[str, Job] = {
        f"bare_docx_{pages}": lambda: run(bare_docx(new, work / "bare.docx"), work),
        f"redline_floor_{pages}": lambda: run(shell(redline_floor_script(old, new, work / "floor")), work),
        f"redline_{pages}": lambda: run([STYRDOK, "diff", "old.md", "new.md"], work, ok_codes=(1,)),
    }
    note = ""
    if with_docxodus:
        command, note = docxodus()
        if command:
            repo = tmp / f"docx-{pages}"
            (repo / "policy").mkdir(parents=True)
            (repo / "policy" / "gammal.md").write_text(synthetic_policy(_copies(pages),
                                                                         policy_id="gammal"), "utf-8")
            (repo / "policy" / "ny.md").write_text(synthetic_policy(_copies(pages), edits=pages,
                                                                     policy_id="ny"), "utf-8")
            run([STYRDOK, "build", "--out", "out"], repo)
            a, b = repo / "out" / "gammal" / "gammal.docx", repo / "out" / "ny" / "ny.docx"
            jobs[f"docxodus_{pages}"] = lambda: run([*command, str(a), str(b), str(repo / "compared.docx")], repo)
    results = interleaved(jobs, runs)
    typst_source = work / "floor.typ"  # the floor's Typst, compiled alone: the least memory a PDF of it takes
    results[f"typst_compile_{pages}"] = interleaved(
        {"compile": lambda: run([PYTHON, "-c", TYPST_COMPILE, str(typst_source), str(work / "alone.pdf")], work)},
        runs, warmup=False)["compile"]
    results[f"typst_compile_{pages}"].note = "the bare Typst compile of the floor's PDF, alone (python -c typst.compile)"
    kept = work / "redline-pdf.pickle"
    run([PYTHON, "-c", KEEP_REDLINE_PDF, str(kept), "old.md", "new.md", "--out", str(work / "kept")], work, ok_codes=(1,))
    results[f"redline_pdf_alone_{pages}"] = interleaved(
        {"alone": lambda: run([PYTHON, "-c", REDLINE_PDF_ALONE, str(kept), str(work / "alone-redline.pdf")], work)},
        runs, warmup=False)["alone"]
    results[f"redline_pdf_alone_{pages}"].note = ("styrdok's compile of the redline's own PDF (compile_pdf), alone in "
                                                  "a process: the least memory that PDF takes")
    files = sorted(p.name for p in (work / "build" / "redline").iterdir())
    results[f"redline_{pages}"].note = (f"{pages} edits; wrote {', '.join(files)}; "
                                        f"redline.pdf has {pdf_pages(work / 'build/redline/redline.pdf')} pages")
    if f"docxodus_{pages}" in results:
        results[f"docxodus_{pages}"].note = "whole node process: WebAssembly load and initialize() included"
    elif with_docxodus:
        results[f"docxodus_{pages}"] = Result(note=note)
    return results


def redline_100(tmp: Path) -> dict[str, Result]:
    return redline(tmp, 100, with_docxodus=True)


def redline_400(tmp: Path) -> dict[str, Result]:
    return redline(tmp, 400, runs=BIG_RUNS)


def many(tmp: Path) -> dict[str, Result]:
    """`styrdok build` of 300 policies: cold (no build folder), then a no-op rebuild."""
    sys.path.insert(0, str(ROOT / "tests"))
    from synthetic import policy_copies
    repo = policy_copies(tmp / "many", 300, prefix="styrdok")

    def cold() -> Sample:
        shutil.rmtree(repo / "build", ignore_errors=True)
        return run([STYRDOK, "build"], repo)

    results = interleaved({"cold_300": cold}, BIG_RUNS, warmup=False)
    results.update(interleaved({"noop_300": lambda: run([STYRDOK, "build"], repo)}))
    return results


# the publish scenarios: 50 policies, each adopted 5 times (BENCH_POLICIES, BENCH_VERSIONS for a quicker look)
POLICIES, VERSIONS = int(os.environ.get("BENCH_POLICIES", "50")), int(os.environ.get("BENCH_VERSIONS", "5"))
BENCH_DAY = "2026-11-25"  # publish's review states depend on the day


def publishing(tmp: Path) -> dict[str, Result]:
    """`styrdok publish` of 50 policies adopted 5 times each (250 versions, 200 redlines, 50 policy
    pages), cold and as a no-op, against a cold `styrdok build --final` of the same 250 versions."""
    sys.path.insert(0, str(ROOT / "tests"))
    from synthetic import adopted_history, every_version
    versions = every_version(tmp / "versions", POLICIES, VERSIONS, prefix="styrdok")
    repo = adopted_history(tmp / "repo", POLICIES, VERSIONS, prefix="styrdok")
    site = tmp / "site"
    publish = [STYRDOK, "publish", "--out", str(site), "--today", BENCH_DAY]

    def cold_build() -> Sample:
        shutil.rmtree(versions / "build", ignore_errors=True)
        return run([STYRDOK, "build", "--final"], versions)

    def cold_publish() -> Sample:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(repo / "build", ignore_errors=True)
        return run(publish, repo)

    results = interleaved({"cold_build_50x5": cold_build, "cold_publish_50x5": cold_publish}, BIG_RUNS, warmup=False)
    results.update(interleaved({"noop_publish_50x5": lambda: run(publish, repo)}))
    return results


def legacy_docx(path: Path, copies: int = 30) -> Path:
    """A ~100-page legacy Word file as offices write them: Normal text only, bold headings with
    typed numbers, typed bullets, an information table, decision lines (the seed's text, repeated)."""
    sys.path.insert(0, str(ROOT / "src"))
    import docx
    from styrdok import pandoc, source
    policy = source.load(SEED)
    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Beslutad av", (0, 1): "Kommunstyrelsen", (1, 0): "Diarienummer",
                         (1, 1): "KS 2015/123"}.items():
        table.cell(r, c).text = text
    d.add_paragraph().add_run(policy.meta.title).bold = True
    d.add_paragraph("Fastställd av kommunstyrelsen 2015-05-26, § 129")
    for n in range(copies):
        number = sub = 0
        for section in policy.sections:
            if section.level == 2:
                number += 1
                sub = 0
                d.add_paragraph().add_run(f"{n * 7 + number}. {section.title}").bold = True
            elif section.level == 3:
                sub += 1
                d.add_paragraph().add_run(f"{n * 7 + number}.{sub} {section.title}").bold = True
            for block in section.blocks:
                items = [pandoc.stringify(i).strip() for i in block.ast["c"]] if block.kind == "BulletList" else []
                for text in (items if block.kind == "BulletList" else [block.text]):
                    d.add_paragraph(f"•\t{text}" if block.kind == "BulletList" else text)
    d.save(str(path))
    return path


def imports(tmp: Path) -> dict[str, Result]:
    """`styrdok import` of a ~100-page legacy DOCX against one bare pandoc docx → Markdown; then
    300 small legacy files in one command."""
    sys.path.insert(0, str(ROOT / "tests"))
    import wordgen
    repo = tmp / "import"
    (repo / "policy").mkdir(parents=True)
    big = legacy_docx(repo / "lang.docx")
    results = interleaved({
        "bare_docx_to_md_100": lambda: run([pandoc_binary(), "-f", "docx", "-t", markdown_dialect(), "--wrap=none",
                                            "-o", str(tmp / "lang.md"), str(big)], repo),
        "import_100": lambda: run([STYRDOK, "import", "lang.docx", "--force"], repo),
    })
    batch = tmp / "batch"
    (batch / "policy").mkdir(parents=True)
    first = wordgen.legacy_policy(batch / "policy-000.docx")
    files = [first] + [batch / f"policy-{i:03d}.docx" for i in range(1, 300)]
    for path in files[1:]:
        shutil.copy(first, path)

    def batch_import() -> Sample:
        for old in (batch / "policy").glob("*.md"):
            old.unlink()
        return run([STYRDOK, "import", *(p.name for p in files)], batch)

    results.update(interleaved({"import_300": batch_import}, BIG_RUNS, warmup=False))
    return results


SCENARIOS: dict[str, Callable[[Path], dict[str, Result]]] = {
    f.__name__: f for f in (startup, seed, redline_100, redline_400, many, publishing, imports)}


# --- report --------------------------------------------------------------------------------------

def _ratio_row(name: str, baseline: str | None, goal: float, unit: str, results: dict[str, Result]) -> tuple[str, ...]:
    subject = name.split(" ")[0]
    if subject not in results or not results[subject].samples:
        return name, "", "", "not run", ""
    result = results[subject]
    if unit == "MiB":
        floor = results.get(baseline) if baseline else None
        compared = (f"tree peak; {baseline} {floor.peak_mib:.0f} MiB" if floor and floor.samples
                    else "peak memory of the process tree")
        return (name, f"{result.peak_mib:.0f} MiB", compared, f"≤ {goal:g} MiB",
                "met" if result.peak_mib <= goal else "MISSED")
    if baseline is None:
        return (name, f"{result.median:.3f} s", "", f"≤ {goal:g} s", "met" if result.median <= goal else "MISSED")
    base = results.get(baseline)
    if base is None or not base.samples:
        return name, f"{result.median:.3f} s", f"{baseline}: {base.note if base else 'not run'}", f"≤ {goal:.2f} ×", "skipped"
    ratio = result.median / base.median
    return (name, f"{result.median:.3f} s", f"{ratio:.2f} × {baseline} ({base.median:.3f} s)", f"≤ {goal:.2f} ×",
            "met" if ratio <= goal else "MISSED")


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=f"some of: {', '.join(SCENARIOS)} (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--only", metavar="WORD", help="only the scenarios whose name contains WORD "
                        "(make bench BENCH_ONLY=import)")
    args = parser.parse_args()
    if unknown := [name for name in args.scenarios if name not in SCENARIOS]:
        parser.error(f"unknown scenario {', '.join(unknown)}: choose from {', '.join(SCENARIOS)}")
    if not Path(STYRDOK).exists():
        sys.exit(f"bench: {STYRDOK} is missing: run it with the venv's python (`make bench`)")
    results: dict[str, Result] = {}
    errors: dict[str, str] = {}
    chosen = args.scenarios or [name for name in SCENARIOS if not args.only or args.only in name]
    for name in chosen:
        print(f"running {name} …", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="styrdok-bench-") as tmp:
            try:
                results.update(SCENARIOS[name](Path(tmp)))
            except Failed as exc:
                errors[name] = str(exc)
                print(f"  {name} failed: {exc}", file=sys.stderr)

    rows = [("goal", "median", "compared with", "target", "")]
    rows += [_ratio_row(name, *target, results) for name, target in TARGETS.items()]
    others = [("scenario", "median", "memory (tree)", "largest process", "note")]
    others += [(name, f"{r.median:.3f} s", f"{r.peak_mib:.0f} MiB", f"{r.largest_mib:.0f} MiB", r.note)
               if r.samples else (name, "", "", "", r.note) for name, r in results.items()]
    report = {"cpu_count": os.cpu_count(), "load_average": os.getloadavg(), "runs": RUNS,
              "targets": {name: {"compared_with": b, "goal": g, "unit": u} for name, (b, g, u) in TARGETS.items()},
              "goals": {row[0]: dict(zip(rows[0][1:], row[1:])) for row in rows[1:]},
              "scenarios": {name: r.as_json() for name, r in results.items()}, "errors": errors}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
    print(table(rows))
    print()
    print(table(others))
    for name, error in errors.items():
        print(f"\n{name} FAILED: {error}")
    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; medians of {RUNS} runs "
          f"({QUICK_RUNS} for help, check and the seed's build; {BIG_RUNS} for the 300-policy, 50 × 5 and 400-page "
          "scenarios) after one unmeasured run; "
          "Docxodus is the whole node process, WebAssembly initialisation included.")
    print(f"figures written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
