"""Build an edition: preflight, fit and render every page, write the PDFs and report.

Outputs go to ``<out>/<edition>/``: one PDF per page, one for the whole edition
(assembled from the page PDFs) and ``build.json``. Pages whose inputs have not changed
since the last build are taken from the cache (:mod:`paiban.cache`); the others are
rendered in parallel worker processes. Each file is written to a temporary name and
renamed into place only when complete, so an interrupted build never leaves a
truncated PDF where the last good one was.
"""

import contextlib
import ctypes
import fcntl
import functools
import gc
import hashlib
import io
import json
import multiprocessing
import os
import signal
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from . import __version__, cache
from .errors import PaibanError
from .files import (publish, recover, remove_leftovers, stage_removals, staged,
                    write_atomically)

LOCK_FILE = ".build.lock"


@functools.cache
def import_stages():
    """Import the stages that check, fit and render a page, once a process. A build
    imports them only when a page is not cached (WeasyPrint, fonttools, pypdf… take
    most of a second to import, and a build where nothing changed needs none of
    them), and before it forks its workers, which then share them.

    What importing made lives as long as the process, so it is frozen out of the
    collector's passes (gc.freeze): full passes no longer walk it (they took a tenth
    of a cold build), and forked workers do not copy the memory it sits on. Most of
    what a page allocates lives until the page is written, so the youngest pass runs
    every 20,000 allocations, not every 700: the collector's time in a page halves."""
    from . import fit, news, overlay, preflight, printing, render  # noqa: F401
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def pdf_bytes(document, edition, page=None, **options):
    """PDF bytes with dates and identifier fixed by the content: same input, same bytes.
    ``options`` go to WeasyPrint's write_pdf (PDF variant, attachments…)."""
    from .render import pdf_metadata
    stamp, title = pdf_metadata(edition, page)
    document.metadata.title = title
    document.metadata.created = document.metadata.modified = stamp
    document.metadata.generator = f"paiban {__version__}"
    identifier = hashlib.sha256(title.encode()).hexdigest()[:32].encode()
    return document.write_pdf(pdf_identifier=identifier, **options)


