"""Render a placed page to HTML with Jinja2, then lay it out with WeasyPrint.

The templates in ``layout/`` know frames and lines, never files; this module hands
them plain data and the face files to load. WeasyPrint fetches resources through
:class:`SandboxFetcher`, which serves files from the edition folder, paiban's own
styles and the font cache only: source text cannot make the renderer read other
local files or reach the network.
"""

import dataclasses
import datetime
import functools
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import jinja2

from .chars import is_dash_or_ellipsis
from .environment import known_libraries
from .fonts import ROOT, cache_root
from .front import long_date
from .house import HOUSES
from .makeup.model import ROLES
from .preflight import DATA_IMAGE_BYTES, photo_bytes
from .photos import grey_image, proof_image
from .printing import cmyk_image, print_css

with known_libraries():
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

LAYOUT = ROOT / "layout"
STYLES_DIR = ROOT / "styles"
STYLESHEETS = ("page.css", "typography.css", "components.css", "news.css")


def fixed_urls(page):
    """Fixed URLs for the folders a page's images come from (its own folder and the
    converted images' cache), which the fetcher maps back to the real ones. WeasyPrint
    names each image in the PDF after its URL, so a real path would make an archived
    page rebuild to other bytes in any other folder."""
    return {"file:///paiban-page/": Path(page.path).parent.resolve(),
            "file:///paiban-cache/": cache_root().resolve()}


def with_fixed_urls(placed, urls):
    """The placed page with each photo's file (a path, as :func:`placeable` and the
    conversions leave it) as a URL: under one of ``urls``' folders, that folder's
    URL."""
    def url(src):
        path = Path(src)
        return next((base + quote(path.relative_to(folder).as_posix())
                     for base, folder in urls.items() if path.is_relative_to(folder)),
                    path.as_uri())
    return with_photos(placed, lambda src: None if src.startswith("data:") else url(src))


class SandboxFetcher(URLFetcher):
    """Serves file: URLs under the allowed folders (and under the fixed URLs of
    :func:`fixed_urls`), and small data: images (the preflight has checked them);
    refuses everything else."""

    def __init__(self, roots, fixed=None):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
        self.roots = [Path(root).resolve() for root in roots]
        self.fixed = fixed or {}

    def fetch(self, url, headers=None):
        for prefix, folder in self.fixed.items():
            if url.startswith(prefix):
                url = (folder / unquote(url.removeprefix(prefix))).as_uri()
        parsed = urlparse(url)
        if parsed.scheme == "data" and url.startswith("data:image/") \
                and len(url) <= 2 * DATA_IMAGE_BYTES:
            return super().fetch(url, headers)
        if parsed.scheme != "file":
            raise ValueError(f"refused URL {url[:60]}")
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"refused {path}: outside the edition and paiban's files")
        return super().fetch(url, headers)


@dataclass
class Segment:
    text: str
    style: str = ""


def segments(line, size):
    """Spans of one composed line: plain runs, and spans for the units that need
    their own spacing (Han–Latin gaps, the unit after a stretched word space), a
    half-width box (a halved mark: the blank half of its em box is cut with a
    negative margin) or no spacing inside (Latin words, numbers, —— and ……).

    The pieces of a hyphenated word are set as one word again, and a line that
    breaks a word ends in the hyphen (:meth:`paiban.cjk.Line.words`). Trailing
    spaces, which hang outside the measure, are not set."""
    out = []
    spacing = line.spacing
    pending, prefix = 0.0, ""  # em and text of word spaces, for the next unit
    after_word = after_dash = False
    for unit, text in line.words():
        if unit.space:
            # WeasyPrint draws no glyph for a box that holds only spaces, and the PDF
            # text needs them: a space joins the text before it (after a dash, whose
            # "fwid" would widen it, the text after it); its stretch, and the
            # spacing a span without letter-spacing misses, go to the next margin.
            pending += unit.stretch - unit.shrink
            if out and not after_dash:
                out[-1].text += text
                pending += spacing if after_word else 0.0
            else:
                prefix += text
            continue
        after_word = len(text) > 1  # set without spacing inside
        after_dash = is_dash_or_ellipsis(text)
        left = pending + unit.gap + unit.stretch \
            - (0.5 if unit.halved and unit.side == "right" else 0) \
            + (spacing * len(prefix) if after_word else 0.0)
        right = -0.5 if unit.halved and unit.side == "left" else 0
        styles = []
        if left:
            styles.append(f"margin-left:{left * size:.3f}pt")
        if after_word:
            styles.append(f"letter-spacing:0;margin-right:{(spacing + right) * size:.3f}pt")
            if after_dash:
                styles.append('font-feature-settings:"fwid"')
        elif right:
            styles.append(f"margin-right:{right * size:.3f}pt")
        text, pending, prefix = prefix + text, 0.0, ""
        if styles:
            out.append(Segment(text, ";".join(styles)))
        elif out and not out[-1].style:
            out[-1].text += text
        else:
            out.append(Segment(text))
    return out


