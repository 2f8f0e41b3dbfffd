"""The `paiban` command: import, build, watch, check, fonts, archive, verify.

Bad input ends in a located message and a non-zero exit, never a traceback.
"""

import argparse
import contextlib
import dataclasses
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from . import environment
from .errors import PaibanError, environment_fault, write_log

SOURCE = Path("source")
SHOWN = 4  # findings listed per page in the summary
CLUSTER_HELP = ("a Dask scheduler, e.g. tcp://host:8786: pages are made on its workers "
                "(bash setup.sh --cluster)")


def editions(paths, marks=False):
    """The editions to work on (all under source/ by default); ``marks`` asks for
    crop marks on their print output."""
    folders = [Path(p) for p in paths] or sorted(
        p.parent for p in SOURCE.glob("*/edition.yaml"))
    if not folders:
        raise PaibanError("no edition found", SOURCE,
                          fix="pass an edition folder, e.g. paiban build source/<edition>")
    from .source import parse_edition
    found = [parse_edition(folder) for folder in folders]
    slugs = {}
    for edition in found:
        if edition.slug in slugs:
            raise PaibanError(f"editions {slugs[edition.slug]} and {edition.path} would both "
                              f"write {edition.slug}/", edition.path,
                              fix="give the edition folders different names, or build "
                                  "them in separate commands with different -o")
        slugs[edition.slug] = edition.path
    return [dataclasses.replace(e, printing=dataclasses.replace(e.printing, marks=True))
            for e in found] if marks else found


def command_import(args):
    """Extracted text or a Word document -> a draft page source; the document's
    pictures are written beside the page source, in photos/."""
    path = Path(args.input)
    fix = "give an extracted text (.txt) or a Word document (.docx)"
    if not path.is_file():
        raise PaibanError("no such file" if not path.exists() else "not a file", path, fix=fix)
    photos = []
    try:
        if path.suffix.lower() == ".docx":
            from .importer.word import import_docx
            source, summary, photos = import_docx(path, page=args.page, title=args.title)
        elif path.suffix.lower() in (".doc", ".wps"):
            raise PaibanError("an old binary Word or WPS document", path,
                              fix="open it in Word or WPS and save it as .docx")
        else:
            from .importer.extracted import import_text
            from .source import read_text
            source, summary = import_text(read_text(path), page=args.page, title=args.title)
    except OSError as error:
        raise PaibanError(f"cannot read it: {error.strerror}", path, fix=fix) from None
    if photos and not args.output:
        raise PaibanError(f"the document has {len(photos)} picture(s) and no page file to "
                          "write them beside", path,
                          fix=f"give one: paiban import {path} -o source/<edition>/p01.md")
    if args.output:
        from .files import write_atomically
        output = Path(args.output)
        for name, data in photos:
            write_atomically(output.parent / name, data)
        write_atomically(output, source.encode())
        print(f"wrote {output}" + (f" and {len(photos)} photo(s) in {output.parent / 'photos'}"
                                   if photos else ""))
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
    found = editions(args.editions, marks=args.marks)
    with cluster_of(args) as cluster:
        for edition in found:
            started = time.perf_counter()
            report = build_edition(edition, fonts, args.output, strict=args.strict,
                                   jobs=args.jobs, progress=progress_bar(started),
                                   output="print" if args.print else None, cluster=cluster)
            print_summary(edition, report)
            status |= 0 if report["ok"] else 1
    return status


def cluster_of(args):
    """The cluster ``--cluster`` names, connected and its workers checked (None
    without it); closed when the command ends."""
    if not args.cluster:
        return contextlib.nullcontext()
    from .cluster import connect
    return connect(args.cluster)


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
            if kind == "error" and finding.get("fix"):
                print(f"        fix: {finding['fix']}")
        if len(findings) > SHOWN:
            print(f"      … and {len(findings) - SHOWN} more (paiban check {edition.path})")
    print_checks(report.get("checks", {}), report.get("check_errors", []))
    if report.get("edition_pdf"):
        print(f"{edition.slug}: {report['edition_pdf']}")


def print_checks(summary, errors):
    """The edition checks' line and their errors (paiban.checks)."""
    if summary:
        print("edition checks: " + ", ".join(
            f"{name} " + ("ok" if said == "ok" else "ok on the pages built"
                          if said.startswith("ok (") else "FAILED")
            for name, said in summary.items()))
    for finding in errors:
        print(f"      error: {finding['path']}:{finding['line']}: {finding['message']}")
        if finding.get("fix"):
            print(f"        fix: {finding['fix']}")


