"""paiban: Chinese newspaper copy to print-ready, archivable PDF pages.

The pipeline, one module a stage:

    importer  raw extracted text -> source file (Markdown + front matter)
    source    source files -> model (Edition, Page, Article)
    fonts     font lock -> resolved faces, coverage and advance widths
    cjk       text -> composed lines (clreq line breaking and justification)
    fit       model + geometry -> placed frames on one page, overset
    render    placed page -> HTML (layout/) + CSS (styles/) -> WeasyPrint document
    build     edition -> page PDFs, edition PDF, build.json
    cli       the `paiban` command
"""

__version__ = "0.1.0"
