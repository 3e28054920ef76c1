"""The owner's data as a PDF: the same stack as the notices (fpdf2, the DejaVu font the
notices find), so names in any script print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def data_pdf(data: dict[str, Any], title: str, font_file: Path | None) -> bytes:
    """Each section of the export as a heading and its fields, wrapped to the page."""
    from fpdf import FPDF  # lazy: API worker memory (docs/benchmarks.md)

    pdf = FPDF(format="letter", unit="mm")
    pdf.set_title(title)
    family = "helvetica"
    if font_file is not None:
        pdf.add_font("dejavu", fname=str(font_file))
        family = "dejavu"
    pdf.add_page()
    pdf.set_font(family, size=16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    for key, value in data.items():
        pdf.set_font(family, size=12)
        pdf.multi_cell(0, 8, key.replace("_", " "), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=9)
        text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
        if font_file is None:  # the built-in font is Latin-1 only
            text = text.encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