@functools.cache
def environment():
    """The templates' environment, one a process: Jinja compiles a template the first
    time an environment loads it (30 ms a layout), and keeps the compiled code in
    paiban's cache for the next process (keyed by the template's source)."""
    compiled = cache_root() / "templates"
    compiled.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(LAYOUT), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)))
    env.globals["segments"] = segments
    return env


def font_face_css(faces):
    """@font-face rules for role → face file."""
    return "".join(f'@font-face {{ font-family: "paiban-{name}"; src: url("{path.as_uri()}") }}\n'
                   for name, path in faces.items())


def page_characters(html):
    """Every character the page's markup sets as text."""
    return set(unescape(re.sub(r"<[^>]*>", "", html))) - set("\n")


def page_css(house, geometry, fonts, mono=False):
    """@page and the variables the stylesheets use, all from the house style: the
    grid's geometry; for every text style its font stack (the lock's chain for its
    role), size, leading, tracking and colour; the colours as CMYK (on a ``mono``
    page, 黑白版, each as the K tint of its darkness); rule widths."""
    variables = dict(geometry.css_variables())
    for name, style in house.text_styles.items():
        size = style.size or geometry.body_size
        variables[f"{name}-font"] = ", ".join(
            f'"paiban-{face.role.name}"' for face in fonts.chain(style.face))
        variables[f"{name}-size"] = f"{size}pt"
        variables[f"{name}-leading"] = f"{style.leading or geometry.pitch:.3f}pt"
        variables[f"{name}-tracking"] = f"{style.tracking * size:.3f}pt"
        variables[f"{name}-colour"] = f"var(--{css_name(style.colour)})"
    for name, cmyk in house.colours.items():
        if mono:
            cmyk = (0, 0, 0, k_tint(cmyk))
        variables[css_name(name)] = "device-cmyk({:g} {:g} {:g} {:g})".format(
            *(value / 100 for value in cmyk))
    for name, width in house.rules.items():
        variables[f"rule-{css_name(name)}"] = f"{width:g}pt"
    variables["headline-indent"] = f"{house.headline.indent * 100:g}%"
    for role in ROLES:   # a news headline's colour by rank, where the house gives one
        colour = house.news.band(geometry.name, role).colour
        if colour:
            variables[f"headline-{role}-colour"] = f"var(--{css_name(colour)})"
    variables = "".join(f"--{k}:{v};" for k, v in variables.items())
    return (f"@page {{ size: {geometry.trim_width:.3f}pt {geometry.trim_height:.3f}pt; "
            f"margin: 0 }}\n:root {{ {variables} }}")


def k_tint(cmyk):
    """The K percentage as dark as a CMYK colour reads (its luminance weights)."""
    cyan, magenta, yellow, black = cmyk
    return min(100, round(black + 0.3 * cyan + 0.59 * magenta + 0.11 * yellow))


def stylesheet_files(edition):
    """paiban's stylesheets, then the house style's own, which may restyle the
    furniture (rules, banners, running head) but not move what the fitter placed."""
    paths = [STYLES_DIR / name for name in STYLESHEETS]
    if edition.house.stylesheet:
        paths.append(HOUSES / edition.house.stylesheet)
    return paths


def css_name(name):
    return name.replace("_", "-")


def html_for(edition, page, placed, fonts):
    template = environment().get_template(f"{page.layout}.html.j2")
    head = edition.house.running_head
    said = {"paper": edition.paper, "date": long_date(edition.date), "issue": edition.issue,
            "page": page.number, "title": page.title}
    return template.render(
        edition=edition, page=page, frames=placed.frames, geometry=placed.geometry,
        issue_line=head.issue.format(**said), folio=head.folio.format(**said))


def render(edition, page, placed, fonts, printing=None):
    """Lay out one page, with every face subset to the page's characters: returns
    the WeasyPrint document. With ``printing`` (PrintSettings), for print: photos in
    CMYK, the output intent's profile, bleed and marks."""
    return lay_out(render_input(edition, page, placed, fonts, printing))


@dataclass
class RenderInput:
    """Everything WeasyPrint is given for one document: what its output depends on,
    so that :mod:`paiban.modules` can key a rendered module by it. The faces are
    cut to the markup's characters only when it is laid out (a module kept in the
    cache needs none): ``css`` is the rest of the page's CSS, the same for each of
    its modules, and ``own_css`` what is the document's own (print settings, a
    module's area)."""
    html: str
    css: str
    own_css: str
    fonts: object         # paiban.fonts.Fonts, the lock's faces
    stylesheets: list     # paths of paiban's and the house's stylesheets
    roots: list           # folders the fetcher serves
    urls: dict            # fixed URL → folder (:func:`fixed_urls`)
    options: dict         # WeasyPrint's render options


