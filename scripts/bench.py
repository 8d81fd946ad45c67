"""styrdok benchmark: medians against the bare converter calls, peak memory; figures to build/bench.json.

Run with `make bench`. Each scenario runs in a fresh process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "policy" / "social-ekonomi.md"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGETS = {  # scenario: (compared with, limit as ratio or seconds)
    "seed_all_formats": ("bare_converters", 1.5),
    "redline_100_pages": ("bare_pandoc_100_pages", 3.0),
    "cold_300": (None, 60.0),
    "noop_300": (None, 1.0),
    "cold_publish_50x5": ("cold_build_50x5", 1.5),
    "noop_publish_50x5": (None, 1.0),
    "import_100_pages": ("bare_pandoc_docx_100_pages", 2.0),
    "import_300": (None, 120.0),
}
POLICIES, VERSIONS = 50, 5  # the publish scenarios: 50 policies, each adopted 5 times
BENCH_DAY = "2026-11-25"  # publish's review states depend on the day
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "1"))  # a cold 50 × 5 run takes a minute or more


def _timed(fn: Callable[[], object], runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _body(text: str) -> str:
    from styrdok import frontmatter
    return frontmatter.split(text).body


def synthetic_policy(copies: int, edits: int = 0) -> str:
    """The seed's sections repeated with distinct headings; `edits` scattered word changes."""
    from styrdok import frontmatter
    split = frontmatter.split(SEED.read_text("utf-8"))
    head, body = split.head, split.body
    head = head.replace("id: social-ekonomi\n", "")
    parts = []
    for n in range(copies):
        part = body.replace("{#", f"{{#d{n}-").replace("\n## ", f"\n## Del {n + 1}: ")
        parts.append(part)
    text = "\n".join(parts)
    words = text.split(" ")
    step = max(len(words) // (edits + 1), 1)
    for i in range(1, edits + 1):
        j = i * step
        if words[j].isalpha():
            words[j] = words[j] + "na"
    return f"---\n{head}---\n" + " ".join(words)


# --- scenarios (each returns its list of timings) ----------------------------------------------

def bare_converters() -> list[float]:
    import typst
    from styrdok import pandoc
    from styrdok.render.pdf import _get_compiler
    body = _body(SEED.read_text("utf-8")).encode()
    _get_compiler()

    def once() -> None:
        pandoc.run(["-f", pandoc.MARKDOWN, "-t", "docx", "-o", "-"], body)
        pandoc.run(["-f", pandoc.MARKDOWN, "-t", "html5"], body)
        typ = pandoc.run(["-f", pandoc.MARKDOWN, "-t", "typst", "-s"], body)
        typst.compile(typ, ignore_system_fonts=True)
    return _timed(once)


def seed_all_formats() -> list[float]:
    from styrdok import source
    from styrdok.render import render_policy
    from styrdok.render.document import presentation
    from styrdok.workspace import Workspace
    workspace = Workspace(ROOT)

    def once() -> None:
        policy = source.load(SEED)
        render_policy(policy, workspace.templates, presentation(policy, final=False, labels=workspace.templates.labels,
                                                                theme=workspace.templates.theme))
    return _timed(once)


def _write_pair(folder: Path) -> tuple[Path, Path]:
    old, new = folder / "old.md", folder / "new.md"
    old.write_text(synthetic_policy(25), "utf-8")
    new.write_text(synthetic_policy(25, edits=40), "utf-8")
    return old, new


def bare_pandoc_100_pages() -> list[float]:
    from styrdok import pandoc
    with tempfile.TemporaryDirectory() as tmp:
        _, new = _write_pair(Path(tmp))
        body = _body(new.read_text("utf-8")).encode()
        return _timed(lambda: pandoc.run(["-f", pandoc.MARKDOWN, "-t", "docx", "-o", "-"], body))


def redline_100_pages() -> list[float]:
    from styrdok import compare, source
    from styrdok.workspace import Workspace
    templates = Workspace(ROOT).templates
    with tempfile.TemporaryDirectory() as tmp:
        old, new = _write_pair(Path(tmp))
        return _timed(lambda: compare.write_redline(source.load(old), source.load(new), Path(tmp) / "out", templates))


def cold_300() -> list[float]:
    from synthetic import policy_copies
    from styrdok import build
    from styrdok.workspace import Workspace
    times = []
    for _ in range(max(RUNS // 2, 1)):
        with tempfile.TemporaryDirectory() as tmp:
            workspace = Workspace(policy_copies(Path(tmp), 300, prefix="styrdok"))
            times += _timed(lambda: build.build(workspace), runs=1)
    return times


def noop_300() -> list[float]:
    from synthetic import policy_copies
    from styrdok import build
    from styrdok.workspace import Workspace
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(policy_copies(Path(tmp), 300, prefix="styrdok"))
        assert build.build(workspace).ok
        return _timed(lambda: build.build(workspace))


def cold_build_50x5() -> list[float]:
    """A cold build of every adopted version of the publish scenarios, side by side as policies."""
    from synthetic import every_version
    from styrdok import build
    from styrdok.workspace import Workspace
    times = []
    for _ in range(COLD_RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            workspace = Workspace(every_version(Path(tmp), POLICIES, VERSIONS, prefix="styrdok"))
            times += _timed(lambda: build.build(workspace, final=True), runs=1)
    return times


def cold_publish_50x5() -> list[float]:
    """A cold publish of 50 policies adopted 5 times each: 250 versions, 200 redlines, 50 policy pages."""
    from synthetic import adopted_history
    from styrdok.publish import publish
    from styrdok.workspace import Workspace
    times = []
    for _ in range(COLD_RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            workspace = Workspace(adopted_history(Path(tmp) / "repo", POLICIES, VERSIONS, prefix="styrdok"))
            times += _timed(lambda: _published(publish(workspace, out=Path(tmp) / "site", today=BENCH_DAY)), runs=1)
    return times


def noop_publish_50x5() -> list[float]:
    from synthetic import adopted_history
    from styrdok.publish import publish
    from styrdok.workspace import Workspace
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(adopted_history(Path(tmp) / "repo", POLICIES, VERSIONS, prefix="styrdok"))
        _published(publish(workspace, out=Path(tmp) / "site", today=BENCH_DAY))
        return _timed(lambda: _published(publish(workspace, out=Path(tmp) / "site", today=BENCH_DAY), noop=True))


def _published(result, noop: bool = False) -> None:
    assert result.ok and len(result.policies) == POLICIES, result.problems
    assert not noop or not result.rendered, result.rendered


def legacy_docx(path: Path, copies: int = 30) -> Path:
    """A ~100-page legacy Word file as offices write them: Normal text only, bold headings with
    typed numbers, typed bullets, an information table, decision lines (the seed's text, repeated)."""
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
        number = 0
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


def bare_pandoc_docx_100_pages() -> list[float]:
    from styrdok import pandoc
    with tempfile.TemporaryDirectory() as tmp:
        data = legacy_docx(Path(tmp) / "lang.docx").read_bytes()
        return _timed(lambda: pandoc.run(["-f", "docx", "-t", pandoc.MARKDOWN, "--wrap=none"], data))


def _styrdok(args: list[str], cwd: Path) -> None:
    """One whole `styrdok` command, as a user runs it (interpreter start and imports included)."""
    command = [str(Path(sys.executable).parent / "styrdok"), *args]
    proc = subprocess.run(command, cwd=cwd, capture_output=True, env={**os.environ, "CI": "1"})
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed: {proc.stderr.decode(errors='replace')[-300:]}")


def import_100_pages() -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "policy").mkdir()
        path = legacy_docx(Path(tmp) / "lang.docx")
        return _timed(lambda: _styrdok(["import", "--force", str(path)], Path(tmp)))


def import_300() -> list[float]:
    import wordgen
    times = []
    for _ in range(max(RUNS // 2, 1)):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "policy").mkdir()
            first = wordgen.legacy_policy(root / "policy-000.docx")
            files = [first] + [root / f"policy-{i:03d}.docx" for i in range(1, 300)]
            for path in files[1:]:
                shutil.copy(first, path)
            times += _timed(lambda: _styrdok(["import", *(f.name for f in files)], root), runs=1)
    return times


SCENARIOS = {f.__name__: f for f in (bare_converters, seed_all_formats, bare_pandoc_100_pages, redline_100_pages,
                                     cold_300, noop_300, cold_build_50x5, cold_publish_50x5, noop_publish_50x5,
                                     bare_pandoc_docx_100_pages, import_100_pages, import_300)}


def _peak_kb() -> dict[str, int]:
    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "largest_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def run_scenario(name: str) -> dict[str, object]:
    proc = subprocess.run([sys.executable, __file__, "--scenario", name], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args()
    if args.scenario:
        times = SCENARIOS[args.scenario]()
        print(json.dumps({"times": times, "median": statistics.median(times), "peak_rss_kb": _peak_kb()}))
        return

    results: dict[str, dict] = {}
    for name in SCENARIOS:
        print(f"running {name} …", file=sys.stderr, flush=True)
        results[name] = run_scenario(name)
    rows = []
    for name, (baseline, limit) in TARGETS.items():
        result = results[name]
        if "error" in result:
            rows.append((name, "error", "", "", result["error"]))
            continue
        median = result["median"]
        if baseline:
            ratio = median / results[baseline]["median"]
            result.update(ratio=ratio, target_ratio=limit, met=ratio <= limit)
            figure = f"{ratio:.2f}× {baseline} ({results[baseline]['median']:.3f} s)"
        else:
            result.update(target_seconds=limit, met=median <= limit)
            figure = f"target ≤ {limit:g} s"
        rows.append((name, f"{median:.3f} s", figure, f"{result['peak_rss_kb']['self'] / 1024:.0f} MB",
                     "met" if result["met"] else "MISSED"))
    report = {"cpu_count": os.cpu_count(), "runs": RUNS, "scenarios": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), "utf-8")
    widths = [max(len(str(r[i])) for r in rows + [("scenario", "median", "compared", "peak RSS", "target")]) for i in range(5)]
    for row in [("scenario", "median", "compared", "peak RSS", "target")] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    print(f"\nfigures written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]  # tests/synthetic.py makes the 300 policies
    main()
