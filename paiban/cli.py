"""The `paiban` command: import, build, watch, check, fonts, archive, verify.

Bad input ends in a located message and a non-zero exit, never a traceback.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import environment
from .errors import PaibanError

SOURCE = Path("source")
SHOWN = 4  # findings listed per page in the summary


def editions(paths):
    folders = [Path(p) for p in paths] or sorted(
        p.parent for p in SOURCE.glob("*/edition.yaml"))
    if not folders:
        raise PaibanError("no edition found", SOURCE,
                          fix="pass an edition folder, e.g. paiban build source/<edition>")
    from .source import parse_edition
    return [parse_edition(folder) for folder in folders]


def command_import(args):
    from .importer import import_text
    from .source import read_text
    source, summary = import_text(read_text(args.input), page=args.page, title=args.title)
    if args.output:
        from .files import write_atomically
        write_atomically(Path(args.output), source.encode())
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(source)
    print(summary, file=sys.stderr if not args.output else sys.stdout)
    return 0


def command_build(args):
    environment.check()
    from .build import build_edition
    from .fonts import Fonts
    fonts = Fonts()
    status = 0
    for edition in editions(args.editions):
        started = time.perf_counter()
        report = build_edition(edition, fonts, args.output, strict=args.strict,
                               jobs=args.jobs, progress=progress_bar(started))
        print_summary(edition, report)
        status |= 0 if report["ok"] else 1
    return status


def progress_bar(started):
    """Pages done and time left, on one line of stderr."""
    def show(done, total, entry):
        elapsed = time.perf_counter() - started
        left = elapsed / done * (total - done)
        bar = "#" * round(20 * done / total)
        end = "\n" if done == total or not sys.stderr.isatty() else ""
        print(f"\r[{bar:<20}] {done}/{total} pages  {elapsed:.1f} s, about {left:.1f} s left",
              end=end, file=sys.stderr, flush=True)
    return show


def print_summary(edition, report):
    print(f"{'page':>4}  {'status':<8}{'seconds':>8}  {'overset':>8}  {'warnings':>8}  pdf")
    for page in report["pages"]:
        status = "FAILED" if page["errors"] else "cached" if page["cached"] else "ok"
        print(f"{page['page']:>4}  {status:<8}{page['seconds']:>8.2f}  "
              f"{page['overset_characters']:>8}  {len(page['warnings']):>8}  {page['pdf'] or '-'}")
        findings = [("error", f) for f in page["errors"]] + \
            [("warning", f) for f in page["warnings"]]
        for kind, finding in findings[:SHOWN]:
            print(f"      {kind}: {finding['path']}:{finding['line']}: {finding['message']}")
        if len(findings) > SHOWN:
            print(f"      … and {len(findings) - SHOWN} more (paiban check {edition.path})")
    if report.get("edition_pdf"):
        print(f"{edition.slug}: {report['edition_pdf']}")


def command_watch(args):
    environment.check()
    from .fonts import Fonts
    from .watch import watch
    watch(Path(args.edition), Fonts(), args.output,
          report=lambda line: print(line, flush=True))
    return 0


def command_archive(args):
    environment.check()
    from .archive import archive_edition
    from .fonts import Fonts
    fonts = Fonts()
    for edition in editions(args.editions):
        revision = archive_edition(edition, fonts, args.root)
        print(f"{edition.slug}: archived as {revision}")
    print(f"catalog: {Path(args.root) / 'index.html'}")
    return 0


def command_verify(args):
    environment.check()
    from .archive import verify
    from .fonts import Fonts
    report = verify(args.revision, Fonts())
    for name in report["damaged"]:
        print(f"DAMAGED  {name}: checksum differs from the manifest, or missing")
    for page in report["pages"]:
        note = "" if page["templates_same"] and page["versions_same"] else \
            "  (templates or versions differ from the archived ones)"
        print(f"page {page['page']}: {page['result']}{note}")
    print("ok" if report["ok"] else "FAILED")
    return 0 if report["ok"] else 1


def command_check(args):
    environment.check()
    from .build import check_page
    from .fonts import Fonts
    fonts = Fonts()
    results = []
    for edition in editions(args.editions):
        for page in edition.pages:
            findings, _ = check_page(edition, page, fonts, strict=args.strict)
            results += findings
    if args.json:
        print(json.dumps([f.as_dict() for f in results], ensure_ascii=False, indent=2))
    else:
        for finding in results:
            print(finding)
        errors = sum(f.severity == "error" for f in results)
        print(f"{errors} error(s), {len(results) - errors} warning(s)")
    return 1 if any(f.severity == "error" for f in results) else 0


def command_fonts(args):
    from .fonts import status
    rows = status()
    for row in rows:
        print(f"{row['role']:<11} {row['state']:<17} {row['family']} "
              f"[{row['file']} #{row['index']}] ({row['package']})  {row['use']}")
        if row["install"]:
            print(f"            install: {row['install']}")
    return 0 if all(row["state"] == "ok" for row in rows) else 1


def parser():
    main = argparse.ArgumentParser(prog="paiban", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="raw extracted text -> page source")
    imp.add_argument("input")
    imp.add_argument("-o", "--output", help="page source file to write (default: stdout)")
    imp.add_argument("--page", type=int, default=1, help="page number for the front matter")
    imp.add_argument("--title", default="专版", help="page title for the front matter")
    imp.set_defaults(run=command_import)
    build = commands.add_parser("build", help="build editions to PDF")
    build.add_argument("editions", nargs="*", help="edition folders (default: all)")
    build.add_argument("-o", "--output", default="output")
    build.add_argument("--strict", action="store_true", help="missing images are errors")
    build.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                       help="pages rendered at once (default: the number of cores)")
    build.set_defaults(run=command_build)
    watch = commands.add_parser("watch", help="rebuild changed pages on save")
    watch.add_argument("edition")
    watch.add_argument("-o", "--output", default="output")
    watch.set_defaults(run=command_watch)
    archive = commands.add_parser("archive", help="archive editions as PDF/A-3b revisions")
    archive.add_argument("editions", nargs="*")
    archive.add_argument("--root", default="archive")
    archive.set_defaults(run=command_archive)
    verify = commands.add_parser("verify", help="check an archive revision and rebuild it")
    verify.add_argument("revision")
    verify.set_defaults(run=command_verify)
    check = commands.add_parser("check", help="preflight without writing PDFs")
    check.add_argument("editions", nargs="*")
    check.add_argument("--json", action="store_true")
    check.add_argument("--strict", action="store_true")
    check.set_defaults(run=command_check)
    fonts = commands.add_parser("fonts", help="font roles, files, checksums")
    fonts.set_defaults(run=command_fonts)
    return main


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except PaibanError as error:
        print(f"paiban: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("paiban: interrupted; finished files are complete, nothing half-written",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
