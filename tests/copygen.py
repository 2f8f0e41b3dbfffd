"""Test copy: seeded Chinese paragraphs, and the same text as a PDF extraction shows it.

Tests of the importer and of the composer need text nobody here wrote, with as much
Latin, as long words and as many marks as the test asks for, the same text again for
the same seed. Two functions serve them:

``paragraphs(seed, count, latin_share=0.2, word_lengths=(2, 12), marks=True)``
    Clean copy, one string per paragraph, as an editor would type it: Han text with
    Latin words and codes ("GB/T 15834", "U+4E00", "PDF/A-3b"), numbers with units and
    decimals ("10.5 pt", "38.5亿元", "19.4%"), and with ``marks`` the marks of
    GB/T 15834 (quotes, brackets, book titles, ——, ……, colons; some paragraphs end in
    "："). ``latin_share`` is the share of the characters that are Latin; Latin words
    have ``word_lengths`` letters. Spaces occur only between two Latin words, one
    each: a Han–Latin gap is the composer's, never typed.

``extraction(paragraphs, width=13, seed=0, column_breaks=0.2, styles=STYLES)``
    The text as an extraction of a printed page shows it, which is what
    ``paiban import`` reads: hard line breaks at the column width (``width`` ems; a
    Han character or full-width mark is 1 em, a Latin character ½ em), a blank line
    between paragraphs and, with probability ``column_breaks`` per paragraph, one where
    a column ended inside it (where the break can be told from a paragraph end, see
    ``_break_allowed``). Each line but a paragraph's last is justified one of the ways
    extractions show it (see ``justified``), chosen from ``styles``.

Both are deterministic for a seed; nothing else is random.
"""

import random
from itertools import pairwise

from paiban.chars import NOT_AT_START, is_han

HAN = ["发展", "建设", "工作", "推进", "落实", "协商", "委员", "城市", "社会", "经济", "文化",
       "技术", "标准", "数据", "项目", "服务", "群众", "企业", "政策", "改革", "创新", "质量",
       "能力", "环境", "生态", "教育", "医疗", "交通", "设计", "排版", "字体", "印刷", "报纸",
       "版面", "编辑", "读者", "文字", "汉字", "标点", "行距", "栏目", "图片", "说明", "新闻",
       "记录", "研究", "调查", "会议", "活动", "计划", "实施", "提高", "加强", "完善", "促进",
       "支持", "保障", "管理", "组织", "开展", "召开", "提出", "形成", "取得", "实现", "坚持",
       "围绕", "的", "了", "和", "在", "是", "有", "对", "为", "把", "将",
       "与", "及", "等", "也", "都", "又", "还", "就", "从", "向", "以",
       "按", "由", "共", "新", "大", "小", "多", "全"]
LATIN_WORDS = ["Unicode", "font", "layout", "kerning", "glyph", "baseline", "Pango",
               "HarfBuzz", "WeasyPrint", "Python", "headings", "justification",
               "hyphenation", "typesetting", "column", "leading", "tracking", "newspaper",
               "print", "proof", "archive", "metadata", "OpenType", "Noto", "Serif", "Sans",
               "CJK", "character", "encoding"]
CODES = ["GB/T 15834", "GB 18030", "U+4E00", "U+3002", "PDF/A-3b", "PDF/X-4", "ISO 32000",
         "UTF-8", "CMYK", "ICC", "HTML", "CSS", "A4", "JPEG", "W3C", "clreq"]
UNITS = ["pt", "mm", "em", "px", "dpi", "MB", "kg"]
HAN_UNITS = ["亿元", "万元", "个", "次", "名", "年", "月", "页", "栏", "行"]
ENDS = "。。。。！？"


def paragraphs(seed, count, latin_share=0.2, word_lengths=(2, 12), marks=True):
    """``count`` paragraphs of clean copy (see the module docstring)."""
    rng = random.Random(seed)
    return [_paragraph(rng, latin_share, word_lengths, marks) for _ in range(count)]


def _paragraph(rng, latin_share, word_lengths, marks):
    sentences = [_sentence(rng, latin_share, word_lengths, marks)
                 for _ in range(rng.randint(1, 4))]
    text = "".join(sentences)
    if marks and text[-1] in ENDS and rng.random() < 0.15:  # it introduces the next one
        text = text[:-1] + "："
    return text


def _sentence(rng, latin_share, word_lengths, marks):
    clauses = [_clause(rng, latin_share, word_lengths, marks) for _ in range(rng.randint(1, 4))]
    separators = "，，，；" + ("：" if marks else "")
    text = clauses[0]
    for clause in clauses[1:]:
        text += (rng.choice(["——", "，"]) if marks and rng.random() < 0.1
                 else rng.choice(separators)) + clause
    if marks and rng.random() < 0.1:
        return text + "……。"
    if marks and rng.random() < 0.1:
        return "“" + text + rng.choice("。！？") + "”"
    return text + rng.choice(ENDS)


def _clause(rng, latin_share, word_lengths, marks):
    parts = []
    length = rng.randint(6, 20)
    size = 0
    while size < length:
        if rng.random() < latin_share:
            part = _latin(rng, word_lengths)
        else:
            part = "".join(rng.choice(HAN) for _ in range(rng.randint(1, 3)))
        if marks and rng.random() < 0.08:
            part = _marked(rng, part)
        # Two Latin phrases in a row are one phrase with a space between them.
        if parts and parts[-1][-1].isascii() and part[0].isascii():
            part = " " + part
        parts.append(part)
        size += len(part)
    return "".join(parts)


