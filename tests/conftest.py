import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RAW = ROOT / "tests" / "data" / "dawukou-2022.txt"
SAMPLE_EDITION = ROOT / "source" / "sample-2023-01-16"


def sample_line(needle):
    """The line of the sample page that holds ``needle``: tests name a line by what it
    says, so that an edit of the sample above it does not move them."""
    text = (SAMPLE_EDITION / "p05-dawukou.md").read_text(encoding="utf-8")
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


@pytest.fixture(scope="session")
def fonts():
    from paiban.fonts import Fonts
    return Fonts()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory, fonts):
    """The committed sample edition built once into a temporary output folder."""
    from paiban.build import build_edition
    from paiban.source import parse_edition
    out = tmp_path_factory.mktemp("output")
    report = build_edition(parse_edition(SAMPLE_EDITION), fonts, out)
    return out / SAMPLE_EDITION.name, report


@pytest.fixture
def edition_copy(tmp_path):
    """A writable copy of the sample edition, to build altered versions of it."""
    target = tmp_path / SAMPLE_EDITION.name
    shutil.copytree(SAMPLE_EDITION, target)
    return target


def feature_page(edition):
    """The sample edition's feature page (专版), wherever its page list puts it."""
    return next(page for page in edition.pages if page.layout == "feature")


def entry_of(report, name):
    """The build.json entry of the page file ``name`` (e.g. "p05-dawukou.md")."""
    return next(entry for entry in report["pages"] if entry["source"].endswith("/" + name))


def keep_pages(folder, *files):
    """The sample edition copied to ``folder`` reduced to the page files named: the
    others leave the page list, and an article whose other page left is set whole."""
    plan = folder / "edition.yaml"
    text = plan.read_text(encoding="utf-8")
    for name in ("p01-front.md", "p05-dawukou.md", "p06-yaowen.md"):
        if name not in files:
            text = re.sub(rf"\n  - \{{page: \d+, file: {name}\}}", "", text)
    plan.write_text(text, encoding="utf-8")
    if "p01-front.md" not in files and "p06-yaowen.md" in files:   # the lead set whole
        news = folder / "p06-yaowen.md"
        news.write_text(news.read_text(encoding="utf-8").replace(", continued: true", ""),
                        encoding="utf-8")
    if "p06-yaowen.md" not in files and "p01-front.md" in files:
        front = folder / "p01-front.md"
        front.write_text(front.read_text(encoding="utf-8").replace(", jump: true", ""),
                         encoding="utf-8")
    return folder


BODY = "大武口区政协召开协商座谈会，委员们围绕生态修复建言献策。"


def make_edition(folder, body=BODY, front="page: 1\ntitle: 专版\nlayout: feature\n",
                 headline="测试标题", edition_extra=""):
    """A one-page edition: front matter on lines 1–5, the headline on line 7, the
    body from line 9."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edition.yaml").write_text(
        f"paper: 测试日报\ndate: 2024-03-01\nissue: 7\npages: [p01.md]\n{edition_extra}",
        encoding="utf-8")
    (folder / "p01.md").write_text(f"---\n{front}---\n\n# {headline}\n\n{body}\n",
                                   encoding="utf-8")
    return folder


def write_edition(folder, pages=3, issue=9):
    """A small multi-page edition made of the sample's own sections, rearranged."""
    from paiban.source import parse_edition
    sample = feature_page(parse_edition(SAMPLE_EDITION)).article
    sections = [s for s in sample.sections if s.title]
    folder.mkdir(parents=True)
    names = []
    for number in range(1, pages + 1):
        parts = [f"---\npage: {number}\ntitle: 专版\nlayout: feature\n---\n",
                 f"# {sample.headline[number % 2].text}\n"]
        for section in (sections[(number - 1) % len(sections)], sections[number % len(sections)]):
            parts.append(f"## {section.title.text}\n### {section.subheading.text}\n")
            parts += [block.text + "\n" for block in section.blocks[:3]
                      if hasattr(block, "text")]
        names.append(f"p{number:02d}.md")
        (folder / names[-1]).write_text("\n".join(parts), encoding="utf-8")
    (folder / "edition.yaml").write_text(
        f"paper: 测试日报\ndate: 2024-03-0{issue % 9 + 1}\nissue: {issue}\n"
        f"pages: [{', '.join(names)}]\n", encoding="utf-8")
    return folder


def landscape_photo(path, size=(1800, 1200)):
    """A generated RGB photo: sky, sun, hills, a red roof and deep shadows, with the
    saturated and dark areas that exercise CMYK conversion and the ink limit."""
    from PIL import Image, ImageDraw, ImageFilter
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(40 + 120 * t), int(90 + 110 * t), 230))
    draw.ellipse([width * 0.7, height * 0.1, width * 0.85, height * 0.32], fill=(255, 220, 80))
    draw.polygon([(0, height * 0.7), (width * 0.3, height * 0.35), (width * 0.6, height * 0.75),
                  (width, height * 0.5), (width, height), (0, height)], fill=(30, 110, 40))
    draw.polygon([(width * 0.2, height), (width * 0.45, height * 0.6), (width * 0.75, height)],
                 fill=(5, 5, 10))
    draw.rectangle([width * 0.05, height * 0.55, width * 0.2, height * 0.8], fill=(180, 20, 25))
    image = image.filter(ImageFilter.GaussianBlur(2))
    image.save(path, quality=90)
    return path


SAMPLE_PHOTOS = SAMPLE_EDITION / "photos"


def real_photo(name, folder, crop=None):
    """One of the real photographs committed with the sample (public domain or CC0,
    see its photos/README.md), copied into ``folder/photos/``; ``crop`` (left, top,
    right, bottom, as fractions) cuts out a part, e.g. a portrait from a square
    picture. Returns its reference in a page source, ``photos/<name>``."""
    from PIL import Image
    (folder / "photos").mkdir(parents=True, exist_ok=True)
    with Image.open(SAMPLE_PHOTOS / name) as image:
        if crop:
            width, height = image.size
            image = image.crop((round(crop[0] * width), round(crop[1] * height),
                                round(crop[2] * width), round(crop[3] * height)))
        image.save(folder / "photos" / name, quality=92)
    return f"photos/{name}"


def edited_lock(folder, old, new):
    """A copy of the font lock with ``old`` replaced by ``new``."""
    from paiban.fonts import LOCK
    text = LOCK.read_text(encoding="utf-8")
    assert old in text, old
    lock = folder / "fonts.lock.toml"
    lock.write_text(text.replace(old, new), encoding="utf-8")
    return lock
