"""Fallback faces: symbols and rare ideographs (CJK Extensions B–G) set in body text,
a heavy headline and Kai text, read back from the PDF; what no face has is an error."""

import json
import re
import shutil
import time
from collections import defaultdict

import pymupdf
import pytest
from fontTools.ttLib import TTFont

from paiban.build import check_page
from paiban.chars import is_han
from paiban.cli import main
from paiban.errors import PaibanError
from paiban.fonts import Fonts
from paiban.source import parse_edition

from conftest import SAMPLE_EDITION, edited_lock, entry_of, keep_pages
from typeset_lines import set_lines, violations

# ≒ and one ideograph each of Extensions B, C, E, F and G.
RARE = "≒𠀀𪜀𫠠𬺰𰀀"
# A transliterated name: Ḥ is in no CJK face, so the word mixes two faces.
NAME = "Ḥasan"
EXTENSION_I = "\U0002EBF0"  # in no face of the lock


def sample_copy(folder, headline, lead, body):
    """The sample edition with ``headline`` replacing its first headline line, and
    ``lead`` and ``body`` put into the first lead and the first body paragraph."""
    keep_pages(shutil.copytree(SAMPLE_EDITION, folder), "p05-dawukou.md")
    page = folder / "p05-dawukou.md"
    text = page.read_text(encoding="utf-8")
    for old, new in [("# 履职尽责结硕果\n", f"# {headline}\n"),
                     ("坚守初心使命，", f"坚守初心使命{lead}，"),
                     ("为使政协工作", f"为使政协工作{body}"),
                     ("坚决贯彻执行党的", f"外籍委员{NAME}说，坚决贯彻执行党的")]:
        assert text.count(old) == 1
        text = text.replace(old, new)
    page.write_text(text, encoding="utf-8")
    return folder, page


@pytest.fixture(scope="module")
def rare_build(tmp_path_factory, fonts):
    """The sample with the rare characters in its headline, lead and body, built
    by `paiban build`: (exit status, build.json entry, placed page, page source)."""
    folder, source = sample_copy(tmp_path_factory.mktemp("rare") / "rare",
                                 f"履职{RARE}结硕果", RARE, RARE)
    out = tmp_path_factory.mktemp("out")
    status = main(["build", str(folder), "-o", str(out), "-j", "1"])
    report = json.loads((out / "rare" / "build.json").read_text(encoding="utf-8"))
    edition = parse_edition(folder)
    _, placed = check_page(edition, edition.pages[0], fonts)
    return status, report["pages"][0], placed, source


def spans_with(pdf, chars):
    """(line spans, text) of every PDF line that draws one of ``chars``."""
    page = pymupdf.open(pdf)[0]
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(c["c"] for span in line["spans"] for c in span["chars"])
            if any(char in text for char in chars):
                yield line["spans"], text


def role_of(font_name):
    """The lock role of an embedded face: "ABCDEF+paiban-hanamin_a-Medium" → hanamin_a."""
    return re.search(r"paiban-([a-z_]+)", font_name).group(1)


def test_symbols_and_rare_ideographs_build_in_body_headline_and_kai(rare_build):
    status, entry, _, _ = rare_build
    assert status == 0 and not entry["errors"] and entry["pdf"]
    text = pymupdf.open(entry["pdf"])[0].get_text()
    for char in RARE:  # headline, lead and body each give it back
        assert text.count(char) == 3, f"U+{ord(char):04X}"
    assert NAME in text
    lines = [line for _, line in spans_with(entry["pdf"], RARE)]
    assert any(f"履职{RARE}结硕果" in line for line in lines)            # headline
    assert any(f"坚守初心使命{RARE}，" in line for line in lines)         # lead (Kai)