def _latin(rng, word_lengths):
    kind = rng.random()
    if kind < 0.25:
        return rng.choice(CODES)
    if kind < 0.45:
        number = rng.choice([str(rng.randint(1, 2030)),
                             f"{rng.randint(0, 99)}.{rng.randint(1, 9)}"])
        return rng.choice([f"{number} {rng.choice(UNITS)}", number + "%",
                           number + rng.choice(HAN_UNITS)])
    low, high = word_lengths
    fitting = [word for word in LATIN_WORDS if low <= len(word) <= high]
    words = []
    for _ in range(rng.randint(1, 3)):
        if fitting and rng.random() < 0.8:
            word = rng.choice(fitting)
        else:  # a made-up word of any allowed length
            size = rng.randint(low, high)
            word = "".join(rng.choice("aeioustrnlcdmkp") for _ in range(size))
        words.append(word.capitalize() if rng.random() < 0.3 else word)
    return " ".join(words)


def _marked(rng, part):
    opening, closing = rng.choice(["“”", "《》", "（）", "‘’"])
    return opening + part + closing


# -- the extraction ------------------------------------------------------------------

def units(paragraph):
    """The paragraph as units a line may break between: one Han character or mark, a
    ——/…… pair, or a Latin word; a unit is (text, space_before)."""
    out = []
    index = 0
    space = False
    while index < len(paragraph):
        char = paragraph[index]
        if char == " ":
            space = True
            index += 1
            continue
        if char.isascii():
            end = index
            while end < len(paragraph) and paragraph[end].isascii() and paragraph[end] != " ":
                end += 1
        elif paragraph[index:index + 2] in ("——", "……"):
            end = index + 2
        else:
            end = index + 1
        out.append((paragraph[index:end], space))
        space = False
        index = end
    return out


def ems(text):
    return sum(0.5 if char.isascii() else 1 for char in text)


def wrap(paragraph, width):
    """Lines of (text, space_before) units, broken greedily at ``width`` ems; a mark that
    may not start a line stays on the line before (the printed line squeezed)."""
    lines, line, used = [], [], 0
    for unit in units(paragraph):
        size = ems(unit[0]) + (0.25 if unit[1] else 0)
        if line and used + size > width and unit[0][0] not in NOT_AT_START["strict"]:
            lines.append(line)
            line, used = [], 0
            unit = (unit[0], False)  # a word space at a line break is the break
            size = ems(unit[0])
        line.append(unit)
        used += size
    return lines + [line] if line else lines


STYLES = ("plain", "gaps", "letters", "partial")


def justified(line, style, rng):
    """One line as the extraction shows it, after ``style`` of justification:

    - plain: the text as typed (a word space one space);
    - gaps: the line was spread at its Han–Latin gaps and word spaces, and the
      extraction shows a space at each (two at each word space if they came out wide);
    - letters: spread letter by letter: a space between every two characters (none
      after a full-width mark, whose blank half took the spacing, and none inside
      ——/……); a word space, wider than the letter spacing, shows as two spaces;
    - partial: spread letter by letter, but within Latin words the extraction saw
      only some of the gaps ("Unicod e", "head ings"); the Han characters of the line
      show the spreading.
    """
    if style == "partial" and not _has_han_pair(line):
        style = "letters"
    out = ""
    previous = ""
    word_space = rng.choice((" ", "  "))  # all word spaces of a line are spread alike
    for text, space in line:
        if style == "plain":
            out += (" " if space else "") + text
        elif style == "gaps":
            out += (word_space if space else " " if _han_latin(previous[-1:], text[0])
                    else "") + text
        else:
            if previous:
                out += "  " if space else ("" if previous[-1] in FULLWIDTH_MARKS else " ")
            if text.isascii() and len(text) > 1:
                if style == "letters":
                    text = " ".join(text)
                else:
                    text = "".join(char + (" " if rng.random() < 0.3 else "")
                                   for char in text[:-1]) + text[-1]
            out += text
        previous = text
    return out


FULLWIDTH_MARKS = set("，。、；：？！“”‘’《》（）——……")


def _han_latin(left, right):
    """A Han–Latin boundary, where the composer set a gap (none by a full-width mark)."""
    return bool(left) and (is_han(left) and right.isascii() or left.isascii() and is_han(right))


def _has_han_pair(line):
    return any(len(a) == 1 and len(b) == 1 and is_han(a) and is_han(b)
               for (a, _), (b, _) in pairwise(line))


def _break_allowed(lines, at):
    """Whether a column break after line ``at`` can be told from a paragraph end.
    Not after a sentence end or a colon, and not leaving two lines without clause marks
    (which read as a section title and subheading): the extraction carries nothing
    else that tells them apart, and the importer reads them as the other thing."""
    text = "".join(text for text, _ in lines[at])
    head = "".join(text for line in lines[:at + 1] for text, _ in line)
    return text.rstrip("”’）》")[-1:] not in "。！？…：" and not (
        at == 1 and not set(head) & set("，。；！？：…"))


def extraction(paragraphs, width=13, seed=0, column_breaks=0.2, styles=STYLES):
    """The paragraphs as an extraction of a printed page (see the module docstring);
    each justified line in one of ``styles``."""
    rng = random.Random(seed)
    blocks = []
    for paragraph in paragraphs:
        lines = wrap(paragraph, width)
        rendered = [justified(line, rng.choice(styles), rng) for line in lines[:-1]]
        rendered.append(justified(lines[-1], rng.choice(("plain", "gaps")), rng))
        breaks = [n for n in range(len(lines) - 1) if _break_allowed(lines, n)]
        if breaks and rng.random() < column_breaks:
            at = rng.choice(breaks) + 1
            blocks += ["\n".join(rendered[:at]), "\n".join(rendered[at:])]
        else:
            blocks.append("\n".join(rendered))
    return "\n\n".join(blocks) + "\n"
