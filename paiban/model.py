"""The source model: what an edition says, with no idea of HTML or geometry.

Each text element keeps the source line it came from, so that every later stage
(coverage check, fit, overset report) can point the editor at the line to change.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .cjk import Settings
from .house import DEFAULT_HOUSE, HouseStyle, load_house
from .printing import PrintSettings


@dataclass
class Text:
    """A run of copy and the source line it starts on."""
    text: str
    line: int


@dataclass
class PullQuote:
    """Lines set apart in Kai between rules; the line breaks are the author's."""
    lines: list
    line: int


@dataclass
class Table:
    """A data table (GFM pipe table): a header row and body rows of Text cells, each
    row as many cells as the header."""
    header: list
    rows: list
    line: int

    @property
    def cells(self):
        return [cell for row in [self.header, *self.rows] for cell in row]


@dataclass
class Box:
    """A boxed item of body paragraphs: bordered (``rule``) or on a tint."""
    kind: str
    paragraphs: list
    line: int


@dataclass
class Photo:
    """A photo and what the editor asked of its frame: ``columns`` (base columns
    wide), ``aspect`` (frame height / width) and ``focus`` (the point, as fractions
    of the image's width and height, the crop keeps in view); None leaves each to
    the fitter. ``pixels`` is the image's upright size, read by preflight."""
    caption: Text
    src: str | None
    line: int
    columns: int | None = None
    aspect: float | None = None
    focus: tuple | None = None
    pixels: tuple | None = None


@dataclass
class Section:
    """A band of the page: heading banner, subheading, body and its photos."""
    title: Text | None
    subheading: Text | None
    blocks: list = field(default_factory=list)  # Text paragraphs, PullQuotes, Tables, Boxes
    photos: list = field(default_factory=list)
    line: int = 0


@dataclass
class Article:
    headline: list = field(default_factory=list)  # Text, one per headline line
    subtitle: Text | None = None
    kicker: Text | None = None                    # 引题, above the headline (news pages)
    byline: Text | None = None
    lead: list = field(default_factory=list)      # Text paragraphs
    sections: list = field(default_factory=list)
    credit: Text | None = None

    def elements(self):
        """Every (kind, Text) of the article in reading order (a kicker is set in the
        subtitle's style)."""
        if self.kicker:
            yield "subtitle", self.kicker
        yield from (("headline", text) for text in self.headline)
        for kind in ("subtitle", "byline"):
            if getattr(self, kind):
                yield kind, getattr(self, kind)
        yield from (("lead", text) for text in self.lead)
        for section in self.sections:
            if section.title:
                yield "banner", section.title
            if section.subheading:
                yield "subheading", section.subheading
            for block in section.blocks:
                if isinstance(block, PullQuote):
                    yield from (("quote", text) for text in block.lines)
                elif isinstance(block, Table):
                    yield from (("table_head", text) for text in block.header)
                    yield from (("table", text) for row in block.rows for text in row)
                elif isinstance(block, Box):
                    yield from (("body", text) for text in block.paragraphs)
                else:
                    yield "body", block
            yield from (("caption", photo.caption) for photo in section.photos)
        if self.credit:
            yield "credit", self.credit

    def texts(self):
        return [text for _, text in self.elements()]

    @property
    def photos(self):
        return [photo for section in self.sections for photo in section.photos]


@dataclass
class Story:
    """An article of a news page (``layout: news``): its own file, parsed as a page's
    article is, and what the page plan says of it: role (头条 … 简讯) and the editor's
    width (base columns) or pinned box (column, line, columns, lines)."""
    id: str
    role: str
    path: Path
    line: int            # its entry in the page plan
    article: Article
    columns: int | None = None
    pin: tuple | None = None
    jump: bool = False             # continues on a later page (下转)
    continued: bool = False        # the rest of an article begun on an earlier page (上接)
    jump_to: int | None = None     # the page numbers the edition's page list resolves
    continued_from: int | None = None


@dataclass
class Front:
    """What a front page (``layout: front``) sets besides the masthead and date line:
    the index (导读), headlines of the edition named by article id (``index``: (id,
    line) pairs), resolved to (headline, page number); the ear's article, if any."""
    index: list
    line: int                      # the ``index:`` key of the page plan
    entries: list = field(default_factory=list)
    ear: Story | None = None       # a short article in the ear (报眼); None: the index


@dataclass
class Ad:
    """A supplied advertisement (PNG, JPEG or PDF) in a slot reserved at a corner of the
    page, ``columns`` base columns by ``lines`` body lines, labelled 广告."""
    src: str
    columns: int
    lines: int
    corner: str
    line: int            # the ``ad:`` entry of the page plan


@dataclass
class Stories:
    """A news page's articles read as one, for the checks that read a page's copy
    and photos (coverage, images, fallbacks)."""
    stories: list

    def elements(self):
        for story in self.stories:
            yield from story.article.elements()

    def texts(self):
        return [text for _, text in self.elements()]

    @property
    def photos(self):
        return [photo for story in self.stories for photo in story.article.photos]


@dataclass
class Page:
    path: Path
    number: int
    title: str
    layout: str
    editors: dict
    article: Article
    headline: str = "horizontal"  # or vertical: the headline set down columns (竖排)
    stories: list = field(default_factory=list)  # a news page's articles (Story)
    ad: Ad | None = None
    lock: bool = False            # a news page keeps the boxes its last build accepted
    blueprint: tuple | None = None  # (name, line): the house style's module pattern it follows
    mono: bool = False            # 黑白版: printed in K ink only
    front: "Front | None" = None  # the front page's masthead band (layout: front)
    # page numbers rendered before this one (a jump's continuation needs its front
    # page's fit): the build, local or on a cluster, starts a page only after these
    after: tuple = ()

    def photo_file(self, photo):
        """The file a photo names, if it is a regular file inside the edition folder
        (symlinks resolved): the one name under which it is checked, cached, placed
        and archived. None for data: images, missing files, folders, FIFOs and devices
        (opening a FIFO would hang the build)."""
        if not photo.src or photo.src.startswith("data:"):
            return None
        folder = Path(self.path).parent.resolve()
        path = (folder / photo.src).resolve()
        if path.is_relative_to(folder) and path.is_file():  # is_file: S_ISREG
            return path
        return None

    def photo_files(self):
        """The image files the page's photos name, as they are on disk."""
        return [path for path in map(self.photo_file, self.article.photos) if path]

    def ad_file(self):
        """The ad's file, checked as a photo's is (None if not a regular file)."""
        return self.ad and self.photo_file(Photo(Text("广告", self.ad.line), self.ad.src,
                                                 self.ad.line))

    def input_files(self):
        """The files a page is made from besides its own source and photos: a news
        page's article files, the ear's and its ad (the cache key and the archive take
        them)."""
        files = [Path(story.path) for story in self.stories]
        if self.front and self.front.ear:
            files.append(Path(self.front.ear.path))
        if self.ad:
            files.append(Path(self.path).parent / self.ad.src)
        return files


@dataclass
class Edition:
    path: Path
    paper: str
    date: date
    issue: int
    paper_size: str
    pages: list
    sample: bool = False
    composition: Settings = Settings()
    printing: PrintSettings = PrintSettings()
    output: str = "proof"         # what `paiban build` writes: proof or print
    house: HouseStyle = None      # the paper's look (paiban.house); the default's if None
    total_issue: int | None = None  # 总第N期: the paper's issues since its first

    def __post_init__(self):
        if self.house is None:
            self.house = load_house(DEFAULT_HOUSE)

    @property
    def slug(self):
        return self.path.name