def render_input(edition, page, placed, fonts, printing=None, area=None):
    """The HTML and CSS of a page, or with ``area`` (x, y, width, height from the type
    area's top-left, and the room ``pad`` around it) of a page that is that area
    alone: the frames stay where they are and the type area moves, so a module's
    markup is the page's."""
    own_css, roots, options = "", [edition.path, STYLES_DIR, cache_root()], {}
    placed = placeable(page, placed)
    if page.mono:
        placed = mono_frames(edition, placed)
    if printing:
        placed = print_frames(edition, placed, printing)
        own_css = print_css(printing)
        roots.append(printing.profile.resolve())
        options = {"color_profiles": {}, "output_intent": "device-cmyk"}
    else:
        placed = proof_frames(edition, placed)
    if area:
        x, y, width, height, pad = area
        own_css += (f"@page {{ size: {width + 2 * pad:.3f}pt {height + 2 * pad:.3f}pt; "
                    f"bleed: 0; background: none }}\n:root {{ --margin-left: {pad - x:.3f}pt; "
                    f"--margin-top: {pad - y:.3f}pt }}\n"
                    "html, body { background: none !important }\n")
    urls = fixed_urls(page)
    placed = with_fixed_urls(placed, urls)
    html = html_for(edition, page, placed, fonts)
    css = page_css(edition.house, placed.geometry, fonts, page.mono)
    return RenderInput(html, css, own_css, fonts, stylesheet_files(edition), roots, urls,
                       options)


def lay_out(given):
    """The WeasyPrint document of a :class:`RenderInput`."""
    fetcher = SandboxFetcher(given.roots, given.urls)
    font_config = FontConfiguration()
    stylesheets = [stylesheet(path, Path(path).read_text(encoding="utf-8"))
                   for path in given.stylesheets]
    faces = given.fonts.subset(page_characters(given.html))
    stylesheets.append(stylesheet(STYLES_DIR, given.css))
    stylesheets.append(CSS(string=font_face_css(faces) + given.own_css, url_fetcher=fetcher,
                           font_config=font_config,
                           color_profiles=given.options.get("color_profiles")))
    return HTML(string=given.html, base_url=next(iter(given.urls)),
                url_fetcher=fetcher).render(stylesheets=stylesheets,
                                            font_config=font_config, **given.options)


@functools.lru_cache(maxsize=16)
def stylesheet(path, text):
    """paiban's or a house's stylesheet (``text``, read from ``path``), or a page's
    CSS (:func:`page_css`, with paiban's styles folder for a path), parsed once a
    process: a page of modules is several documents, and parsing took a fifth of
    each. These fetch nothing (no @import, no url())."""
    return CSS(string=text, base_url=Path(path).as_uri(),
               url_fetcher=SandboxFetcher([STYLES_DIR, HOUSES]))


def placeable(page, placed):
    """The placed page with each photo frame's image as the path of the file
    preflight checked, or none (a grey frame) when there is no such file: WeasyPrint
    never opens a name the checks did not see (a FIFO would hang it)."""
    photos = {(photo.line, photo.src): photo for photo in page.article.photos}
    frames = []
    for frame in placed.frames:
        if frame.kind == "photo" and frame.src and not frame.src.startswith("data:"):
            path = page.ad_file() if frame.style == "ad" else \
                page.photo_file(photos[frame.source_line, frame.src])
            frame = dataclasses.replace(frame, src=str(path) if path else None)
        frames.append(frame)
    return dataclasses.replace(placed, frames=frames)


def print_frames(edition, placed, printing):
    """The placed page with its photos replaced by their CMYK conversions."""
    cache = cache_root() / "print-images"
    return with_photos(placed, lambda src: cmyk_image(photo_bytes(edition, src), printing,
                                                      cache))


def mono_frames(edition, placed):
    """The placed page of a black-and-white page (黑白版) with its photos in grey."""
    cache = cache_root() / "grey-images"
    return with_photos(placed, lambda src: grey_image(photo_bytes(edition, src), cache))


def proof_frames(edition, placed):
    """The placed page with every photo WeasyPrint would misread (anything but a JPEG:
    16-bit, Lab, transparency…) replaced by its upright 8-bit picture, the one the
    print is made from."""
    cache = cache_root() / "proof-images"
    return with_photos(placed, lambda src: proof_image(photo_bytes(edition, src),
                                                       edition.printing.profile, cache))


def with_photos(placed, convert):
    """The placed page with each photo frame's image replaced by ``convert(src)``, a
    file in paiban's cache or a URL (or None: keep the image as it is)."""
    frames = []
    for frame in placed.frames:
        if frame.kind == "photo" and frame.src:
            converted = convert(frame.src)
            frame = dataclasses.replace(frame, src=str(converted)) if converted else frame
        frames.append(frame)
    return dataclasses.replace(placed, frames=frames)


def pdf_metadata(edition, page=None):
    """Fixed document dates from the edition date, so identical input gives identical bytes."""
    stamp = datetime.datetime.combine(edition.date, datetime.time()).isoformat() + "Z"
    title = f"{edition.paper} {edition.date.isoformat()} 第{edition.issue}期"
    if page:
        title += f" 第{page.number}版 {page.title}"
    return stamp, title
