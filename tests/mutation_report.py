"""The score of `make mutate`, per module, and the mutants the tests let live.

mutmut (configured under [tool.mutmut] in pyproject.toml) plants one small bug at a
time in the modules that hold the rules and runs the tests that reach it. A mutant the
tests notice is killed; one they do not has survived. Some survivors change nothing a
user could ever see (an equivalent mutant): those judged so are listed in EQUIVALENT
with the reason, and reported apart from the real gaps.

The page cache and its freshness rule run on every request and every save, so nearly
every test reaches them, and trying each of their mutants on the whole suite would take
most of a day. They are tried apart, in a copy of the project whose mutmut settings
name them and the tests written for them (``--prepare-cache-run`` makes that copy).

Run it after `mutmut run` (the Makefile does both): python tests/mutation_report.py
"""

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_RUN = ROOT / ".mutate-cache"
CACHE_MODULES = ["newsroom/freshness.py", "newsroom/pagecache.py"]
CACHE_TESTS = ["tests/test_page_cache.py"]
RUNS = [ROOT, CACHE_RUN]
TARGET = 90.0  # per cent killed, per module

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
STATUS.update({36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout"})

# Mutant name -> why no test can tell it from the original (checked by hand).
EQUIVALENT = {}


def out(line=""):
    sys.stdout.write(f"{line}\n")


def prepare_cache_run():
    """A copy of the project in which mutmut tries only the cache's modules, against
    the cache's tests."""
    shutil.rmtree(CACHE_RUN, ignore_errors=True)
    skip = shutil.ignore_patterns(
        ".*", "mutants", "media", "staticfiles", "test-artifacts", "*.sqlite3", "__pycache__"
    )
    shutil.copytree(ROOT, CACHE_RUN, ignore=skip)
    pyproject = CACHE_RUN / "pyproject.toml"
    settings = (
        f"only_mutate = {json.dumps(CACHE_MODULES)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(CACHE_TESTS)}"
    )
    text, found = re.subn(r"only_mutate = \[.*?\]", settings, pyproject.read_text(), flags=re.S)
    if not found:
        sys.exit("pyproject.toml has no [tool.mutmut] only_mutate list to replace.")
    pyproject.write_text(text)


def results():
    """(run's directory, module, mutant, status) for every mutant of both runs."""
    for run in RUNS:
        for meta in sorted((run / "mutants").rglob("*.py.meta")):
            module = str(meta.relative_to(run / "mutants")).removesuffix(".meta")
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            for name, code in codes.items():
                status = STATUS.get(code, "not checked" if code is None else "suspicious")
                yield run, module, name, status


def main():
    by_module, survivors = {}, []
    for run, module, name, status in results():
        if status == "survived" and name in EQUIVALENT:
            status = "equivalent"
        by_module.setdefault(module, Counter())[status] += 1
        if status == "survived":
            survivors.append((run, name))
    if not by_module:
        sys.exit("No mutation results: run `mutmut run` first (make mutate does).")

    out(f"{'module':<24} {'mutants':>7} {'killed':>7} {'equiv.':>7} {'survived':>8} {'score':>7}")
    below = []
    for module, counts in by_module.items():
        killed = counts["killed"] + counts["timeout"]
        judged = sum(counts.values()) - counts["equivalent"] - counts["not checked"]
        score = 100.0 * killed / judged if judged else 0.0
        if score < TARGET:
            below.append(module)
        out(
            f"{module:<24} {sum(counts.values()):>7} {killed:>7} {counts['equivalent']:>7} "
            f"{counts['survived'] + counts['no tests']:>8} {score:>6.1f}%"
        )
    if counts_unchecked := sum(c["not checked"] for c in by_module.values()):
        out(f"\n{counts_unchecked} mutants were not checked (the run was cut short).")
    out(f"\nSurviving mutants ({len(survivors)}); `mutmut show <name>` prints the change:")
    for run, name in survivors:
        diff = subprocess.run(
            [sys.executable, "-m", "mutmut", "show", name],
            cwd=run,
            capture_output=True,
            text=True,
        ).stdout
        changed = [
            line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"
        ]
        out(f"  {name}")
        for line in changed:
            out(f"      {line.strip()}")
    if EQUIVALENT:
        out("\nJudged equivalent:")
        for name, reason in EQUIVALENT.items():
            out(f"  {name}: {reason}")
    if below:
        out(f"\nBelow {TARGET:g}%: {', '.join(below)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--prepare-cache-run"]:
        prepare_cache_run()
    else:
        main()
