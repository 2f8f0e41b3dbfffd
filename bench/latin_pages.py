"""Latin-heavy feature pages: how flush and how even the composer sets them.

Builds generated feature articles (tests/copygen.py, about 4,500 characters each, the
sample's feature layout, through paiban.build) for seeds and Latin shares, and measures
every body, lead and caption line from the PDF's glyph positions (tests/typeset_lines.py):
lines, short (ragged) lines, loose lines (a Han–Han gap over 0.1 em), the widest
Han–Han gap, Latin words split without a hyphen. Issue 13's bars: no short line, loose
lines under 1%, no gap over ¼ em, no split word.

Run: .venv/bin/python bench/latin_pages.py [seeds] [shares]   (default 1-20, 0.05,0.1,0.2)
"""

import datetime
import sys
import tempfile
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_typesetting import latin_heavy_edition
from typeset_lines import set_lines, violations

from paiban.build import build_edition, check_page
from paiban.chars import is_han, is_latin
from paiban.fonts import Fonts

LOOSE = "5 han gap over 0.1 em (1% allowed)"


def widest_han_gap(lines, fonts):
    """The widest space between two adjacent Han glyphs on the page, em."""
    widest = 0.0
    for set_line in lines:
        glyphs = set_line.glyphs
        for a, b in pairwise(glyphs):
            if is_han(a.char) and is_han(b.char):
                gap = b.x - a.x - fonts.advance(a.role, a.char) * set_line.size
                widest = max(widest, gap / set_line.size)
    return widest


def measure(seed, share, fonts, folder):
    edition = latin_heavy_edition(folder / f"e{seed}-{share}", seed=seed, share=share)
    report = build_edition(edition, fonts, folder / f"o{seed}-{share}")
    (entry,) = report["pages"]
    _, placed = check_page(edition, edition.pages[0], fonts)
    lines = set_lines(entry["pdf"], placed)
    found = violations(lines, fonts)
    text = "".join(set_line.line.text for set_line in lines)
    loose = found.pop(LOOSE, [])
    split = found.pop("13 latin word split", [])
    return {"lines": len(lines), "latin": sum(map(is_latin, text)) / len(text),
            "short": entry["short_lines"], "ragged": len(found.pop("5 right edge", [])),
            "loose": len(loose) / len(lines), "gap": widest_han_gap(lines, fonts),
            "split": len(split),
            "other": sum(map(len, found.values())), "overset": bool(entry["overset"]),
            "examples": split + loose + [str(v) for v in found.values()]}


def main():
    seeds = range(1, 21) if len(sys.argv) < 2 else [int(s) for s in sys.argv[1].split(",")]
    shares = (0.05, 0.1, 0.2) if len(sys.argv) < 3 else [float(s) for s in sys.argv[2].split(",")]
    fonts = Fonts()
    print(f"bench/latin_pages.py, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"{'seed':>4} {'share':>5} {'latin':>6} {'lines':>5} {'short':>5} {'loose%':>6} "
          f"{'max gap em':>10} {'split':>5} {'other':>5}  bars")
    bad = 0
    totals = {"lines": 0, "short": 0, "split": 0}
    worst_loose, worst_gap = 0.0, 0.0
    with tempfile.TemporaryDirectory() as folder:
        for share in shares:
            for seed in seeds:
                m = measure(seed, share, fonts, Path(folder))
                ok = not (m["short"] or m["ragged"] or m["split"] or m["other"]
                          or m["loose"] >= 0.01 or m["gap"] > 0.25 + 0.006)
                bad += not ok
                for key in totals:
                    totals[key] += m[key]
                worst_loose, worst_gap = max(worst_loose, m["loose"]), max(worst_gap, m["gap"])
                print(f"{seed:>4} {share:>5} {m['latin']:>6.1%} {m['lines']:>5} {m['short']:>5} "
                      f"{m['loose']:>6.1%} {m['gap']:>10.3f} {m['split']:>5} {m['other']:>5}  "
                      f"{'ok' if ok else 'FAIL'}" + (" overset" if m["overset"] else ""))
                if not ok and "-v" in sys.argv:
                    print("      ", m["examples"][:4])
    runs = len(seeds) * len(shares)
    print(f"{runs - bad}/{runs} articles meet every bar; {totals['lines']} lines, "
          f"{totals['short']} short, {totals['split']} split words, worst loose "
          f"{worst_loose:.1%}, widest Han–Han gap {worst_gap:.3f} em")


if __name__ == "__main__":
    main()
