"""What Chromium's tagged PDF leaves untagged, finished with pikepdf (QPDF).

Chromium tags the document's own content, but not what it draws around it:
- the footer template (the crisis lines and page number on every page) is plain text
  outside any marked content, so a screen reader meets it unannounced on every page,
  between two paragraphs (PDF/UA-1 7.1-3: content is tagged or an artifact). It becomes a
  pagination artifact: a footer, as PDF/UA asks of running heads and page numbers. The
  crisis lines stay tagged content where the book prints them in its body (front matter,
  the end of every chapter);
- the page's white background and the coloured rules beside editorial boxes: decoration,
  marked as artifacts;
- its link annotations have no description (PDF/UA-1 7.18.5: the Contents key). Each gets
  the text of the HTML link it was printed from.
The print date is set to the commit's (also in an XMP stream with the title, which Chromium
does not write), and QPDF writes a file ID made from the content,
so the same commit gives the same bytes; objects go into compressed object streams
(PDF 1.5), which makes the files about 45 % smaller.

tests/test_offline.py checks the result with pdfua (a PDF/UA-1 subset checker) and by
looking for painting operators outside marked content.
"""
from __future__ import annotations

import bisect
import datetime as dt
import io
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

import pikepdf

TEXT_SHOW = {"Tj", "TJ", "'", '"'}
PATH_BUILD = {"m", "l", "c", "v", "y", "h", "re"}
PATH_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
MARKED_START = {"BDC", "BMC"}


@dataclass(frozen=True)
class Unit:
    """A run of instructions outside marked content that paints: a text object or a path."""
    start: int
    end: int  # inclusive
    kind: str  # "text" or "path"


def instruction(operator: str, *operands) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(list(operands), pikepdf.Operator(operator))


def tagged(operands) -> bool:
    """A marked-content sequence that is tagged content: its properties carry an MCID. (Chromium
    also marks a ligature's ActualText with a Span, tagged content or not.) Properties named in
    the page's resources count as tagged: the cautious side, which makes nothing an artifact."""
    if len(operands) != 2:
        return False
    properties = operands[1]
    return isinstance(properties, pikepdf.Name) or (isinstance(properties, pikepdf.Dictionary)
                                                     and "/MCID" in properties)


def untagged_units(ops) -> tuple[list[Unit], int]:
    """The painting units outside tagged content, and the index of the instruction that ends
    the last tagged content (-1 if none). A text object with tagged content inside is left
    out: wrapping it would put tagged content in an artifact."""
    units, open_seqs, start, kind, mixed, last_tagged = [], [], None, "", False, -1
    for i, (operands, op) in enumerate(ops):
        name, outside = str(op), not open_seqs
        if name in MARKED_START:
            open_seqs.append(tagged(operands))
            mixed = mixed or (start is not None and open_seqs[-1])
        elif name == "EMC" and open_seqs:
            if open_seqs.pop():
                last_tagged = i
        elif outside and name == "BT":
            start, kind, mixed = i, "text", False
        elif name == "ET" and kind == "text" and start is not None:
            if not mixed:
                units.append(Unit(start, i, "text"))
            start = None
        elif outside and name in PATH_BUILD and start is None:
            start, kind = i, "path"
        elif kind == "path" and start is not None and (name in PATH_PAINT or name == "n"):
            if name != "n":  # `n` ends a clipping path: it paints nothing
                units.append(Unit(start, i, "path"))
            start = None
    return units, last_tagged


def shows_text(ops, unit: Unit) -> bool:
    return any(str(op) in TEXT_SHOW for _, op in ops[unit.start:unit.end + 1])


def marked_as_artifacts(ops) -> list:
    """The page's instructions with the footer (the text Chromium draws after the last
    tagged content) as one pagination artifact, and untagged paths as artifacts. Text
    before that is left as it is: untagged body text is a fault to see, not to hide."""
    units, last_tagged = untagged_units(ops)
    footer = [u for u in units if u.kind == "text" and u.start > last_tagged and shows_text(ops, u)]
    opens: dict[int, pikepdf.ContentStreamInstruction] = {}
    closes: set[int] = set()
    if footer:
        opens[footer[0].start] = instruction(
            "BDC", pikepdf.Name.Artifact,
            pikepdf.Dictionary(Type=pikepdf.Name.Pagination, Subtype=pikepdf.Name.Footer))
        closes.add(footer[-1].end)
    inside_footer = range(footer[0].start, footer[-1].end + 1) if footer else range(0)
    for unit in units:
        if unit.kind == "path" and unit.start not in inside_footer:
            opens[unit.start] = instruction("BMC", pikepdf.Name.Artifact)
            closes.add(unit.end)
    out = []
    for i, ins in enumerate(ops):
        if i in opens:
            out.append(opens[i])
        out.append(ins)
        if i in closes:
            out.append(instruction("EMC"))
    return out


