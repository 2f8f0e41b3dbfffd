"""Edit saved → new PDF on disk, with `paiban watch` running on a copy of the sample.

Each round changes one paragraph of the page source and times until the page PDF is
replaced. Run: .venv/bin/python bench/watch_latency.py   (prints figures; not a test)
"""

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "source" / "sample-2023-01-16"
ROUNDS = 7
EDITS = ("切实将学习实效转化为", "切实将学习成果转化为")


def wait_for(condition, timeout=60):
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        time.sleep(0.005)


def main():
    work = Path(tempfile.mkdtemp())
    edition = work / EDITION.name
    shutil.copytree(EDITION, edition)
    out = work / "out"
    pdf = out / EDITION.name / "p05-dawukou.pdf"
    watcher = subprocess.Popen([sys.executable, "-m", "paiban", "watch", str(edition),
                                "-o", str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: "watching" in watcher.stdout.readline())
        source = edition / "p05-dawukou.md"
        latencies = []
        for round_ in range(ROUNDS):
            before = pdf.stat().st_mtime_ns
            old, new = EDITS if round_ % 2 == 0 else EDITS[::-1]
            text = source.read_text(encoding="utf-8").replace(old, new)
            started = time.perf_counter()
            source.write_text(text, encoding="utf-8")
            wait_for(lambda before=before: pdf.stat().st_mtime_ns != before)
            latencies.append(time.perf_counter() - started)
            time.sleep(1.0)  # let the change proof finish before the next edit
    finally:
        watcher.terminate()
        watcher.wait()
        shutil.rmtree(work)
    print(f"edit saved -> new page PDF, {ROUNDS} rounds: median {statistics.median(latencies):.2f} s,"
          f" min {min(latencies):.2f} s, max {max(latencies):.2f} s")


if __name__ == "__main__":
    main()
