"""References between the pages of an edition: jumps (下转/上接) and the index (导读).

Pages name articles, never page numbers: an article marked ``jump: true`` on one page
continues where another page lists it ``continued: true``, and a front page's index
names article ids. The page numbers are the edition's page list's, so renumbering a
page there moves every jump line, index entry and running head with it. This module
resolves the names to numbers once the edition is read, and refuses what cannot be
resolved, at the line of the plan that says it.
"""

from .errors import PaibanError, shown


def resolve(edition):
    """Give each jumping and continued story its other page's number, and each front
    page's index its (headline, page number) entries."""
    starts, continuations = {}, {}
    for page in edition.pages:
        for story in page.stories:
            if story.jump:
                starts[story.id] = (page, story)
            if story.continued:
                if story.id in continuations:
                    other = continuations[story.id][0]
                    raise PaibanError(f"article {shown(story.id)} is continued on page "
                                      f"{other.number} already", page.path, story.line,
                                      fix="continue an article on one page only")
                continuations[story.id] = (page, story)
    for name, (page, story) in starts.items():
        if name not in continuations:
            raise PaibanError(f"article {shown(name)} jumps to a page that does not carry "
                              "it", page.path, story.line,
                              fix=f"list {story.path.name} with 'continued: true' on a later "
                                  "page's plan, or remove 'jump: true'")
        later, rest = continuations[name]
        if later.number <= page.number:
            raise PaibanError(f"article {shown(name)} jumps from page {page.number} to page "
                              f"{later.number}: a jump goes to a later page", later.path,
                              rest.line, fix="continue it on a page after its first")
        story.jump_to, rest.continued_from = later.number, page.number
        later.after = tuple(sorted(set(later.after) | {page.number}))   # built after it
    for name, (page, story) in continuations.items():
        if name not in starts:
            raise PaibanError(f"article {shown(name)} is continued here but begins on no "
                              "page", page.path, story.line,
                              fix="mark its first page's entry 'jump: true', or remove "
                                  "'continued: true'")
    headlines = headline_pages(edition)
    for page in edition.pages:
        if page.front is None:
            continue
        page.front.entries = []
        for name, line in page.front.index:
            if name not in headlines:
                raise PaibanError(f"the index names {shown(name)}, which is no article of "
                                  "this edition", page.path, line,
                                  fix="name an article id or a feature page's file name "
                                      f"(known: {', '.join(sorted(headlines)[:8])})")
            headline, number = headlines[name]
            if number == page.number:
                raise PaibanError(f"the index names {shown(name)}, which is on this page",
                                  page.path, line, fix="index the inside pages' stories")
            page.front.entries.append((headline, number))


def headline_pages(edition):
    """Article id (a feature page: its file's stem) → (headline, page number where it
    begins)."""
    found = {}
    for page in edition.pages:
        if page.stories:
            for story in page.stories:
                if not story.continued:
                    found[story.id] = ("".join(t.text for t in story.article.headline),
                                       page.number)
        elif page.article is not None:
            found[page.path.stem] = ("".join(t.text for t in page.article.headline),
                                     page.number)
    return found


def depends_on(edition, page):
    """The pages whose makeup decides this page's copy: where its continued
    articles begin."""
    return [other for other in edition.pages
            if any(story.continued_from == other.number for story in page.stories)]
