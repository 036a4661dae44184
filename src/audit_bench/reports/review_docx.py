"""The bilan annuel as a Word document, to amend and circulate before signature: the PDF's
contents (`review_content`) in Word's own styles (Titre, Titre 1/3, Grille du tableau), so an
organisation restyles it in Word."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from audit_bench.reports.docx import PICTURE_WIDTH, WordWriter
from audit_bench.reports.raster import drawing_png
from audit_bench.reports.review_chart import section_charts
from audit_bench.reports.review_content import COMMENT_LABEL, Chapter, ReviewContent, ReviewDocument, comment_paragraphs

__all__ = ["ReviewDocument", "render_review_docx"]


def render_review_docx(document: ReviewDocument) -> bytes:
    content = ReviewContent(document)
    writer = WordWriter(Document())
    signature = document.review.signature
    writer.page_frame(content.running_header(), content.footer(), title=content.subtitle(),
                      author=signature.by if signature else "", subject=content.title())
    writer.para(content.title(), "Title")
    writer.para(content.subtitle(), "Subtitle")
    writer.table(None, [list(fact) for fact in content.cover_facts()], [4.5, 11.5])
    writer.para(content.signature_note(), italic=True)
    _chapter(writer, content.participants())
    writer.heading(ReviewContent.INPUTS)
    for section in document.pack:
        writer.heading(section.title, 3)
        writer.para(ReviewContent.cited(section), italic=True)
        if section.no_data:
            writer.para(section.no_data, italic=True)
        if section.figures:
            header = ReviewContent.figure_header(section)
            writer.table(header, ReviewContent.figure_rows(section), [16.0 - 2.8 * (len(header) - 1)]
                         + [2.8] * (len(header) - 1))
        for chart in section_charts(section):
            width = Pt(min(chart.drawing.width, PICTURE_WIDTH / 2.54 * 72))
            picture = writer.document.add_picture(io.BytesIO(drawing_png(chart.drawing)), width=width)
            picture._inline.docPr.set("descr", chart.text)  # the alternative text: the chart's figures in words
        for line in section.details:
            writer.para(line, "List Bullet")
        comment = comment_paragraphs(document.review, section)
        if comment:
            writer.para(f"{COMMENT_LABEL} :", bold=True)
            for paragraph in comment:
                writer.para(paragraph)
    for chapter in (content.points(), content.decisions(), content.signatures(), content.distribution()):
        _chapter(writer, chapter)
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()


def _chapter(writer: WordWriter, chapter: Chapter) -> None:
    writer.heading(chapter.title)
    if chapter.note:
        writer.para(chapter.note, italic=True)
    if chapter.rows:
        writer.table(chapter.header, chapter.rows)
    else:
        writer.para(chapter.empty, italic=True)
