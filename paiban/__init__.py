"""paiban: Chinese newspaper copy to print-ready, archivable PDF pages.

The pipeline, a module or a subpackage a stage:

    importer/  copy from outside (extracted text, .docx) -> a draft page source
    source     page sources and edition file -> model (Edition, Page, Article)
    plan       a news page's plan: its article files, roles, pins, ad slot
    house      the paper's house style (styles/houses/*.yaml) -> grids, text styles
    preflight  model -> findings: coverage, images, resolution, overset
    fonts      font lock -> resolved faces and fallbacks, shaped widths, page subsets
    cjk        text -> composed lines (clreq line breaking and justification)
    vertical   a headline line -> cells down a column (竖排)
    tables     a pipe table -> rows of composed cells, figures on their digits
    boxes      boxed copy -> composed lines inside a border or on a tint
    fit        a feature page (专版) -> placed frames on the grid, overset
    makeup/    a news page's articles -> modules on the grid (the solver)
    news       a news page -> its modules set as frames
    render     placed page -> HTML (layout/) + CSS (styles/) -> WeasyPrint document
    photos     any photo -> one upright 8-bit picture for proof and print
    printing   print settings, CMYK photos, PDF/X finishing, crop marks
    build      edition -> page PDFs (cached, in parallel, published as one set)
    changes    old and new page -> proof with the changes boxed
    watch      rebuild on save
    archive/   edition -> PDF/A-3b revision, manifest, verify, catalog
    prepress   print PDF -> prepress report
    cli        the `paiban` command

Around them: chars (character classes), model, geometry, cache, files, errors
(located messages, environment faults), environment (what the machine must have).
"""

__version__ = "0.1.0"