def embedded_fonts(data):
    """Base font names of a PDF's fonts, and whether each is embedded: the pages'
    own and those of the news modules drawn on them (:mod:`paiban.modules`), not
    those of supplied art (its check is :mod:`paiban.artcheck`'s). Read with qpdf
    (pikepdf), a tenth of pypdf's time on a page of modules."""
    import pikepdf
    from .overlay import MODULE_NAME
    fonts = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            resources = [page.obj.get("/Resources") or {}]
            resources += [form.get("/Resources") or {}
                          for name, form in (resources[0].get("/XObject") or {}).items()
                          if name.startswith(MODULE_NAME.format(""))]
            for font in (font for own in resources
                         for font in (own.get("/Font") or {}).values()):
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0] if descendants else font).get(
                    "/FontDescriptor") or {}
                embedded = any(key in descriptor
                               for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def foreign_fonts(embedded, page):
    """A face the lock does not name in the PDF is a silent fallback: an error."""
    from . import preflight
    return [preflight.Finding("error", str(page.path), 0,
                              f"the PDF embeds {name.lstrip('/')}, which is not a locked face",
                              "a face of the lock failed to load; run `paiban fonts`")
            for name in embedded if "+paiban-" not in name]


def check_page(edition, page, fonts, strict=False, printing=None, previous=None):
    """Preflight one page: findings and the placed page (None if it cannot be fitted).
    The photos' resolution at their placed size is checked against the edition's
    print settings: errors for print (``printing``), warnings on a proof. A news
    page keeps the boxes its last build accepted while its copy fits: ``previous``
    maps page numbers (the page's, and those of the pages it continues) to them."""
    from . import preflight
    from .fit import fit_page
    from .news import ad_findings, located
    from .news import findings as news_findings
    findings = preflight.coverage(page, fonts, edition.house) + preflight.images(
        page, strict, printing is not None)
    if page.layout == "front":
        from .front import art_findings
        findings += art_findings(edition, printing)
    if page.stories:
        findings = located(page, findings)
        findings += ad_findings(page, edition.house.geometry(edition.paper_size), printing)
    if any(f.severity == "error" for f in findings):
        return findings, None
    if page.stories:
        placed = made_up(edition, page, fonts, carried_copy(edition, page, fonts, previous),
                         (previous or {}).get(page.number))
        findings += news_findings(page, placed)
    else:
        from .front import colophon_frame, colophon_lines
        geometry = edition.house.geometry(edition.paper_size)
        kept = colophon_lines(edition, page, geometry)
        placed = fit_page(page, fonts, edition.house, edition.paper_size,
                          edition.composition, edition.printing.warn_ppi, paper=edition.paper,
                          kept=kept)
        if kept:
            placed.frames.append(colophon_frame(edition.house, geometry, kept))
        findings += preflight.overset(page, placed)
    resolution = preflight.resolution(edition, page, placed, printing or edition.printing,
                                      proof=not printing)
    return findings + (located(page, resolution) if page.stories else resolution), placed


def made_up(edition, page, fonts, carried=None, previous=None):
    from .news import fit_news
    return fit_news(page, fonts, edition.house, edition.paper_size, edition.composition,
                    edition.printing.min_ppi, paper=edition.paper, edition=edition,
                    carried=carried, previous=previous)


def carried_copy(edition, page, fonts, previous=None):
    """What this page's continued stories carry over from the pages they begin on:
    those pages' makeup decides it, so they are checked and fitted (not rendered)
    here as their own build does (from the layouts ``previous`` gives them), and
    building this page alone is still right."""
    from .jumps import depends_on
    carried = {}
    for origin in depends_on(edition, page):
        _, placed = check_page(edition, origin, fonts, previous=previous)
        if placed is not None:   # else the first page's errors stop the build
            carried.update(placed.carried or {})
    return carried


@contextlib.contextmanager
def edition_lock(target):
    """Hold the edition's output folder for one build at a time; yields the lock's
    file descriptor. The lock is an advisory flock: it goes with the process (and
    with every process that shares the descriptor: workers close their copy), so a
    killed build leaves none behind. The holder's pid and start time are in the file
    for the message a second build prints."""
    target.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 200, 0).decode(errors="replace").strip()
            raise PaibanError("busy: another paiban build of this edition is writing here"
                              + (f" ({holder})" if holder else ""), target,
                              fix="wait for it to finish, then build again") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}"
                  .encode(), 0)
        yield descriptor
    finally:
        os.close(descriptor)


def build_edition(edition, fonts, out_dir, strict=False, jobs=1, progress=None, output=None,
                  cluster=None):
    """Build every page (``jobs`` at a time, or on ``cluster``: :mod:`paiban.cluster`);
    returns the report written to build.json.

    ``output`` is "proof" (in ``<out>/<edition>/``) or "print" (PDF/X, in
    ``<out>/<edition>/print/``); by default what the edition file says.
    ``progress(done, total, entry)`` is called as each page finishes.
    Every output (page PDFs, cache records, edition PDF, build.json) is staged and
    published as one set when the build ends (:func:`files.publish`); then the change
    proofs are written, and build.json again with their boxes.
    """
    output = output or edition.output
    target = Path(out_dir) / edition.slug / ("print" if output == "print" else "")
    printing = edition.printing if output == "print" else None
    with edition_lock(target) as lock:
        recover(target)
        for folder in (target, target / "changes", target / ".cache"):  # the lock is ours
            remove_leftovers(folder)
        try:
            report = build_locked(edition, fonts, target, strict, jobs, progress, printing,
                                  lock, cluster)
            previous = published_pdfs(report)
            publish(target)
        finally:  # after a failure, what was staged goes (or a begun publication ends)
            recover(target)
        prove_changes(target, report, previous)
        return report


def published_pdfs(report):
    """The bytes of the PDFs this build replaces (the last build's, still in place)."""
    return {entry["pdf"]: Path(entry["pdf"]).read_bytes() for entry in report["pages"]
            if entry["pdf"] and not entry["cached"] and Path(entry["pdf"]).is_file()}


def prove_changes(target, report, previous):
    """Once the new PDFs are in place (an edit reaches the page first), the change
    proof of each page that changed: the new page with its changes boxed, in
    ``changes/``, and its boxes in the report and build.json."""
    proved = False
    for entry in report["pages"]:
        old = previous.get(entry["pdf"])
        new = Path(entry["pdf"]).read_bytes() if old else None
        if old and old != new:
            from .changes import change_proof  # pdfium and Pillow: only for a changed page
            proof = target / "changes" / f"{Path(entry['pdf']).stem}.png"
            entry["changes"] = {"proof": str(proof),
                                "regions": change_proof(old, new, proof)}
            proved = True
    if proved:
        write_atomically(target / "build.json",
                         json.dumps(report, ensure_ascii=False, indent=2).encode())