def command_watch(args):
    environment.check()
    from .fonts import Fonts
    from .watch import watch
    watch(Path(args.edition), Fonts(), args.output,
          report=lambda line: print(line, flush=True))
    return 0


def command_archive(args):
    environment.check()
    from .archive.revision import archive_edition
    from .fonts import Fonts
    fonts = Fonts()
    found = editions(args.editions)
    with cluster_of(args) as cluster:
        for edition in found:
            revision = archive_edition(edition, fonts, args.root, cluster)
            print(f"{edition.slug}: archived as {revision}")
    print(f"catalog: {Path(args.root) / 'index.html'}")
    return 0


def command_verify(args):
    environment.check()
    from .archive.verify import verify
    from .fonts import Fonts
    fonts = Fonts()
    with cluster_of(args) as cluster:
        report = verify(args.revision, fonts, cluster)
    for name in report["damaged"]:
        print(f"DAMAGED  {name}: checksum differs from the manifest, or missing")
    for problem in report["problems"]:
        print(f"FALSE    {problem}")
    for page in report["pages"]:
        note = "" if page["templates_same"] and page["versions_same"] else \
            "  (templates or versions differ from the archived ones)"
        reason = f" ({page['reason']})" if page.get("reason") else ""
        print(f"page {page['page']}: {page['result']}{reason}{note}")
    print("ok" if report["ok"] else "FAILED")
    return 0 if report["ok"] else 1


def command_check(args):
    environment.check()
    from .build import check_page
    from .fonts import Fonts
    fonts = Fonts()
    from .checks import built_edition_checks
    results, reports, checks = [], [], {}
    for edition in editions(args.editions):
        printing = edition.printing if args.print else None
        for page in edition.pages:
            findings, placed = check_page(edition, page, fonts, args.strict, printing)
            results += findings
            if printing:
                reports.append(print_report(edition, page, placed, args.output))
        built = built_edition_checks(edition, Path(args.output) / edition.slug)
        if built:
            results += built[0]
            checks[edition.slug] = built[1]
        elif not args.json:
            print(f"edition checks: not run: no PDFs of this edition's pages in "
                  f"{Path(args.output) / edition.slug} (paiban build first, or give -o)")
    errors = sum(f.severity == "error" for f in results) + sum(len(r["errors"]) for r in reports)
    if args.json:
        print(json.dumps({"findings": [f.as_dict() for f in results], "print": reports,
                          "checks": checks}, ensure_ascii=False, indent=2))
    else:
        for finding in results:
            print(finding)
        for report in reports:
            print_prepress(report)
        for slug, summary in checks.items():
            print_checks(summary, [])
        print(f"{errors} error(s), {sum(f.severity == 'warning' for f in results)} warning(s)")
    return 1 if errors else 0


def print_report(edition, page, placed, output):
    """The prepress report of a page's print PDF, with its photos' resolution."""
    from .preflight import placed_resolutions
    from .prepress import inspect
    pdf = Path(output) / edition.slug / "print" / f"{page.path.stem}.pdf"
    if not pdf.is_file():
        return {"pdf": str(pdf), "errors": [f"no print PDF: run paiban build --print "
                                            f"{edition.path}"]}
    report = inspect(pdf, edition.printing)
    report["photos"] = [{"line": frame.source_line, "ppi": round(ppi)} for frame, ppi
                        in (placed_resolutions(edition, placed) if placed else [])]
    return report


def print_prepress(report):
    print(f"{report['pdf']}:")
    if "standard" in report:
        intent = report["output_intent"]
        print(f"  {report['standard']}, output intent {intent['subtype']} "
              f"\"{intent['condition']}\" ({intent['components']} components)")
        print(f"  colour spaces {', '.join(report['colour_spaces'])}; operators "
              f"{' '.join(report['colour_operators'])}")
        for name, image in report["images"].items():
            print(f"  image {name}: {image['colour_space']} {image['pixels'][0]}×"
                  f"{image['pixels'][1]} px, max ink {image.get('max_ink', '-')}%")
        for photo in report["photos"]:
            print(f"  photo at source line {photo['line']}: {photo['ppi']} ppi placed")
        print(f"  fonts: {', '.join(report['fonts'])}")
        print("  boxes (pt): " + "; ".join(f"{k} {v}" for k, v in report["boxes"].items()))
    for error in report["errors"]:
        print(f"  error: {error}")


