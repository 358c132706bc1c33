#!/usr/bin/env python3
"""Runs every example command line of every `pretext … --help`, for real, in order.

The test suite only parses them (HelpValuesTests): a command can parse and still fail on
the bundled file it names — Coffee read without --wide was one. This runs each example
in a scratch directory per help text that links the repository's datasets/; an example
may read a model an earlier example wrote (in its own help, else the first earlier help's
that wrote one of that name, copied in: `predict model.safetensors` reads the tabular
model the top-level help's `fit` wrote, not the series classifier of the same name). Examples that name files nobody ships
(sales.csv, history.csv, table.csv, …) are listed as skipped, not run; `mpirun` examples
run on one process. Exit status 1 if any example that ran failed.

Usage: python3 scripts/run-help-examples.py [PRETEXT] [--timeout SECONDS]
  PRETEXT  the binary (default .build/release/pretext; build it first)
Long examples (auto, compare with many seeds) take minutes each: run it beside nothing else.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

# In an order where the models an example reads were written by an earlier one.
COMMANDS = [[], ["inspect"], ["cache"], ["pretrain"], ["finetune"], ["fit"],
            ["series"], ["series", "pretrain"], ["series", "forecast"], ["series", "classify"], ["series", "compare"],
            ["predict"], ["embed"], ["compare"]]


def examples(help_text):
    """The command lines under "Examples:", continuation lines joined (as HelpValuesTests reads them)."""
    found, current, inside = [], "", False
    for line in help_text.splitlines():
        if line.startswith("Examples:"):
            inside = True
            continue
        if not inside:
            continue
        text = line.strip()
        if text.startswith("USAGE:"):
            break
        if not text:
            continue
        current += (" " if current else "") + (text[:-1].strip() if text.endswith("\\") else text)
        if not text.endswith("\\"):
            if "pretext " in current:
                found.append(current)
            current = ""
    return found


def main():
    args = sys.argv[1:]
    timeout = 900
    if "--timeout" in args:
        index = args.index("--timeout")
        timeout = float(args[index + 1])
        del args[index:index + 2]
    repository = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = os.path.abspath(args[0] if args else os.path.join(repository, ".build/release/pretext"))
    if not os.access(binary, os.X_OK):
        sys.exit(f"run-help-examples: {binary} is not an executable (build it: swift build -c release --product pretext)")
    root = tempfile.mkdtemp(prefix="pretext-help-examples-")
    failures, ran, skipped, earlier = [], 0, [], []
    for command in COMMANDS:
        scratch = os.path.join(root, "-".join(command) or "pretext")
        os.makedirs(scratch)
        os.symlink(os.path.join(repository, "datasets"), os.path.join(scratch, "datasets"))
        help_text = subprocess.run([binary, *command, "--help"], capture_output=True, text=True).stdout
        for example in examples(help_text):
            words = shlex.split(example[example.index("pretext "):])
            inputs = [w for w in words if re.search(r"\.(csv|tsv|csv\.gz|safetensors|pretext)$", w) and "/" not in w.rstrip("/")]
            written = {w for i, w in enumerate(words) if i > 0 and words[i - 1] in ("-o", "--output")}
            for name in inputs:
                here = os.path.join(scratch, name)
                source = next((os.path.join(d, name) for d in earlier if os.path.exists(os.path.join(d, name))), None)
                if name not in written and not os.path.exists(here) and source:
                    shutil.copy(source, here)
            missing = [w for w in inputs if w not in written and not os.path.exists(os.path.join(scratch, w))]
            if missing and any(not w.endswith(".safetensors") for w in missing):
                skipped.append((example, missing))
                continue
            ran += 1
            start = time.time()
            try:
                result = subprocess.run([binary, *words[1:]], cwd=scratch, capture_output=True, text=True, timeout=timeout)
                status, error = result.returncode, (result.stderr.strip().splitlines() or [""])[-1]
            except subprocess.TimeoutExpired:
                status, error = "timeout", f"still running after {timeout:.0f} s"
            mark = "ok  " if status == 0 else "FAIL"
            print(f"{mark} {time.time() - start:6.1f} s  {example}" + ("" if status == 0 else f"\n       exit {status}: {error}"), flush=True)
            if status != 0:
                failures.append(example)
        earlier.append(scratch)
    for example, missing in skipped:
        print(f"skip          {example}  (needs {', '.join(missing)})")
    print(f"{ran} examples ran, {len(failures)} failed, {len(skipped)} skipped (files nobody ships); scratch directories under {root}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
