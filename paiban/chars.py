"""Character classes of Chinese text, after clreq 3.1 and GB/T 15834.

Shared by the importer (which joins wrapped lines), the composer (which
breaks and spaces lines) and the preflight (which names characters).
"""

import re

# Line-start and line-end prohibition (clreq 3.1.7), by level. The basic level ...
_BASIC_START = set("、，。：；！？”’）］｝》〉】〕〗」』－～–·／") | set(",.:;!?)]}%‰℃°")
_BASIC_END = set("“‘（［｛《〈【〔〖「『") | set("([{")
# ... GB style adds the solidus at line end; strict adds dash, ellipsis and iteration marks
# at line start.
NOT_AT_START = {"none": set(), "basic": _BASIC_START, "gb": _BASIC_START,
                "strict": _BASIC_START | set("—…々〻ー")}
NOT_AT_END = {"none": set(), "basic": _BASIC_END, "gb": _BASIC_END | {"／"},
              "strict": _BASIC_END | {"／"}}
LEVELS = tuple(NOT_AT_START)

OPENING = set("“‘（［｛《〈【〔〖「『")
CLOSING = set("”’）］｝》〉】〕〗」』")
# Marks whose ink sits in one half of the em box (SC forms): they may be set half width.
PAUSE = set("、，。：；！？")
FULLWIDTH_PUNCT = OPENING | CLOSING | PAUSE
SENTENCE_END = set("。！？…")
INSEPARABLE = ("——", "……")


def is_dash_or_ellipsis(text):
    """A run of —— or ……: set in full-width forms, never split, never spaced inside."""
    return bool(text) and text[0] in "—…" and len(set(text)) == 1


# Blocks of Han ideographs by code point, not by this Python's Unicode tables (which
# may predate an extension, as 3.11's Unicode 14 predates Extensions H and I).
HAN_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF),
              (0x2A700, 0x2EBEF), (0x2EBF0, 0x2EE5F), (0x2F800, 0x2FA1F),
              (0x30000, 0x3134F), (0x31350, 0x323AF))


def is_han(char):
    """True for Han ideographs (CJK Unified, Extensions A–I and compatibility)."""
    code = ord(char)
    return any(low <= code <= high for low, high in HAN_BLOCKS)


# Letters of the alphabets the faces set in proportional glyphs — Latin with its
# accented forms ("liè", "Zürich", precomposed or with combining marks), Greek,
# Cyrillic — and digits. Text calls them all "Latin", as clreq does.
LATIN_LETTER = ("0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f"
                "\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff")
_LATIN_CHAR = re.compile(f"[{LATIN_LETTER}]")


def is_latin(char):
    """Latin letters and digits, set in proportional Latin glyphs."""
    return bool(_LATIN_CHAR.fullmatch(char))


# A run of Latin letters or digits that a line never breaks without a hyphen:
# "2022", "19.4", "100%", "PDF/A-3b", "R&D", "don't", "lièvre".
LATIN_RUN = re.compile(f"[{LATIN_LETTER}]+(?:[.,:/\\-+&'][{LATIN_LETTER}]+)*[%‰℃°]?")


def join_wrapped(left, right):
    """Join two lines of a hard-wrapped paragraph.

    Chinese wraps without a space; a break between two Latin characters (letters,
    digits, ASCII marks: "GB/T" + "15834") stood for a word space and becomes one.
    """
    if left and right and is_latin_text(left[-1]) and is_latin_text(right[0]):
        return left + " " + right
    return left + right


def is_latin_text(char):
    """A Latin letter, digit or ASCII mark: what a word space may stand between."""
    return is_latin(char) or char.isascii() and char.isprintable() and not char.isspace()