def command_fonts(args):
    """The lock's roles and faces; with editions, the characters each page sets in
    a face other than its role's own; with --chars, the face each role sets them in."""
    if args.editions or args.chars:
        return fonts_used(args.editions, args.chars)
    from .fonts import status
    rows = status()
    first_fallback = next((row for row in rows if row["fallback"]), None)
    for row in rows:
        if row is first_fallback:
            print("fallback faces, tried in this order after a role's own chain:")
        print(f"{row['role']:<11} {row['state']:<17} {row['family']} "
              f"[{row['file']} #{row['index']}] ({row['package']})  {row['use']}")
        if row["chain"]:
            print(f"            tries: {' → '.join(row['chain'])}")
        if row["install"]:
            print(f"            install: {row['install']}")
    return 0 if all(row["state"] == "ok" for row in rows) else 1


def fonts_used(paths, chars):
    """`paiban fonts --chars …` and `paiban fonts <edition>`: exit 1 when a
    character is in no face of its chain."""
    from .fonts import Fonts
    from .preflight import coverage, styled_texts
    fonts, missing = Fonts(), 0
    for char in dict.fromkeys(chars or ""):
        if char.isspace():
            continue
        faces = {role: fonts.face_for(role, char) for role in fonts.text_roles}
        missing += any(face is None for face in faces.values())
        print(f"{char}  U+{ord(char):04X}  " + "  ".join(
            f"{role}: {face.role.family if face else 'NO FACE'}"
            for role, face in faces.items()))
    for edition in editions(paths) if paths else []:
        for page in edition.pages:
            print(page.path)
            used = fonts.fallback_characters(
                (role, text.text) for _, role, text in styled_texts(page, edition.house))
            for family, found in used.items():
                print(f"  {family:<20} {' '.join(found)}  "
                      f"({' '.join(f'U+{ord(c):04X}' for c in found)})")
            if not used:
                print("  every character is set in its role's own face")
            for finding in coverage(page, fonts, edition.house):
                print(finding)
                missing += 1
    return 1 if missing else 0


def parser():
    main = argparse.ArgumentParser(prog="paiban", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="extracted text or .docx -> page source")
    imp.add_argument("input", help="extracted text (.txt) or Word/WPS document (.docx)")
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
    build.add_argument("--print", action="store_true",
                       help="print PDFs (PDF/X, CMYK) in <output>/<edition>/print/")
    build.add_argument("--marks", action="store_true", help="crop marks on print PDFs")
    build.add_argument("--cluster", metavar="ADDRESS", help=CLUSTER_HELP)
    build.set_defaults(run=command_build)
    watch = commands.add_parser("watch", help="rebuild changed pages on save")
    watch.add_argument("edition")
    watch.add_argument("-o", "--output", default="output")
    watch.set_defaults(run=command_watch)
    archive = commands.add_parser("archive", help="archive editions as PDF/A-3b revisions")
    archive.add_argument("editions", nargs="*")
    archive.add_argument("--root", default="archive")
    archive.add_argument("--cluster", metavar="ADDRESS", help=CLUSTER_HELP)
    archive.set_defaults(run=command_archive)
    verify = commands.add_parser("verify", help="check an archive revision and rebuild it")
    verify.add_argument("revision")
    verify.add_argument("--cluster", metavar="ADDRESS", help=CLUSTER_HELP)
    verify.set_defaults(run=command_verify)
    check = commands.add_parser("check", help="preflight without writing PDFs")
    check.add_argument("editions", nargs="*")
    check.add_argument("--json", action="store_true")
    check.add_argument("--strict", action="store_true")
    check.add_argument("--print", action="store_true",
                       help="also preflight the print PDFs: PDF/X, colour, images, boxes")
    check.add_argument("-o", "--output", default="output")
    check.set_defaults(run=command_check)
    fonts = commands.add_parser(
        "fonts", help="font roles, files, checksums; with editions or --chars, "
                      "which face sets which character")
    fonts.add_argument("editions", nargs="*",
                       help="edition folders: per page, the characters set in fallback faces")
    fonts.add_argument("--chars", help="characters: the face each role sets them in")
    fonts.set_defaults(run=command_fonts)
    return main


def main(argv=None):
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        return args.run(args)
    except PaibanError as error:
        print(f"paiban: {error}", file=sys.stderr)
        return error.exit_status
    except OSError as error:
        print(f"paiban: {environment_fault(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("paiban: interrupted; finished files are complete, nothing half-written",
              file=sys.stderr)
        return 130
    except Exception:  # a bug in paiban, not the user's input: a line and a log
        log = write_log(traceback.format_exc())
        print(f"paiban: internal error (a bug in paiban, not in your input): "
              f"{sys.exc_info()[1].__class__.__name__}; details in {log}", file=sys.stderr)
        return 3


def interrupted(signum, frame):
    """SIGTERM ends a command as Ctrl-C does: workers stop, the lock is let go."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
