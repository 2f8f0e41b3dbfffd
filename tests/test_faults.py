"""Issue 14: faults and hostile input — stuck editions, one file under several names,
tracebacks instead of answers, text lost without a word, settings silently ignored,
the machine's shaping libraries. One test (or a few) per class, faults injected."""

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pypdf
import pytest
from PIL import Image

from paiban import build, environment, files, fit, watch
from paiban.build import build_edition
from paiban.cli import main
from paiban.errors import PaibanError
from paiban.source import parse_edition

from conftest import BODY, ROOT, make_edition, write_edition

PAIBAN = [sys.executable, "-m", "paiban"]


def run(args, timeout=120, **options):
    return subprocess.run(PAIBAN + args, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, **options)


def no_traceback(text):
    return "Traceback" not in text and "File \"" not in text


# Stuck editions: workers die with the build, the lock goes with them, outputs
# change as one set.

def children_of(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def page_texts(target):
    return {path.name: pymupdf.open(path)[0].get_text() for path in sorted(target.glob("p*.pdf"))}


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_parallel_build_leaves_no_worker_no_lock_and_the_old_set(tmp_path, signum):
    folder = write_edition(tmp_path / "ed", pages=4)
    out = tmp_path / "out"
    assert run(["build", str(folder), "-o", str(out), "-j", "2"]).returncode == 0
    target = out / "ed"
    before = page_texts(target)
    report_before = (target / "build.json").read_bytes()
    for page in folder.glob("p*.md"):  # every page changes
        page.write_text(page.read_text(encoding="utf-8").replace("# ", "# 新", 1),
                        encoding="utf-8")
    process = subprocess.Popen(PAIBAN + ["build", str(folder), "-o", str(out), "-j", "2"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list((target / files.STAGING).glob("p*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.01)  # until a first new page is staged, the others still rendering
    workers = children_of(process.pid)
    assert workers, "the build should be running its workers"
    process.send_signal(signum)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(map(alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(alive, workers)), "workers outlived the build"
    assert no_traceback(process.stderr.read().decode())
    assert page_texts(target) == before  # the old set, whole
    assert (target / "build.json").read_bytes() == report_before
    again = run(["build", str(folder), "-o", str(out), "-j", "2"])
    assert again.returncode == 0, again.stderr  # not "busy"
    after = page_texts(target)
    assert all("新" in text for text in after.values()) and not (target / files.STAGING).exists()


def test_a_publication_cut_short_is_finished_by_the_next_build_or_dropped(tmp_path):
    target = tmp_path / "ed"
    (target / "p01.pdf").parent.mkdir(parents=True)
    (target / "p01.pdf").write_bytes(b"old")
    files.write_atomically(files.staged(target, target / "p01.pdf"), b"new")
    files.write_atomically(files.staged(target, target / "build.json"), b"{}")
    files.recover(target)  # killed before COMPLETE: the new set never happened
    assert (target / "p01.pdf").read_bytes() == b"old" and not (target / "build.json").exists()
    files.write_atomically(files.staged(target, target / "p01.pdf"), b"new")
    files.write_atomically(files.staged(target, target / "build.json"), b"{}")
    files.write_atomically(target / files.STAGING / files.COMPLETE, b"")
    files.recover(target)  # killed while moving into place: finished
    assert (target / "p01.pdf").read_bytes() == b"new" and (target / "build.json").is_file()
    assert not (target / files.STAGING).exists()


def test_the_busy_message_names_the_build_holding_the_lock(tmp_path, fonts):
    folder = make_edition(tmp_path / "ed")
    with build.edition_lock(tmp_path / "out" / "ed"):
        with pytest.raises(PaibanError) as error:
            build_edition(parse_edition(folder), fonts, tmp_path / "out")
    assert f"pid {os.getpid()}" in error.value.message


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_photo_that_is_not_a_regular_file_is_an_error_and_never_hangs(tmp_path, kind):
    folder = make_edition(tmp_path / "ed", body=f"{BODY}\n\n![图片说明。](photos/x.jpg)")
    (folder / "photos").mkdir()
    special = folder / "photos" / "x.jpg"
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "folder":
        special.mkdir()
    else:
        special.symlink_to("/dev/zero")  # resolves outside the edition: refused too
    for extra in ([], ["--print"]):
        result = run(["build", str(folder), "-o", str(tmp_path / "out"), *extra], timeout=90)
        assert result.returncode == 1 and no_traceback(result.stderr + result.stdout)
        assert "p01.md:11" in result.stdout


# One file, one name: a photo is checked, placed, cached and archived as itself.

def test_a_photo_named_in_chinese_with_a_space_is_placed_cached_and_archived(tmp_path, fonts):
    from paiban.archive.revision import archive_edition
    name = "photos/会场 全景.jpg"
    folder = make_edition(tmp_path / "ed", body=f"{BODY}\n\n![会场全景。](<{name}>)")
    (folder / "photos").mkdir()
    Image.new("RGB", (1600, 1000), (120, 160, 200)).save(folder / name)
    edition = parse_edition(folder)
    entry = build_edition(edition, fonts, tmp_path / "out")["pages"][0]
    assert not entry["warnings"] and not entry["errors"]
    assert pymupdf.open(entry["pdf"])[0].get_images()
    Image.new("RGB", (1600, 1000), (200, 60, 60)).save(folder / name)  # replaced
    again = build_edition(parse_edition(folder), fonts, tmp_path / "out")["pages"][0]
    assert not again["cached"] and again["changes"]
    revision = archive_edition(parse_edition(folder), fonts, tmp_path / "archive")
    attached = pypdf.PdfReader(revision / "p01.pdf").attachments
    assert attached[f"source/{name}"][0] == (folder / name).read_bytes()
    printed = build_edition(edition, fonts, tmp_path / "out", output="print")["pages"][0]
    assert not printed["errors"] and pymupdf.open(printed["pdf"])[0].get_images()


def edition_with_pages(folder, pages, numbers):
    folder.mkdir(parents=True)
    for name, number in zip(pages, numbers):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"---\npage: {number}\n---\n\n# 标题\n\n{BODY}\n",
                                   encoding="utf-8")
    (folder / "edition.yaml").write_text(
        f"paper: 测试日报\ndate: 2024-03-01\nissue: 7\npages: [{', '.join(pages)}]\n",
        encoding="utf-8")
    return folder


@pytest.mark.parametrize("pages, numbers, words, line", [
    (["a/p01.md", "b/p01.md"], [1, 2], "would both write p01.pdf", 4),
    (["p01.md", "p01.md"], [1, 1], "page number 1 is given by both", 2),
    (["p01.md", "p02.md"], [3, 3], "page number 3 is given by both", 2),
])
def test_two_pages_under_one_name_or_number_are_refused(tmp_path, pages, numbers, words, line):
    folder = edition_with_pages(tmp_path / "ed", pages, numbers)
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert words in error.value.message and error.value.line == line


def test_two_editions_of_one_folder_name_in_one_command_are_refused(tmp_path, capsys):
    first = make_edition(tmp_path / "a" / "ed")
    second = make_edition(tmp_path / "b" / "ed")
    assert main(["build", str(first), str(second), "-o", str(tmp_path / "out")]) == 2
    assert "would both write ed/" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# Tracebacks instead of answers: every input fault is located, every environment
# fault named with its fix, and a bug says so in one line with its log.

BAD_EDITION_FILES = [
    ("paper: 日报\ndate: 2023-02-30\nissue: 1\npages: [p01.md]\n", 2, "not a valid value"),
    ("paper: 日报\ndate: 2024-03-01\nissue: 1\npages: [p01.md]\n1: x\n", 5, "is not a name"),
    ("paper: 日报\ndate: 2024-03-01\nissue: 1\npages: [p01.md]\nprint: "
     + "[" * 5000 + "]" * 5000 + "\n", 5, "nested more than"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
     1, "anchors and aliases"),
    ("paper: 日报\ndate: 2024-03-01\nissue: 1\npages: [p01.md]\npaper_sise: tabloid\n", 5,
     "unknown key 'paper_sise'"),
    ("paper: 日报\ndate: 2024-03-01\nissue: 1\npages: [p01.md]\nprint: {bleed: 3}\n", 5,
     "unknown key 'bleed'"),
    ("paper: '  '\ndate: 2024-03-01\nissue: 1\npages: [p01.md]\n", 1, "'paper' is blank"),
    ("paper: 日报\ndate: 2024-03-01\nissue: 1\npages: [p01.md, [x]]\n", 4,
     "is not a file name"),
    ("paper: 日报\ndate: 2024-03-01\nissue: 1\npages: [p01.md]\nsample: " + "x" * 10**6
     + "\n", None, None),
]


@pytest.mark.parametrize("text, line, words", BAD_EDITION_FILES)
def test_a_bad_edition_file_is_a_located_bounded_answer(tmp_path, capsys, text, line, words):
    folder = make_edition(tmp_path / "ed")
    (folder / "edition.yaml").write_text(text, encoding="utf-8")
    status = main(["check", str(folder)])
    err = capsys.readouterr().err
    assert len(err) < 600 and no_traceback(err)
    if words is None:  # a huge but harmless value: accepted, and never printed
        assert status == 0
        return
    assert status == 2 and words in err and f"edition.yaml:{line}:" in err
    assert "fix:" in err


def test_a_misspelt_key_names_the_nearest_valid_one(tmp_path, capsys):
    folder = make_edition(tmp_path / "ed", edition_extra="paper_sise: tabloid\n")
    assert main(["check", str(folder)]) == 2
    assert "did you mean 'paper_size'?" in capsys.readouterr().err


@pytest.mark.parametrize("front, line, words", [
    ("page: 1\n2: x\n", 3, "is not a name"),
    ("page: 1\ntitel: 专版\n", 3, "did you mean 'title'?"),
    ("page: 1\neditors: {editor: &x [a], art_editor: *x}\n", 3, "anchors and aliases"),
])
def test_bad_front_matter_is_located(tmp_path, capsys, front, line, words):
    folder = make_edition(tmp_path / "ed", front=front)
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert words in err and f"p01.md:{line}:" in err and no_traceback(err)


@pytest.mark.parametrize("fault", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_disk_that_refuses_writes_is_named_with_its_fix(tmp_path, monkeypatch, capsys, fault):
    folder = make_edition(tmp_path / "ed")

    sync = os.fsync

    def refuse(descriptor):  # the disk under the output folder refuses, no other
        if os.readlink(f"/proc/self/fd/{descriptor}").startswith(str(tmp_path / "out")):
            raise OSError(fault, os.strerror(fault))
        sync(descriptor)
    monkeypatch.setattr(files.os, "fsync", refuse)
    assert main(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert os.strerror(fault) in err and "fix:" in err and no_traceback(err)
    assert str(tmp_path / "out" / "ed") in err
    assert not list((tmp_path / "out" / "ed").rglob("*.pdf"))  # nothing half-written
    assert not (tmp_path / "out" / "ed" / files.STAGING).exists()


def test_an_output_path_that_is_a_file_is_named(tmp_path, capsys):
    folder = make_edition(tmp_path / "ed")
    (tmp_path / "out").write_text("a file")
    assert main(["build", str(folder), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "out") in err and "pass a folder" in err and no_traceback(err)


def test_importing_a_missing_file_is_named(tmp_path):
    result = run(["import", str(tmp_path / "nowhere.txt")])
    assert result.returncode != 0 and "nowhere.txt" in result.stderr
    assert no_traceback(result.stderr)


def test_a_bug_in_paiban_is_one_line_and_a_log(tmp_path, monkeypatch, capsys):
    folder = make_edition(tmp_path / "ed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def bug(*args, **kwargs):
        return 1 / 0
    monkeypatch.setattr(fit, "fit_page", bug)
    assert main(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "1"]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "internal error" in err and no_traceback(err)
    log = Path(err.rsplit(" ", 1)[1])
    assert "ZeroDivisionError" in log.read_text()


def test_watch_keeps_watching_through_faults_and_bugs(tmp_path, fonts, monkeypatch):
    folder = make_edition(tmp_path / "ed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    real = watch.build_edition
    faults = iter([OSError(errno.ENOSPC, "No space left on device", "out/ed/p01.pdf"),
                   ZeroDivisionError("bug")])

    def flaky(*args, **kwargs):
        fault = next(faults, None)
        if fault:
            raise fault
        return real(*args, **kwargs)
    monkeypatch.setattr(watch, "build_edition", flaky)
    lines, calls = [], []

    def stop():
        calls.append(1)
        if len(calls) in (1, 40):  # after each fault an edit, which the watch rebuilds
            with open(folder / "p01.md", "a", encoding="utf-8") as page:
                page.write(f"\n再改{len(calls)}。\n")
        return any(line.startswith("edition rebuilt") for line in lines) or len(calls) > 600

    watch.watch(folder, fonts, tmp_path / "out", report=lines.append, stop=stop)
    assert lines[0].startswith("error:") and "No space left" in lines[0]
    assert any(line.startswith("internal error") for line in lines)
    assert lines[-1].startswith("edition rebuilt")


# Text lost without a word: characters that set as nothing are refused.

@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1f", "\x85",
                                  "\x07", "\t"])
def test_an_invisible_control_character_is_a_located_error(tmp_path, capsys, char):
    folder = make_edition(tmp_path / "ed", body=f"第一句。\n\n第二{char}句。")
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"U+{ord(char):04X}" in err and "p01.md:11:" in err and "column 3" in err


def test_space_characters_other_than_the_plain_space_are_checked_for_coverage(tmp_path):
    from paiban import preflight

    class NoSpaces:  # a font chain with no space glyphs at all
        def face_for(self, role, char):
            return None if char.isspace() else "face"

        def chain(self, role):
            return []
    folder = make_edition(tmp_path / "ed", body="第一\u3000第二\u2009第三 第四。")
    edition = parse_edition(folder)
    found = preflight.coverage(edition.pages[0], NoSpaces(), edition.house)
    named = {error.message.split("(")[1].split()[0] for error in found}
    assert named == {"U+3000", "U+2009"}  # the plain space is set as a position


# The machine: Pango and HarfBuzz are pinned in setup.sh and checked at start.

def test_the_shaping_library_pins_are_the_ones_setup_installs():
    setup = (ROOT / "setup.sh").read_text()
    for package, (_, _, version) in environment.SHAPING_LIBRARIES.items():
        assert f'"{package}={version}"' in setup


def test_another_pango_is_named_with_the_pinned_version():
    import ctypes

    class OtherPango:
        def __init__(self, name):
            self.library = ctypes.CDLL(name)
            self.pango_version_string = lambda: b"1.56.3"
            self.pango_version_string.restype = None

        def __getattr__(self, name):
            return getattr(self.library, name)
    with pytest.raises(PaibanError) as error:
        environment.check(load=lambda name: OtherPango(name) if "pango-1" in name
                          else ctypes.CDLL(name))
    assert "libpango-1.0-0 1.56.3 (pinned 1.50.12+ds-1)" in error.value.message
    assert "apt-get install libpango-1.0-0=1.50.12+ds-1" in error.value.fix


def test_build_json_and_pdfs_agree_after_a_build(tmp_path):
    folder = write_edition(tmp_path / "ed", pages=2)
    assert run(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "2"]).returncode == 0
    report = json.loads((tmp_path / "out" / "ed" / "build.json").read_text())
    assert all(Path(page["pdf"]).is_file() for page in report["pages"])
    assert Path(report["edition_pdf"]).is_file()


def test_a_page_that_fails_leaves_no_old_pdf_beside_the_new_report(tmp_path, fonts):
    folder = make_edition(tmp_path / "ed")
    first = build_edition(parse_edition(folder), fonts, tmp_path / "out")
    assert Path(first["pages"][0]["pdf"]).is_file() and Path(first["edition_pdf"]).is_file()
    page = folder / "p01.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\U0002EBF0\n", encoding="utf-8")
    second = build_edition(parse_edition(folder), fonts, tmp_path / "out")
    assert second["pages"][0]["errors"] and second["pages"][0]["pdf"] is None
    assert not list((tmp_path / "out" / "ed").glob("*.pdf"))  # neither page nor edition


def test_a_print_build_with_errors_leaves_no_plate(tmp_path, fonts):
    folder = make_edition(tmp_path / "ed", body="长" * 60_000)  # far more than a page holds
    report = build_edition(parse_edition(folder), fonts, tmp_path / "out", output="print")
    assert report["pages"][0]["errors"] and report["pages"][0]["pdf"] is None
    assert not list((tmp_path / "out" / "ed" / "print").glob("*.pdf"))


def test_ideographs_of_every_extension_are_han_whatever_python_knows():
    from paiban.chars import is_han
    for code in (0x3400, 0x4E00, 0x20000, 0x2A700, 0x2B820, 0x2CEB0, 0x2EBF0, 0x30000, 0x31350):
        assert is_han(chr(code)), hex(code)
    assert not any(map(is_han, "。a1—"))
