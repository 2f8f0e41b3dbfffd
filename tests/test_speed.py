"""Issue 15, speed: what a process spends besides rendering the pages that changed."""

import os
import subprocess
import sys
from pathlib import Path

from paiban import checks
from paiban.build import build_edition
from paiban.environment import WEASYPRINT_LIBRARIES
from paiban.source import parse_edition

from conftest import ROOT, write_edition


def test_loading_the_renderer_starts_no_process_and_loads_the_pinned_libraries():
    probe = (
        "import ctypes.util, subprocess\n"
        "started, real = [], subprocess.Popen.__init__\n"
        "def spy(self, args, *rest, **options):\n"
        "    started.append(args)\n"
        "    real(self, args, *rest, **options)\n"
        "subprocess.Popen.__init__ = spy\n"
        "import paiban.render\n"
        "maps = open('/proc/self/maps').read()\n"
        f"print(started, [name for name in {WEASYPRINT_LIBRARIES!r} if '/' + name not in maps],"
        " ctypes.util.find_library.__module__)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.stdout.split() == ["[]", "[]", "ctypes.util"], result.stdout + result.stderr


def test_an_edition_rebuilt_after_a_one_page_edit_reads_back_that_page_alone(
        tmp_path, fonts, monkeypatch):
    folder = write_edition(tmp_path / "ed")
    build_edition(parse_edition(folder), fonts, tmp_path / "out", jobs=1)
    read, real = [], checks.spans
    monkeypatch.setattr(checks, "spans", lambda pdf: read.append(Path(pdf).name) or real(pdf))
    page = folder / "p02.md"
    page.write_text(page.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    report = build_edition(parse_edition(folder), fonts, tmp_path / "out", jobs=1)
    assert [p["cached"] for p in report["pages"]] == [True, False, True]
    assert set(read) <= {"p02.pdf"} and report["checks"]


def test_a_new_process_sets_the_page_from_templates_compiled_before(tmp_path):
    probe = (
        "import jinja2\n"
        "from paiban import render\n"
        "compiled, real = [], jinja2.Environment.compile\n"
        "def spy(self, *args, **options):\n"
        "    compiled.append(args[1] if len(args) > 1 else options.get('name'))\n"
        "    return real(self, *args, **options)\n"
        "jinja2.Environment.compile = spy\n"
        "for layout in ('feature', 'news'):\n"
        "    render.environment().get_template(f'{layout}.html.j2')\n"
        "print(len(compiled))\n")
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           cwd=ROOT, timeout=60, env={**os.environ,
                                                      "XDG_CACHE_HOME": str(tmp_path)})
            for _ in range(2)]
    assert [run.stdout.strip() for run in runs] == ["2", "0"], runs[-1].stderr
