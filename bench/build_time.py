"""Time to build the sample page: cold (new process) and warm (fonts loaded).

Run: .venv/bin/python bench/build_time.py   (prints a table; not a test)
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paiban.build import build_edition  # noqa: E402
from paiban.fonts import Fonts  # noqa: E402
from paiban.source import parse_edition  # noqa: E402

EDITION = ROOT / "source" / "sample-2023-01-16"


def cold(runs=3):
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "paiban", "build", str(EDITION), "-o", out],
                           cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return times


def warm(runs=5):
    fonts = Fonts()
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            build_edition(parse_edition(EDITION), fonts, out)
            times.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    print(f"{'build of the sample page':<28}{'median s':>10}{'min s':>8}")
    for name, times in (("cold process", cold()), ("warm process", warm())):
        print(f"{name:<28}{statistics.median(times):>10.2f}{min(times):>8.2f}")