# ---- link descriptions ----------------------------------------------------------

class Anchors(HTMLParser):
    """Every <a href> of the printed HTML, in document order, with its text (an image's alt)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":  # an <a> without href (an anchor for links to land on) is opened too, to close in turn
            self._open.append([attrs.get("href"), []])
        elif tag == "img" and self._open and attrs.get("alt"):
            self._open[-1][1].append(attrs["alt"])

    def handle_data(self, data):
        if self._open:
            self._open[-1][1].append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, parts = self._open.pop()
            if href:
                self.found.append((target_of_href(href), " ".join("".join(parts).split())))


def anchors(html: str) -> list[tuple[str, str]]:
    parser = Anchors()
    parser.feed(html)
    parser.close()
    return parser.found


def normal_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and not parts.path:
        parts = parts._replace(path="/")
    return urlunsplit(parts)


def target_of_href(href: str) -> str:
    return "#" + href[1:] if href.startswith("#") else normal_url(href)


def target_of_annotation(annot) -> str | None:
    action = annot.get("/A")
    if action is not None and action.get("/S") == "/URI":
        return normal_url(str(action.URI))
    dest = annot.get("/Dest")
    if dest is None and action is not None and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    if isinstance(dest, pikepdf.Name):
        return "#" + str(dest)[1:]
    if isinstance(dest, pikepdf.String):
        return "#" + str(dest)
    return None


def link_elements(pdf: pikepdf.Pdf):
    """The structure tree's Link elements, in its order (the document's)."""
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Link":
                yield node
            elif node.get("/K") is not None:
                stack.append(node.K)


def annotations_of(link) -> list:
    kids = link.K if isinstance(link.K, pikepdf.Array) else [link.K]
    return [k.Obj for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]


def describe_links(pdf: pikepdf.Pdf, html: str) -> None:
    """Each Link element's annotations get the text of the HTML link it was printed from:
    the next link in document order with the same target (links Chromium did not print,
    having no box, are passed over). Should another Chrome (the deploy runner's) print one
    that matches none, it is described by its address: true, if less friendly, and the
    deploy goes on."""
    printed, position = anchors(html), 0
    where: dict[str, list[int]] = {}  # target -> its links' places, in order: a lookup, not a scan
    for i, (target, _) in enumerate(printed):
        where.setdefault(target, []).append(i)
    for link in link_elements(pdf):
        annots = annotations_of(link)
        target = next((t for t in map(target_of_annotation, annots) if t), None)
        if target is None:
            continue
        places = where.get(target, [])
        k = bisect.bisect_left(places, position)
        found = places[k] if k < len(places) else None
        text = target if found is None else printed[found][1] or target
        for annot in annots:
            annot.Contents = pikepdf.String(text)
        position = position if found is None else found + 1


def pdf_date(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")


def set_metadata(pdf: pikepdf.Pdf, when: dt.datetime) -> None:
    """The print date, in the document information and in an XMP stream, which Chromium does
    not write and PDF/UA-1 asks for (7.1-8), with the title (7.1-9) and language. No
    pdfuaid: the files do not claim PDF/UA conformance (README)."""
    pdf.docinfo["/CreationDate"] = pdf.docinfo["/ModDate"] = pikepdf.String(pdf_date(when))
    stamp = when.astimezone(dt.timezone.utc).isoformat()
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = str(pdf.docinfo["/Title"])
        xmp["dc:language"] = [str(pdf.Root.Lang)]
        xmp["xmp:CreateDate"] = xmp["xmp:ModifyDate"] = stamp
        xmp["xmp:CreatorTool"] = str(pdf.docinfo.get("/Creator", ""))
        xmp["pdf:Producer"] = str(pdf.docinfo.get("/Producer", ""))


def finish_pdf(raw: bytes, html: str, when: dt.datetime) -> bytes:
    """Chromium's PDF with its untagged drawing marked as artifacts, its links described
    and its dates set to `when`, in XMP as well."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        for page in pdf.pages:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(
                marked_as_artifacts(pikepdf.parse_content_stream(page))))
        describe_links(pdf, html)
        set_metadata(pdf, when)
        out = io.BytesIO()
        # Object streams (PDF 1.5) make the files 45 % smaller; 1.7 is what PDF/UA-1 builds on.
        pdf.save(out, deterministic_id=True, compress_streams=True, min_version="1.7",
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
