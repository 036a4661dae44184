"""The bilan annuel (revue de direction) as a PDF, on the audit report's page frame: cover,
participants, one section per input of the pack, the consistency check's remaining points, the
decisions, signatures and distribution (the words: `review_content`).

It prints a `ReviewDocument` and nothing else: for a signed review, its frozen pack and points
and its day of signature, so the same review always gives the same bytes (reportlab's invariant
mode: no creation date, no random document id).
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from audit_bench.reports import layout
from audit_bench.reports import styles as report_styles
from audit_bench.reports.cells import bold, cell, italic
from audit_bench.reports.layout import CONTENT_WIDTH, GROUP_FILL
from audit_bench.reports.review_chart import section_charts
from audit_bench.reports.review_content import COMMENT_LABEL, Chapter, ReviewContent, ReviewDocument, comment_paragraphs
from audit_bench.reports.styles import text
from audit_bench.reports.typography import NBSP

__all__ = ["ReviewDocument", "render_review_report"]


def render_review_report(document: ReviewDocument) -> layout.BuiltDocument:
    content = ReviewContent(document)
    signature = document.review.signature
    return layout.build_document(
        _Bilan(content).story(), title=f"{content.title()} — {document.structure_name}",
        subject=content.subtitle(), author=signature.by if signature else "",
        running_header=content.running_header(), footer=content.footer(), invariant=True)


CHAPTER_ROOM = 50 * mm
"""The room a chapter needs left on the page to start there: its heading and a few rows."""
SECTION_ROOM = 40 * mm
"""The same for an input's section: its title, the citation, the table's header and a few rows."""


class _Bilan:
    def __init__(self, content: ReviewContent) -> None:
        self.content = content
        self.st = dict(report_styles.styles())
        # A heading kept with its whole table moves a table that fits a page to the next one, and
        # leaves a page half empty: the room asked before each heading keeps it off a page's foot.
        self.st["h1"] = ParagraphStyle("bilan-h1", parent=self.st["h1"], keepWithNext=0)
        self.chapter = 0

    def p(self, markup: str, style: str = "body") -> Paragraph:
        return Paragraph(markup, self.st[style])

    def heading(self, title: str) -> list[Flowable]:
        self.chapter += 1
        return [CondPageBreak(CHAPTER_ROOM), self.p(f"{self.chapter}. {text(title)}", "h1")]

    def story(self) -> list[Flowable]:
        content = self.content
        story = self.cover()
        story.append(PageBreak())
        story += self.chapter_table(content.participants(), [70, 65, None])
        story += self.inputs()
        story += self.chapter_table(content.points(), [None, 78])
        story += self.chapter_table(content.decisions(), [10, 32, None, 32, 34, 16])
        story += self.signatures()
        story += self.chapter_table(content.distribution(), [None, 40])
        return story

    def cover(self) -> list[Flowable]:
        rows = [[cell(bold(label)), cell(value)] for label, value in self.content.cover_facts()]
        return [
            Spacer(1, 25 * mm),
            self.p(text(self.content.title()), "title"),
            self.p(text(self.content.subtitle()), "subtitle"),
            layout.table(rows, [45 * mm, CONTENT_WIDTH - 45 * mm], header=False,
                         extra=[("BACKGROUND", (0, 0), (0, -1), GROUP_FILL)]),
            Spacer(1, 8 * mm),
            self.p(text(self.content.signature_note()), "muted"),
        ]

    def chapter_table(self, chapter: Chapter, widths_mm: list[float | None]) -> list[Flowable]:
        """The chapter's heading, then its table, or its sentence when it has no row. One width
        may be None: it takes what the others leave."""
        out = self.heading(chapter.title)
        if not chapter.rows:
            return out + [self.p(f"<i>{text(chapter.empty)}</i>")]
        return out + [self.grid(chapter.header, chapter.rows, widths_mm)]

    def grid(self, header: list[str], rows: list[list[str]], widths_mm: list[float | None], **options) -> Flowable:
        fixed = sum(width for width in widths_mm if width is not None) * mm
        widths = [CONTENT_WIDTH - fixed if width is None else width * mm for width in widths_mm]
        return layout.table([layout.head_row(*header)] + [[cell(value) for value in row] for row in rows], widths,
                            **options)

    def inputs(self) -> list[Flowable]:
        out = self.heading(ReviewContent.INPUTS)
        for section in self.content.document.pack:
            out.append(CondPageBreak(SECTION_ROOM))
            out.append(self.p(text(section.title), "h3"))
            out.append(self.p(text(ReviewContent.cited(section)), "muted"))
            if section.no_data:
                out.append(self.p(f"<i>{text(section.no_data)}</i>"))
            if section.figures:
                header = ReviewContent.figure_header(section)
                widths = [None] + [25] * (len(header) - 1)
                out.append(self.grid(header, ReviewContent.figure_rows(section), widths,
                                     extra=[("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
            for chart in section_charts(section):
                out += [Spacer(1, 2 * mm), chart.drawing]
            if section.details and (section.figures or section.trends):
                out.append(Spacer(1, 2 * mm))
            out += [self.p(f"• {text(line)}", "small") for line in section.details]
            comment = comment_paragraphs(self.content.document.review, section)
            if comment:
                out.append(Spacer(1, 2 * mm))
                out.append(self.p(f"<b>{text(COMMENT_LABEL)}</b>{NBSP}:", "small"))
                out += [self.p(text(paragraph)) for paragraph in comment]
            out.append(Spacer(1, 3 * mm))
        return out

    def signatures(self) -> list[Flowable]:
        """The signatures' heading with their table, on one page: a table left alone at a page's
        top would read as signing nothing."""
        chapter = self.content.signatures()
        room, heading = self.heading(chapter.title)
        body: list[Flowable] = [self.p(f"<i>{text(chapter.note)}</i>")] if chapter.note else []
        if chapter.rows:
            rows = [layout.head_row(*chapter.header)]
            rows += [[cell(role), cell(name), cell(italic(signed)) if signed else ""]
                     for role, name, signed in chapter.rows]
            body.append(layout.table(rows, [70 * mm, 60 * mm, CONTENT_WIDTH - 130 * mm],
                                     heights=[None] + [14 * mm] * (len(rows) - 1)))
        else:
            body.append(self.p(f"<i>{text(chapter.empty)}</i>"))
        return [room, KeepTogether([heading, *body])]
