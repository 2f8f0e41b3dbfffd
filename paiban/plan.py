"""The page plan of a news page: which article files it carries, in what role, with
which of the editor's constraints, and the ad it reserves a slot for.

A news page (``layout: news``) is a page file whose front matter lists its articles;
each article is a file of its own, written like a feature page's article (kicker,
headline, subtitle, byline, body with intertitles, photos, credit), so that one
story can be edited, cached and archived alone. Every mistake is reported at the
line of the plan or of the article file that makes it.
"""

import os
import re
from pathlib import Path

from .errors import PaibanError, shown
from .makeup import BRIEFS, ROLES
from .makeup.model import CORNERS
from .model import Ad, Box, Front, PullQuote, Story, Table

ENTRY_KEYS = ("file", "role", "columns", "pin", "jump", "continued")
ARTICLE_KEYS = ("id",)
AD_KEYS = ("file", "columns", "lines", "corner")
AD_FORMATS = (".png", ".jpg", ".jpeg", ".pdf")
ID = re.compile(r"[A-Za-z0-9_\-\u4e00-\u9fff]{1,40}\Z")
PLAN_EXAMPLE = "articles: [{file: articles/lead.md, role: 头条}, {file: articles/b.md, role: 二条}]"


def entry_lines(text, count, first_line=1):
    """The line of each entry of the ``articles:`` list: its ``file:`` key, in order."""
    lines, after = [], 0
    rows = text.split("\n")
    for _ in range(count):
        for number in range(after, len(rows)):
            if "file:" in rows[number] and not rows[number].lstrip().startswith("ad:"):
                lines.append(first_line + number)
                after = number + 1
                break
        else:
            lines.append(first_line)
    return lines


def stories(meta, path, text, grid_columns):
    """The articles a page plan lists, each parsed from its file."""
    from .source import find_key_line  # the source reader calls this module
    entries = meta.get("articles")
    plan_line = find_key_line(text, "articles")
    if not isinstance(entries, list) or not entries:
        raise PaibanError("a news page lists its articles", path, plan_line,
                          fix=f"add e.g. {PLAN_EXAMPLE}")
    folder = Path(path).parent
    found, ids = [], {}
    for entry, line in zip(entries, entry_lines(text, len(entries))):
        if not isinstance(entry, dict):
            raise PaibanError(f"article entry {shown(entry)} is not 'file: …, role: …'",
                              path, line, fix=f"write e.g. {PLAN_EXAMPLE}")
        for key in entry:
            if key not in ENTRY_KEYS:
                from .source import unknown_key
                raise unknown_key(key, ENTRY_KEYS, path, line, "an article entry")
        file = plan_file(folder, entry.get("file"), path, line, "article", (".md",))
        role = entry.get("role")
        if role not in ROLES + (BRIEFS,):
            raise PaibanError(f"unknown role {shown(role)}", path, line,
                              fix=f"use one of {', '.join(ROLES)} or {BRIEFS}")
        columns = entry.get("columns")
        if columns is not None and not whole(columns, 1, grid_columns):
            raise PaibanError(f"'columns' must be 1 to {grid_columns}, not {shown(columns)}",
                              path, line, fix="give the article's width in base columns")
        pin = entry.get("pin")
        if pin is not None and not (isinstance(pin, list) and len(pin) == 4
                                    and all(whole(v, 0, 1000) for v in pin)):
            raise PaibanError(f"'pin' must be [column, line, columns, lines], not {shown(pin)}",
                              path, line, fix="e.g. 'pin: [0, 0, 5, 40]' (base columns and "
                                              "body lines from the top-left of the grid)")
        story = parse_story(file, role, line, folder)
        story.columns, story.pin = columns, tuple(pin) if pin else None
        for key in ("jump", "continued"):
            if not isinstance(entry.get(key, False), bool):
                raise PaibanError(f"'{key}' is true or false, not {shown(entry[key])}", path,
                                  line, fix=f"write '{key}: true' or leave it out")
        story.jump, story.continued = entry.get("jump", False), entry.get("continued", False)
        if story.jump and story.continued:
            raise PaibanError(f"article {shown(story.id)} both jumps and is continued here",
                              path, line, fix="an article continues once: 'jump: true' on "
                                              "its first page, 'continued: true' on the next")
        if (story.jump or story.continued) and role == BRIEFS:
            raise PaibanError("the briefs box does not jump", path, line,
                              fix="remove 'jump'/'continued' from the briefs entry")
        if story.id in ids:
            raise PaibanError(f"article id {shown(story.id)} is also {ids[story.id]}'s",
                              path, line, fix="give each article its own 'id:' (or file name)")
        ids[story.id] = Path(story.path).name
        found.append(story)
    return found


