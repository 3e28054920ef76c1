"""The notice on paper and screen: the QR image and the PDF.

Speed matters (a day's notices are issued in a burst after confirmation), so
the page is laid out with fpdf2's plain ``text``/``rect`` calls and a small
word-wrap rather than its general table and multi-cell engine (5× faster), and
the QR is encoded by zxing-cpp (C++, 4× faster than a pure-Python encoder).
Pages whose text fits Latin-1 use a built-in PDF font (nothing embedded);
others (Russian, names in other scripts) embed a subset of a Unicode TTF,
itself first cut down once to Latin, Cyrillic and punctuation when it can be.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from garita.notices import core, i18n
from garita.notices.schemas import NoticePayload
from garita.policy import clocks
from garita.policy.ports import PORTS, port

if TYPE_CHECKING:
    from fpdf import FPDF
    from PIL import Image

FONT_CANDIDATES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
                   Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
                   Path("/usr/local/share/fonts/DejaVuSans.ttf"))
# Latin-1, Latin Extended-A/B, IPA, Greek, Cyrillic, general punctuation, €.
COMMON = frozenset([*range(0x20, 0x250), *range(0x370, 0x530), *range(0x2000, 0x2070), 0x20AC])


class FontMissing(RuntimeError):
    """The text needs a Unicode font and none is installed."""


def find_font(configured: Path | None = None) -> Path | None:
    for path in (configured, *FONT_CANDIDATES):
        if path is not None and path.is_file():
            return path
    return None


@lru_cache(maxsize=4)
def _common_subset(font_file: Path) -> Path:
    """The font cut to COMMON once per process (parsing it per page is then 4× faster)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    tag = hashlib.sha256(f"{font_file}:{font_file.stat().st_mtime_ns}".encode()).hexdigest()[:12]
    out = Path(tempfile.gettempdir()) / f"garita-notice-font-{tag}.ttf"
    if not out.exists():
        font = TTFont(font_file)
        options = subset.Options()
        options.layout_features, options.hinting, options.notdef_outline = [], False, True
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=sorted(COMMON))
        cutter.subset(font)
        partial = out.with_suffix(f".{np.random.default_rng().integers(1 << 30)}.tmp")
        font.save(partial)
        partial.replace(out)  # atomic: parallel workers never read half a file
    return out


# --- QR -------------------------------------------------------------------------------