def build_locked(edition, fonts, target, strict, jobs, progress, printing, lock,
                 cluster=None):
    report = {"edition": edition.slug, "paper": edition.paper,
              "date": edition.date.isoformat(), "issue": edition.issue,
              "output": "print" if printing else "proof",
              "paiban": __version__, "pages": [], "ok": True}
    entries, stale = {}, []
    options = {"strict": strict, "print": printing.as_key() if printing else None}
    for page in edition.pages:
        key = cache.page_key(edition, page, options)
        entry = cache.cached_entry(target, page, key)
        if entry:
            entries[page.path] = dict(entry, cached=True, seconds=0.0)
        else:
            stale.append((page, key))
    done = len(entries)
    for page, key, entry in render_pages(edition, fonts, target, strict, stale, jobs,
                                         printing, lock, cluster):
        record = cache.record_path(target, page)
        if entry["pdf"]:
            cache.remember(staged(target, record), key, entry,
                           staged(target, Path(entry["pdf"])))
        entries[page.path] = entry
        done += 1
        if progress:
            progress(done, len(edition.pages), entry)
    report["pages"] = [entries[page.path] for page in edition.pages]
    report["checks"], report["check_errors"] = run_edition_checks(edition, target,
                                                                  report["pages"])
    report["ok"] = not any(entry["errors"] for entry in report["pages"]) \
        and not report["check_errors"]
    gone = []
    for page, entry in zip(edition.pages, report["pages"]):
        if printing and entry["errors"] and entry["pdf"]:  # no plate from a failed page
            staged(target, Path(entry["pdf"])).unlink()
            staged(target, cache.record_path(target, page)).unlink(missing_ok=True)
            entry["pdf"] = None
        if not entry["pdf"]:
            stem = Path(page.path).stem
            gone += [target / f"{stem}.pdf", cache.record_path(target, page),
                     target / "changes" / f"{stem}.png"]
    if not report["ok"] and not printing:
        gone.append(target / f"{edition.slug}.pdf")
    stage_removals(target, gone)
    if report["ok"] and not printing:  # plates are made per page: print PDFs are pages
        path = target / f"{edition.slug}.pdf"
        pdfs = [staged(target, Path(e["pdf"])) if not e["cached"] else e["pdf"]
                for e in report["pages"]]
        key = cache.edition_key(edition, pdfs)
        if not cache.current_edition_pdf(target, path, key):
            write_atomically(staged(target, path), edition_pdf(edition, pdfs))
            cache.remember_edition(staged(target, cache.edition_record_path(target)), key,
                                   staged(target, path))
        report["edition_pdf"] = str(path)
    write_atomically(staged(target, target / "build.json"),
                     json.dumps(report, ensure_ascii=False, indent=2).encode())
    return report


def run_edition_checks(edition, target, entries):
    """The edition checks (paiban.checks) on the page PDFs this build made or kept:
    a summary per check, and the errors as report entries. When no page changed and
    the edition PDF is still the one the last build assembled (which it does only
    when the checks pass), the last build's summary stands."""
    pdfs = {entry["page"]: staged(target, Path(entry["pdf"])) if not entry["cached"]
            else entry["pdf"] for entry in entries if entry["pdf"]}
    if len(pdfs) == len(entries) and all(entry["cached"] for entry in entries) and \
            cache.current_edition_pdf(target, target / f"{edition.slug}.pdf",
                                      cache.edition_key(edition, list(pdfs.values()))):
        with contextlib.suppress(OSError, ValueError, KeyError):
            return json.loads((target / "build.json").read_text(encoding="utf-8"))[
                "checks"], []
    from .checks import edition_checks
    findings, summary = edition_checks(edition, pdfs, {entry["page"]: entry
                                                       for entry in entries})
    return summary, [finding.as_dict() for finding in findings]


