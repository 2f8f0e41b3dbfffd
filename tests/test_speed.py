"""Issue 15, speed: what a process that renders spends before it renders."""

import subprocess
import sys

from paiban.environment import WEASYPRINT_LIBRARIES

from conftest import ROOT


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