def test_each_character_is_drawn_in_the_face_its_chain_picks(rare_build, fonts):
    _, entry, _, _ = rare_build
    drawn = defaultdict(set)  # (role of the line, char) -> roles of the faces drawing it
    for spans, _ in spans_with(entry["pdf"], RARE):
        line_role = next(role_of(span["font"]) for span in spans
                         if role_of(span["font"]) in fonts.text_roles)
        for span in spans:
            for c in span["chars"]:
                if c["c"] in RARE:
                    drawn[line_role, c["c"]].add(role_of(span["font"]))
    assert {role for role, _ in drawn} == {"song", "song_heavy", "kai"}
    for (role, char), faces in drawn.items():
        assert faces == {fonts.face_for(role, char).role.name}, (role, char)
    # What the lock's chains give, measured: Noto has none of them; Kai has ≒.
    for role in ("song", "song_heavy", "kai"):
        assert drawn[role, "𠀀"] == {"hanamin_a"}
        assert drawn[role, "𪜀"] == drawn[role, "𫠠"] == drawn[role, "𬺰"] == {"hanamin_b"}
        assert drawn[role, "𰀀"] == {"babelstone"}
    assert drawn["song", "≒"] == drawn["song_heavy", "≒"] == {"symbols"}
    assert drawn["kai", "≒"] == {"kai"}


def test_a_fallback_character_sits_on_its_line_at_the_line_size(rare_build):
    _, entry, placed, _ = rare_build
    for spans, text in spans_with(entry["pdf"], RARE + NAME[0]):
        baselines = {round(c["origin"][1], 2) for span in spans for c in span["chars"]}
        sizes = {round(span["size"], 2) for span in spans}
        assert len(baselines) == 1 and len(sizes) == 1, (text, baselines, sizes)
        # Every ideograph, Noto's or a fallback's, advances one em plus the line's
        # spacing: the same step from one to the next.
        chars = [c for span in spans for c in span["chars"]]
        steps = [b["origin"][0] - a["origin"][0] for a, b in zip(chars, chars[1:])
                 if is_han(a["c"]) and is_han(b["c"])]
        assert steps and max(steps) - min(steps) < 0.05, (text, steps)
        assert min(steps) >= sizes.pop() - 0.01
    # Body lines, with and without fallback characters, on one baseline grid.
    geometry = placed.geometry
    body = [line for line in set_lines(entry["pdf"], placed) if line.size == geometry.body_size]
    with_fallbacks = [line for line in body if any(g.char in RARE for g in line.glyphs)]
    assert with_fallbacks and len(body) > 100
    for line in body:
        steps = (line.glyphs[0].y - with_fallbacks[0].glyphs[0].y) / geometry.pitch
        assert abs(steps - round(steps)) < 0.01, line.line.text


def test_fallback_characters_are_measured_by_the_composer(rare_build, fonts):
    _, entry, placed, _ = rare_build
    lines = set_lines(entry["pdf"], placed)
    for line in lines:
        for glyph in line.glyphs:
            glyph.role = role_of("paiban-" + glyph.role)  # "hanamin_a-Medium" → "hanamin_a"
    with_fallbacks = [line for line in lines
                      if any(g.char in RARE + NAME[0] for g in line.glyphs)]
    assert len(with_fallbacks) >= 3
    found = violations(with_fallbacks, fonts)
    found.pop("5 han gap over 0.1 em (1% allowed)", None)
    assert not found, found
    # A word that mixes faces is as wide as its runs, each in the face that sets it.
    symbols, song = fonts.faces["symbols"], fonts.faces["song"]
    assert fonts.advance("song", NAME) == pytest.approx(
        symbols.advance(NAME[0]) + song.advance(NAME[1:]))
    name_line = next(line for line in lines if NAME in "".join(g.char for g in line.glyphs))
    text = "".join(g.char for g in name_line.glyphs)
    first, last = name_line.glyphs[text.index(NAME)], name_line.glyphs[text.index(NAME) + 4]
    drawn = last.x - first.x + song.advance(NAME[-1]) * name_line.size
    assert drawn == pytest.approx(fonts.advance("song", NAME) * name_line.size, abs=0.05)


def test_build_json_and_paiban_fonts_report_which_face_set_which_character(
        rare_build, capsys):
    _, entry, _, source = rare_build
    assert entry["fallbacks"] == {"DejaVu Sans": sorted("≒Ḥ"), "HanaMinA": ["𠀀"],
                                  "HanaMinB": ["𪜀", "𫠠", "𬺰"], "BabelStone Han": ["𰀀"]}
    capsys.readouterr()
    assert main(["fonts", str(source.parent)]) == 0
    out = capsys.readouterr().out
    assert str(source) in out
    for family, chars in entry["fallbacks"].items():
        line = next(line for line in out.splitlines() if line.strip().startswith(family))
        assert all(char in line and f"U+{ord(char):04X}" in line for char in chars)


