"""Change report: after a rebuild, a proof of each changed page with what moved boxed.

Both versions of the page are rasterised (PDFium via pypdfium2), compared pixel by
pixel, and the differing areas, grouped into rectangles on a coarse grid, are drawn in
red on the new page, so the editor checks only what moved.
"""

import io

import pypdfium2
from PIL import Image, ImageChops, ImageDraw

from .files import write_atomically

DPI = 60
CELL = 12          # px: differences closer than this join into one box
BOX = (220, 0, 0)


def rasterise(pdf, dpi=DPI):
    """The first page of a PDF (path or bytes) as an RGB image."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


def changed_boxes(old, new):
    """Rectangles (px) around the areas where two renderings differ."""
    if old.size != new.size:
        return [(0, 0, new.width, new.height)]
    mask = ImageChops.difference(old, new).convert("L").point(lambda v: 255 if v > 24 else 0)
    columns, rows = -(-new.width // CELL), -(-new.height // CELL)
    grid = mask.resize((columns, rows), Image.Resampling.BOX)
    cells = {(x, y) for y in range(rows) for x in range(columns) if grid.getpixel((x, y))}
    boxes = []
    while cells:
        stack = [cells.pop()]
        group = []
        while stack:
            x, y = stack.pop()
            group.append((x, y))
            for near in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                if near in cells:
                    cells.remove(near)
                    stack.append(near)
        xs, ys = [x for x, _ in group], [y for _, y in group]
        boxes.append((min(xs) * CELL, min(ys) * CELL, (max(xs) + 1) * CELL,
                      (max(ys) + 1) * CELL))
    return sorted(boxes, key=lambda box: (box[1], box[0]))


def change_proof(old_pdf, new_pdf, target):
    """Write ``target`` (PNG): the new page with its changes boxed. Returns the boxes
    in points from the page's top-left corner."""
    old, new = rasterise(old_pdf), rasterise(new_pdf)
    boxes = changed_boxes(old, new)
    proof = Image.blend(new, Image.new("RGB", new.size, "white"), 0.35)
    draw = ImageDraw.Draw(proof)
    for box in boxes:
        draw.rectangle(box, outline=BOX, width=2)
    buffer = io.BytesIO()
    proof.save(buffer, "PNG")
    write_atomically(target, buffer.getvalue())
    scale = 72 / DPI
    return [tuple(round(v * scale, 1) for v in box) for box in boxes]
