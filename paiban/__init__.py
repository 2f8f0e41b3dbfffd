"""paiban: Chinese newspaper copy to print-ready, archivable PDF pages.

The pipeline, one module a stage:

    importer  raw extracted text -> source file (Markdown + front matter)
    source    source files -> model (Edition, Page, Article)
    preflight model -> findings: coverage, images, resolution, overset
    fonts     font lock -> resolved faces, coverage, shaped widths, page subsets
    cjk       text -> composed lines (clreq line breaking and justification)
    fit       model + geometry -> placed frames on one page, overset
    render    placed page -> HTML (layout/) + CSS (styles/) -> WeasyPrint document
    printing  print settings, CMYK photos, PDF/X finishing
    build     edition -> page PDFs (cached, in parallel), edition PDF, build.json
    changes   old and new page -> proof with the changes boxed
    watch     rebuild on save
    archive   edition -> PDF/A-3b revision, manifest, verify, catalog
    prepress  print PDF -> prepress report
    cli       the `paiban` command

Around them: chars (character classes), model, geometry, cache, files, errors,
environment (what the machine must have).
"""

__version__ = "0.1.0"