def test_paiban_fonts_lists_each_roles_chain_and_the_fallback_faces(capsys):
    assert main(["fonts"]) == 0
    out = capsys.readouterr().out
    assert "tries: song → symbols → hanamin_a → hanamin_b → babelstone" in out
    assert "tries: kai → song → symbols → hanamin_a → hanamin_b → babelstone" in out
    fallbacks = out.split("fallback faces, tried in this order")[1]
    assert [line.split()[0] for line in fallbacks.splitlines()[1:]] == [
        "symbols", "hanamin_a", "hanamin_b", "babelstone"]
    assert main(["fonts", "--chars", "𠀀"]) == 0
    assert "song: HanaMinA" in capsys.readouterr().out
    assert main(["fonts", "--chars", EXTENSION_I]) == 1
    assert "U+2EBF0  song: NO FACE" in capsys.readouterr().out


def test_a_page_without_fallback_characters_embeds_no_fallback_face(sample_build, rare_build,
                                                                    fonts):
    _, sample = sample_build
    feature = entry_of(sample, "p05-dawukou.md")
    assert {role_of(name) for name in feature["fonts"]} == set(fonts.text_roles)
    assert feature["fallbacks"] == {}
    _, entry, _, _ = rare_build
    assert {role_of(name) for name in entry["fonts"]} == set(fonts.roles)
    # A fallback face is cut down to the characters it sets on the page (HarfBuzz
    # may keep a glyph its layout tables reach: DejaVu's ≒ brings ≓).
    page_chars = set(pymupdf.open(entry["pdf"])[0].get_text()) | set(RARE)
    subsets = fonts.subset(page_chars)
    for name, expected in [("symbols", "≒Ḥ"), ("hanamin_a", "𠀀"), ("hanamin_b", "𪜀𫠠𬺰"),
                           ("babelstone", "𰀀")]:
        kept = {chr(code) for code in TTFont(subsets[name]).getBestCmap()}
        assert kept & page_chars == set(expected), name
    assert set(fonts.subset(set("履职尽责结硕果"))) == set(fonts.text_roles)


def test_a_code_point_no_face_has_is_a_located_error(tmp_path, capsys):
    folder, source = sample_copy(tmp_path / "ed", "履职尽责结硕果", "", EXTENSION_I)
    line = next(number for number, text in enumerate(
        source.read_text(encoding="utf-8").splitlines(), 1) if EXTENSION_I in text)
    assert main(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "1"]) == 1
    out = capsys.readouterr().out
    error = next(text for text in out.splitlines() if "U+2EBF0" in text)
    assert f"{source}:{line}:" in error and EXTENSION_I in error
    assert "BabelStone Han" in error  # the whole chain, fallbacks included, was tried
    assert main(["fonts", str(folder)]) == 1
    assert f"{source}:{line}:" in capsys.readouterr().out


def test_an_unknown_fallback_face_in_the_lock_names_its_line(tmp_path):
    lock = edited_lock(tmp_path, '"hanamin_b",', '"hanamin_c",')
    with pytest.raises(PaibanError) as error:
        Fonts(lock)
    assert "'hanamin_c'" in error.value.message and "hanamin_b" in error.value.fix
    line = lock.read_text(encoding="utf-8").splitlines()[error.value.line - 1]
    assert line.startswith("fallbacks") and "hanamin_c" in line


def test_an_extracted_face_is_the_same_bytes_whenever_it_is_made(tmp_path, monkeypatch):
    """The cache of extracted faces is per machine; what it holds (and so every PDF
    embedding a subset of it) must not depend on when it was made."""
    from paiban.fonts import extract, read_lock
    role = read_lock()[0]["kai"]
    made = []
    for name in ("first", "second"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / name))
        made.append(extract(role).read_bytes())
        time.sleep(1.1)  # a face stamped with its extraction time would differ now
    assert made[0] == made[1]