def render_pages(edition, fonts, target, strict, pages, jobs, printing, lock, cluster=None):
    """(page, key, entry) for each page, as they finish, each begun only after the
    pages it follows (``page.after``): on the workers of ``cluster`` (a
    :class:`paiban.cluster.Cluster`; the PDFs come back and are staged here), in this
    process for one page or one job, else in forked workers that share the loaded
    fonts."""
    if cluster:
        from .tasks import page_submitter
        submit = page_submitter(cluster, edition, strict, printing)
        for page, key, result in in_order(pages, lambda page: submit(
                page, accepted_layouts(target, edition, page))):
            yield page, key, stage_page(target, page, *result)
        return
    if not pages:
        return
    import_stages()
    if jobs <= 1 or len(pages) <= 1:
        yield from in_order(pages, lambda page: finished(
            build_page(edition, page, fonts, target, strict, printing)), at_once=1)
        return
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(min(jobs, len(pages)), mp_context=context,
                               initializer=start_worker, initargs=(fonts, lock, os.getpid()))
    try:
        yield from in_order(pages, lambda page: pool.submit(
            build_page_in_worker, edition, page, target, strict, printing))
    except BaseException:  # Ctrl-C, SIGTERM, a failed page: stop now, not after the rest
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in multiprocessing.active_children():
            worker.kill()
        raise
    pool.shutdown()


def in_order(pages, submit, at_once=None):
    """(page, key, result) for each of ``pages`` ((page, key) pairs) as it finishes.
    ``submit(page)`` begins a page and returns its future; a page is submitted once
    every page it follows that is among ``pages`` has finished (the others are
    cached), ``at_once`` at most at a time. Pages that wait for each other are an
    error; on any failure the pages still running are cancelled."""
    waiting, running = list(pages), {}
    unfinished = {page.number for page, _ in pages}
    try:
        while waiting or running:
            for page, key in list(waiting):
                if at_once and len(running) >= at_once:
                    break
                if not unfinished & set(page.after):
                    waiting.remove((page, key))
                    running[submit(page)] = page, key
            if not running:
                raise PaibanError("pages " + ", ".join(str(page.number) for page, _ in waiting)
                                  + " each wait for another to be made first",
                                  waiting[0][0].path, fix="a page may follow only pages "
                                  "that follow none of its own")
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                page, key = running.pop(future)
                unfinished.discard(page.number)
                yield page, key, future.result()
    except BaseException:
        for future in running:
            future.cancel()
        raise


def finished(result):
    """A future already done: a page built in this process."""
    future = Future()
    future.set_result(result)
    return future


WORKER_FONTS = {}
PR_SET_PDEATHSIG = 1


def start_worker(fonts, lock, parent):
    """A forked worker: it lets go of the edition lock (only the build holds it) and
    dies with the build, so a killed build leaves no worker writing or locking."""
    os.close(lock)
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    WORKER_FONTS["fonts"] = fonts


def build_page_in_worker(edition, page, target, strict, printing):
    return build_page(edition, page, WORKER_FONTS["fonts"], target, strict, printing)


def build_page(edition, page, fonts, target, strict, printing=None):
    """Preflight, fit, render and stage one page; returns its report entry. A news
    page starts from the layout its last build here accepted (its cache record). The
    text the edition checks read back from the new PDF is read here, in the page's
    worker (:func:`paiban.checks.read_spans` keeps it), rather than for every page
    once they are all made: a tenth of a cold 16-page build."""
    from .checks import read_spans
    entry = stage_page(target, page, *page_pdf(edition, page, fonts, strict, printing,
                                               accepted_layouts(target, edition, page)))
    if entry["pdf"]:
        read_spans(staged(target, Path(entry["pdf"])))
    return entry


def accepted_layouts(target, edition, page):
    """Page number → the layout its last build in ``target`` accepted, for a news
    page and the pages it continues (its copy depends on their makeup)."""
    from .news import accepted
    return {other.number: accepted(cache.record_path(target, other))
            for other in edition.pages if other.stories
            and (other is page or other.number in page.after)}