def whole(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def plan_file(folder, name, path, line, what, suffixes):
    """A file the plan names: inside the edition folder, existing, of a known kind."""
    if not isinstance(name, str) or not name.strip():
        raise PaibanError(f"the {what} entry names no file", path, line,
                          fix=f"add 'file: …' with the {what} file's path in the edition folder")
    file = folder / name
    if not file.resolve().is_relative_to(folder.resolve()):
        raise PaibanError(f"{what} file {shown(name)} is outside the edition folder", path,
                          line, fix=f"keep the {what} files in the edition folder")
    if Path(name).suffix.lower() not in suffixes:
        raise PaibanError(f"{what} file {shown(name)} is not {' or '.join(suffixes)}", path,
                          line, fix=f"name a {' or '.join(suffixes)} file")
    if not file.is_file():
        raise PaibanError(f"{what} file {shown(name)} not found", path, line,
                          fix=f"create {file} or remove the entry")
    return file


def parse_story(file, role, plan_line, page_folder):
    """One article file: optional front matter (``id``), then the article."""
    from .source import parse_article, read_source, unknown_key
    text, meta, tokens = read_source(file)
    meta = meta or {}
    for key in meta:
        if key not in ARTICLE_KEYS:
            raise unknown_key(key, ARTICLE_KEYS, file, 2, "an article's front matter")
    story_id = meta.get("id", file.stem)
    if not isinstance(story_id, str) or not ID.match(story_id):
        raise PaibanError(f"article id {shown(story_id)} is not a name", file, 2,
                          fix="use letters, digits, - and _ (or Han characters), at most 40")
    article = parse_article(tokens, file, text)
    for section in article.sections:
        for block in section.blocks:
            if isinstance(block, (PullQuote, Table, Box)):
                kind = {PullQuote: "pull quote", Table: "table", Box: "box"}[type(block)]
                raise PaibanError(f"a {kind} in a news article is not set yet", file,
                                  block.line, fix="write it as paragraphs, or put the story "
                                                  "on a feature page")
        for photo in section.photos:
            photo.src = photo.src and relative_src(photo.src, file, page_folder)
    if role == BRIEFS and article.photos:
        raise PaibanError("the briefs box holds no photos", file, article.photos[0].line,
                          fix="move the photo to an article of its own")
    return Story(story_id, role, file, plan_line, article)


def relative_src(src, file, page_folder):
    """A photo path written relative to its article file, as the edition folder (the
    page's) names it: one name for checks, cache and archive."""
    if src.startswith("data:") or ":" in src or os.path.isabs(src):
        return src
    return os.path.normpath(os.path.relpath(Path(file).parent / src, page_folder))


def front_settings(meta, path, text):
    """A front page's ``index:`` (导读): the ids of articles (or feature page files'
    stems) of this edition whose headlines and pages it lists."""
    from .source import find_key_line
    line = find_key_line(text, "index")
    index = meta.get("index", [])
    if not isinstance(index, list) or not all(isinstance(name, str) and ID.match(name)
                                              for name in index):
        raise PaibanError(f"'index' lists article ids, not {shown(index)}", path, line,
                          fix="e.g. 'index: [gongshi, p05-dawukou]' (article ids or feature "
                              "page file names)")
    return Front([(name, line) for name in index], line,
                 ear=ear_story(meta.get("ear", "index"), path, find_key_line(text, "ear")))


def ear_story(ear, path, line):
    """``ear: index`` (the default: the index in the ear), or ``ear: {file: …}``: a
    short article (weather, a brief) boxed in the ear, the index then in a box of
    its own at the top right of the grid."""
    if ear == "index":
        return None
    if not isinstance(ear, dict) or set(ear) != {"file"}:
        raise PaibanError(f"the ear holds the index or an article, not {shown(ear)}", path,
                          line, fix="write 'ear: index', or 'ear: {file: articles/weather.md}'")
    folder = Path(path).parent
    story = parse_story(plan_file(folder, ear["file"], path, line, "ear article", (".md",)),
                        ROLES[-1], line, folder)
    if story.article.photos:
        raise PaibanError("the ear holds no photo", story.path, story.article.photos[0].line,
                          fix="set the photo in an article of the page")
    return story


def lock(meta, path, text):
    """``lock: true``: the desk keeps the page's accepted layout, every box where it
    is, whatever the copy does (what no longer fits is overset)."""
    from .source import find_key_line
    value = meta.get("lock", False)
    if not isinstance(value, bool):
        raise PaibanError(f"'lock' must be true or false, not {shown(value)}", path,
                          find_key_line(text, "lock"), fix="write 'lock: true' or remove it")
    return value


def blueprint(meta, path, text):
    """``blueprint: name``: a module pattern of the house style (``news: blueprints``),
    checked against the edition's paper size when the page is made up."""
    from .source import find_key_line
    if "blueprint" not in meta:
        return None
    name, line = meta["blueprint"], find_key_line(text, "blueprint")
    if not isinstance(name, str) or not ID.match(name):
        raise PaibanError(f"'blueprint' names a module pattern, not {shown(name)}", path, line,
                          fix="e.g. 'blueprint: lead-top' (news: blueprints in the house style)")
    return name, line


def ad_slot(meta, path, text):
    """The ``ad:`` entry: a PNG, JPEG or PDF in a slot at a corner of the page."""
    from .source import find_key_line, unknown_key
    entry = meta.get("ad")
    if entry is None:
        return None
    line = find_key_line(text, "ad")
    if not isinstance(entry, dict):
        raise PaibanError("'ad' must be file, columns, lines, corner", path, line,
                          fix="e.g. 'ad: {file: ads/ad.png, columns: 3, lines: 20, "
                              "corner: bottom-right}'")
    for key in entry:
        if key not in AD_KEYS:
            raise unknown_key(key, AD_KEYS, path, line, "the ad entry")
    plan_file(Path(path).parent, entry.get("file"), path, line, "ad", AD_FORMATS)
    columns, lines = entry.get("columns"), entry.get("lines")
    if not whole(columns, 1, 8) or not whole(lines, 4, 200):
        raise PaibanError(f"the ad slot must be 1–8 columns by 4 or more lines, not "
                          f"{shown(columns)} × {shown(lines)}", path, line,
                          fix="give 'columns' (base columns) and 'lines' (body lines)")
    corner = entry.get("corner", "bottom-right")
    if corner not in CORNERS:
        raise PaibanError(f"unknown corner {shown(corner)}", path, line,
                          fix=f"use one of {', '.join(CORNERS)}")
    return Ad(entry["file"], columns, lines, corner, line)