def qr_image(token: str, scale: int = 4) -> Image.Image:
    """Error level M (15 % damage); black on white with the 4-module quiet zone."""
    import zxingcpp  # lazy, as are PIL and fpdf: API worker memory (docs/benchmarks.md)
    from PIL import Image

    code = zxingcpp.create_barcode(token, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return Image.fromarray(np.asarray(code.to_image(scale=scale, add_quiet_zones=True)))


def qr_png(token: str, scale: int = 4) -> bytes:
    import io

    out = io.BytesIO()
    qr_image(token, scale).save(out, format="PNG", optimize=False)
    return out.getvalue()


def read_qr(image: Image.Image) -> str | None:
    """The text of the first QR code in an image, or None."""
    import zxingcpp

    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = zxingcpp.read_barcodes(image, formats=qr)
    return found[0].text if found else None


# --- PDF ------------------------------------------------------------------------------

def _port_time(payload: NoticePayload) -> str:
    """``08:00 CST (America/Chicago)``: the slot on the port's clock, its zone named."""
    zone = port(payload.port).timezone
    at = clocks.appointment_at(payload.appointment_date, payload.slot, zone)
    return f"{at:%H:%M %Z} ({zone})"


def _lines(payload: NoticePayload, kid: str, language: str) -> dict[str, str]:
    _ = i18n.translations(language).gettext
    return {
        "title": _("Appointment notice"),
        "subtitle": _("Appointment at a U.S. port of entry"),
        "number_label": _("Confirmation number"),
        "port_label": _("Port of entry"),
        "port": f"{_port_label(payload.port)} ({payload.port})",
        "date_label": _("Date"),
        "date": f"{i18n.long_date(payload.appointment_date, language)} "
                f"({payload.appointment_date.isoformat()})",
        "time_label": _("Time"),
        "time": _("{time}, local time at the port").format(time=_port_time(payload)),
        "people_label": _("People in this appointment"),
        "name": _("Name"),
        "born": _("Date of birth"),
        "nationality_sex": _("Nationality, sex"),
        "arrive": _("Arrive at the port on the date and at the time shown. Everyone listed "
                    "must come, each with an identity document."),
        "free": _("This notice is free. Nobody may charge you for an appointment or for "
                  "this notice."),
        "scan": _("Anyone can check this notice by scanning the QR code. It is signed: any "
                  "change is detected."),
        "footer": _("Signing key {kid}. Issued {date}.").format(
            kid=kid, date=payload.issued_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
    }


def _font(pdf: FPDF, texts: list[str], font_file: Path | None) -> str:
    used = {ord(c) for text in texts for c in text}
    if max(used, default=0) < 0x100:
        return "helvetica"
    if font_file is None:
        raise FontMissing("this notice needs a Unicode font: install fonts-dejavu-core or set "
                          "GARITA_NOTICE_FONT_FILE to a TTF file")
    pdf.add_font("unicode", fname=str(_common_subset(font_file) if used <= COMMON else font_file))
    return "unicode"


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap at the current font size; each word is measured once."""
    space = pdf.get_string_width(" ")
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        w = pdf.get_string_width(word)
        if line and used + space + w > width:
            lines.append(" ".join(line))
            line, used = [word], w
        else:
            used += (space if line else 0.0) + w
            line.append(word)
    return [*lines, " ".join(line)] if line else lines


class _Page:
    """A cursor over one page: write wrapped text at a size, move down."""

    def __init__(self, pdf: FPDF, family: str, x: float, y: float) -> None:
        self.pdf, self.family, self.x, self.y = pdf, family, x, y

    def write(self, text: str, size: float, width: float, gap: float = 1.0) -> None:
        self.pdf.set_font(self.family, size=size)
        step = size * 0.42
        for line in _wrap(self.pdf, text, width):
            self.y += step
            self.pdf.text(self.x, self.y, line)
        self.y += gap + step * 0.3


def pdf_bytes(payload: NoticePayload, token: str, kid: str, language: str,
              font_file: Path | None) -> bytes:
    """The unsigned PDF: text on the left, the QR on the right, then the people."""
    from fpdf import FPDF

    text = _lines(payload, kid, language)
    people = [(f"{m.family_names.upper()}, {m.given_names}", m.date_of_birth.isoformat(),
               f"{m.nationality} · {m.sex}" if m.nationality and m.sex else "")
              for m in payload.members]
    pdf = FPDF(format="letter", unit="mm")
    pdf.set_creation_date(payload.issued_at)
    pdf.set_title(text["title"])
    pdf.set_lang(language)
    pdf.set_auto_page_break(False)
    family = _font(pdf, [*text.values(), *(p for p, _, _ in people)], font_file)
    pdf.add_page()
    pdf.image(qr_image(token, scale=2), x=130, y=14, w=68)
    page = _Page(pdf, family, 18, 14)
    page.write(text["title"], 20, 108, 0)
    page.write(text["subtitle"], 10, 108, 4)
    for label, value, size in (("number_label", core.grouped(payload.confirmation_number), 22),
                               ("port_label", text["port"], 12), ("date_label", text["date"], 12),
                               ("time_label", text["time"], 12)):
        page.write(text[label], 9, 108)
        page.write(value, size, 108, 3)
    page.y = max(page.y, 88) + 4
    page.write(text["people_label"], 12, 180, 2)
    _people(pdf, page, text, people)
    for key in ("arrive", "free", "scan"):
        page.write(text[key], 10, 180, 2)
    page.write(text["footer"], 8, 180)
    return bytes(pdf.output())


def _people(pdf: FPDF, page: _Page, text: dict[str, str],
            people: list[tuple[str, str, str]]) -> None:
    """#, name, date of birth, and nationality · sex (blank on notices issued without)."""
    pdf.set_fill_color(235, 235, 235)
    pdf.rect(18, page.y, 180, 7, style="F")
    rows = [("#", text["name"], text["born"], text["nationality_sex"])]
    rows += [(str(i), name, born, extra)
             for i, (name, born, extra) in enumerate(people, start=1)]
    pdf.set_font(page.family, size=10)
    for number, name, born, extra in rows:
        names = _wrap(pdf, name, 92) or [""]
        pdf.text(20, page.y + 5, number)
        pdf.text(124, page.y + 5, born)
        pdf.text(154, page.y + 5, extra)
        for i, line in enumerate(names):
            pdf.text(28, page.y + 5 + 4.5 * i, line)
        page.y += 2.5 + 4.5 * len(names)
        pdf.line(18, page.y, 198, page.y)
    page.y += 5


def _port_label(code: str) -> str:
    return PORTS[code].label if code in PORTS else code