def page_pdf(edition, page, fonts, strict, printing=None, previous=None):
    """Preflight, fit and render one page: its report entry and its PDF (None when
    the page cannot be placed or embeds a face the lock does not name). It writes
    nothing, so that a cluster worker can run it (:mod:`paiban.tasks`)."""
    from . import overlay, preflight
    from .modules import laid_out, shell_pdf
    from .printing import finish as printing_finish
    from .render import render
    started = time.perf_counter()
    findings, placed = check_page(edition, page, fonts, strict, printing, previous)
    entry = {"page": page.number, "source": str(page.path), "pdf": None,
             "page_count": 0, "overset": False, "overset_characters": 0,
             "blank_lines": None, "short_lines": None, "cached": False, "changes": None,
             "fonts": {}, "errors": [f.as_dict() for f in findings if f.severity == "error"],
             "warnings": [f.as_dict() for f in findings if f.severity == "warning"],
             "fallbacks": fonts.fallback_characters(
                 (role, text.text) for _, role, text in preflight.styled_texts(page, edition.house))}
    data = None
    if placed is not None:
        options = {"pdf_variant": printing.standard} if printing else {}
        laid = laid_out(edition, page, placed, fonts, printing,   # a news page's modules
                        options.get("pdf_variant"))
        if laid is placed:
            document = render(edition, page, laid, fonts, printing)
            data, page_count = pdf_bytes(document, edition, page, **options), \
                len(document.pages)
        else:   # the page under its modules, kept as they are
            data, page_count = shell_pdf(edition, page, laid, fonts, printing,
                                         options.get("pdf_variant")), 1
        if printing:
            data = printing_finish(data, printing, Path(page.path).name)
        data = overlay.place(data, overlay.framed(laid))   # modules, supplied PDF art
        entry.update(page_count=page_count, overset=bool(placed.overset),
                     overset_characters=sum(o.characters for o in placed.overset),
                     holds_characters=placed.holds,
                     blank_lines=placed.blank_lines, fonts=embedded_fonts(data),
                     **({"articles": placed.articles, "blank_fraction": placed.blank_fraction,
                         "tombstones": placed.tombstones, "ads": ad_boxes(placed),
                         **art_boxes(placed, "masthead")}
                        if placed.articles is not None else {}),
                     # composed lines set ragged: no justification within the bounds
                     short_lines=sum(getattr(getattr(item, "payload", item), "short", False)
                                     for frame in placed.frames for item in frame.lines))
        foreign = foreign_fonts(entry["fonts"], page)
        entry["errors"] += [f.as_dict() for f in foreign]
        if foreign:
            data = None
    entry["seconds"] = round(time.perf_counter() - started, 3)
    return entry, data


def stage_page(target, page, entry, data):
    """Stage a page's PDF (if it has one); returns the entry, naming it. Its change
    proof is made once the PDF is in place (:func:`prove_changes`)."""
    if data is not None:
        path = target / f"{Path(page.path).stem}.pdf"
        write_atomically(staged(target, path), data)
        entry["pdf"] = str(path)
    return entry


def page_box(geometry, x, y, width, height):
    """A box on the type area as build.json gives boxes: in points on the page."""
    return [round(value, 2) for value in (geometry.margin_left + x, geometry.margin_top + y,
                                          width, height)]


def art_boxes(placed, style):
    """``{style}_art``: the box of the art frame of that style."""
    return {f"{style}_art": page_box(placed.geometry, f.x, f.y, f.width, f.height)
            for f in placed.frames if f.kind == "art" and f.style == style}


def ad_boxes(placed):
    """The ad slots of a placed page, label included."""
    boxes = []
    for label in (f for f in placed.frames if f.kind == "ad-label"):
        art = next(f for f in placed.frames if f.style == "ad" and f.y > label.y
                   and f.source_line == label.source_line)
        boxes.append(page_box(placed.geometry, label.x, label.y, label.width,
                              art.y + art.height - label.y))
    return boxes


def edition_pdf(edition, page_pdfs):
    """The edition as one PDF, assembled from the page PDFs (not rendered again), by
    qpdf (pikepdf): four times as fast as pypdf, and an edit in watch waits for it."""
    import pikepdf
    from .render import pdf_metadata
    stamp, title = pdf_metadata(edition)
    date = "D:" + stamp.replace("-", "").replace(":", "").replace("T", "").rstrip("Z") + "Z"
    with pikepdf.new() as whole, contextlib.ExitStack() as opened:
        for path in page_pdfs:
            whole.pages.extend(opened.enter_context(pikepdf.open(path)).pages)
        for key, value in {"/Title": title, "/Producer": f"paiban {__version__}",
                           "/CreationDate": date, "/ModDate": date}.items():
            whole.docinfo[key] = value
        buffer = io.BytesIO()
        whole.save(buffer, deterministic_id=True)
    return buffer.getvalue()
