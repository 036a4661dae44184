"""The selected requirement in the walk: its text for the structure's type, and what was recorded."""

from __future__ import annotations

from math import ceil
from typing import Sequence

from rich.segment import Segment
from rich.text import Text
from textual.content import Content, _FormattedLine as WrappedLine
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style

from audit_bench.model import Assessment
from audit_bench.model.vocab import ACTION_STATUSES
from audit_bench.referential import NA
from audit_bench.referential.schema import Node
from audit_bench.services import AuditSession
from audit_bench.services import rules
from audit_bench.services import walk as walk_service
from audit_bench.services.followup import Previous
from audit_bench.tui.previous import append_reference
from audit_bench.tui.text import clean, percent_text


def finding_owed(session: AuditSession, requirement: str) -> str | None:
    """The services' own words when the rating of `requirement` calls for an écart not written yet
    (the same line the synthesis lists under « Reste à faire »), else None."""
    if not rules.needs_finding(session.tree, session.snapshot(), requirement):
        return None
    return next(clean(p.message) for p in session.pending() if p.requirement == requirement)


class RequirementDetail(ScrollView):
    """The requirement's text, wrapped once per change and scrolled here: moving from one
    requirement to the next repaints the rows of this panel that change, and lays out nothing.

    A `height: auto` text in a scrolling container made Textual lay the whole screen out twice per
    key; a scrollbar that came and went with the length of the text, once per change of length
    (a tenth of the keys on CEDRE, each costing the time of a key). So the bar is always there:
    the text keeps its width beside it, and when the text fits, the bar shows an empty track.

    The wrapped lines are kept, not their strips: a strip is made when its line is painted, so a
    key makes strips for the lines in view only, and none outlives the paint (a CEDRE requirement
    wraps to about 40 lines, each strip a dozen objects that the garbage collector then walks)."""

    DEFAULT_CSS = "RequirementDetail { height: 1fr; padding: 0 1; overflow-x: hidden; overflow-y: scroll; }"

    def __init__(self, session: AuditSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.ref = session.tree
        self.content = Content()
        """The text shown, before wrapping."""
        self.lines: list[WrappedLine] = []
        self.wrapped_at = 0
        """The width `lines` were wrapped at (0: not yet)."""
        self.previous: Previous | None = None
        """The audit this one starts from, shown as reference under each requirement."""

    def show(self, node: Node | None) -> None:
        text = self.describe(node) if node is not None else Text("Aucune exigence pour ce filtre.", style="dim")
        self.content = Content.from_rich_text(text, console=self.app.console)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.wrap()

    def on_resize(self) -> None:
        self.wrap()

    def selection_updated(self, selection: Selection | None) -> None:
        self.wrap()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.content.plain), "\n"

    def wrap(self) -> None:
        """Wrap the text beside the scrollbar, and repaint what changed."""
        width, height = self.scrollable_content_region.size
        if width <= 0:
            return  # not laid out yet: on_resize wraps it
        shown, self.lines = self.lines, self.lines_at(width)
        same_width, self.wrapped_at = self.wrapped_at == width, width
        self.set_reactive(RequirementDetail.virtual_size, Size(width, len(self.lines)))
        self.resize_bar(len(self.lines))
        if same_width and self.scroll_offset.y == 0:
            self.refresh_changed(shown, height)
        else:
            self.refresh()

    def refresh_changed(self, shown: list[WrappedLine], height: int) -> None:
        """Repaint the rows in view whose line differs from the one painted there: the rows under
        a short text, blank before and after, are not painted again (nor the widgets beside them)."""
        left, width = self.content_offset.x, self.outer_size.width
        rows = changed_rows([line_key(line) for line in shown[:height]],
                            [line_key(line) for line in self.lines[:height]], height)
        if rows:
            self.refresh(*(Region(-left, top, width, count) for top, count in rows))

    def resize_bar(self, lines: int) -> None:
        """Give the scrollbar the text's length, repainting only the rows of the bar that change
        (the thumb's end, mostly): a whole bar repainted makes three strips a row."""
        bar = self.vertical_scrollbar
        before = bar_rows(bar)
        bar.set_reactive(ScrollBar.window_virtual_size, lines)
        rows = changed_rows(before, bar_rows(bar), bar.size.height)
        if rows:
            bar.refresh(*(Region(0, top, bar.size.width, count) for top, count in rows))

    def lines_at(self, width: int) -> list[WrappedLine]:
        """The text wrapped at `width`, the selection marked, as `Visual.to_strips` wraps it
        (the widget's text rules, its styles and the screen's selection style)."""
        selection = self.text_selection
        selection_style = (None if selection is None else
                           Style.from_styles(self.screen.get_component_styles("screen--selection")))
        rule = self.styles.get
        return self.content._wrap_and_format(  # Content.render_strips's wrapping, without its strips
            width, align=rule("text_align", "left"), overflow=rule("text_overflow", "fold"),
            no_wrap=rule("text_wrap", "wrap") == "nowrap", line_pad=rule("line_pad", 0), selection=selection,
            selection_style=selection_style, get_style=self._get_style)

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        if line < len(self.lines):
            return Strip(*self.lines[line].to_strip(self.visual_style))
        return Strip.blank(self.wrapped_at, self.rich_style)

    def describe(self, node: Node) -> Text:
        snapshot = self.session.snapshot()
        siae_type = snapshot.header.siae_type
        text = Text()
        text.append(f"{clean(node.kind.capitalize())} {clean(node.id)}", style="bold")
        if node.title:
            text.append(" — ")
            text.append(clean(node.title), style="bold")
        variant_text = self.ref.text_for(node, siae_type)
        if variant_text:
            text.append("\n")
            if siae_type and siae_type in node.variants and node.variants[siae_type].text is not None:
                text.append(f"Variante {clean(siae_type)} : ", style="italic cyan")
            text.append(clean(variant_text))
        for parent in reversed(self.ref.parents(node.id)):
            if parent.intent:
                text.append("\n\nIntention", style="bold underline")
                text.append(clean(f" ({parent.id}) : {parent.intent}"))
                break
        if node.intent:
            text.append("\n\nIntention : ", style="bold underline")
            text.append(clean(node.intent))
        guidance = self.ref.guidance_for(node, siae_type)
        if guidance:
            text.append("\n\nPrécisions : ", style="bold")
            text.append(clean(guidance))
        hints = list(node.evidence) or next((p.evidence for p in reversed(self.ref.parents(node.id)) if p.evidence), [])
        if hints:
            text.append("\n\nPreuves attendues", style="bold underline")
            for hint in hints:
                text.append("\n")
                text.append(clean(hint.category), style="italic")
                text.append(" : ")
                text.append(clean(" ; ".join(hint.items)))
        if node.indicators:
            text.append("\n\nIndicateurs", style="bold underline")
            for indicator in node.indicators:
                text.append("\n  • ")
                text.append(clean(indicator.name + (f" ({indicator.unit})" if indicator.unit else "")))
        if not node.ratable:
            text.append(f"\n\nAvancement : {percent_text(rules.progress(self.ref, snapshot, node))}", style="bold")
            return text
        self._append_record(text, node)
        if self.previous is not None:
            carried = {e.carried_from for e in self.session.snapshot().evidence if e.carried_from}
            append_reference(text, self.previous, node.id, carried)
        return text

    def _append_record(self, text: Text, node: Node) -> None:
        snapshot = self.session.snapshot()
        assessment = snapshot.assessment_map().get(node.id)
        text.append("\n\nCotation : ", style="bold")
        if assessment is None or not assessment.rated:
            text.append("non cotée", style="dim")
        elif assessment.rating == NA:
            text.append("N/A (non applicable)", style="italic")
        else:
            level = self.ref.scale_by_value.get(assessment.rating)
            text.append(clean(level.label if level else assessment.rating),
                        style=f"bold {level.colour}" if level else "bold")
        if assessment and assessment.rated and assessment.by:
            text.append(f"  par {clean(assessment.by)}", style="dim")
        self._append_history(text, snapshot.history_of(node.id))
        evidence = [e for e in snapshot.evidence if e.requirement == node.id]
        text.append(f"\n\nPreuves relevées ({len(evidence)})", style="bold underline")
        for item in evidence:
            text.append("\n  • ")
            text.append(clean(item.title))
            details = [d for d in (item.version, item.location) if d]
            if item.filename:
                details.append(f"fichier {item.filename} ({item.sha256[:8]}…)")
            if item.reviewed_on:
                details.append(f"revue le {item.reviewed_on}")
            if details:
                text.append(clean(" — " + " · ".join(details)), style="dim")
        findings = walk_service.findings_of(snapshot, node.id)
        text.append(f"\n\nÉcarts ({len(findings)})", style="bold underline")
        for finding in findings:
            cls = self.ref.finding_classes.get(finding.class_)
            text.append(f"\n  ⚑ {clean(finding.id)} ", style="bold red")
            text.append(clean(cls.label if cls else finding.class_), style="bold")
            text.append(" : ")
            text.append(clean(finding.text))
            for action in snapshot.actions_of(finding.id):
                text.append(f"\n      → {clean(action.id)} ")
                text.append(clean(f"{action.text} ({action.owner}, {action.due}) "))
                text.append(clean(ACTION_STATUSES.get(action.status, action.status)), style="italic")
        owed = finding_owed(self.session, node.id)
        if owed:
            text.append(f"\n\n⚠ {owed} : touche e pour le rédiger.", style="bold yellow")

    def _append_history(self, text: Text, history: list[Assessment]) -> None:
        """The last changes of the rating and constat, latest first, dated; the file keeps them all."""
        if not history:
            return
        shown = f", les {HISTORY_SHOWN} dernières" if len(history) > HISTORY_SHOWN else ""
        text.append(f"\nHistorique ({len(history)}{shown})", style="dim underline")
        for entry in reversed(history[-HISTORY_SHOWN:]):
            text.append(f"\n  {day_and_time(entry.at)}  ", style="dim")
            text.append(clean(self.rating_words(entry)), style="dim bold")
            if entry.by:
                text.append(f" par {clean(entry.by)}", style="dim")
            if entry.note:
                note = " ".join(entry.note.split())
                text.append(clean(f" — « {note[:60]}{'…' if len(note) > 60 else ''} »"), style="dim")

    def rating_words(self, assessment: Assessment) -> str:
        if not assessment.rated:
            return "non cotée"
        if assessment.rating == NA:
            return "N/A"
        level = self.ref.scale_by_value.get(assessment.rating)
        return level.label if level else assessment.rating


def line_key(line: WrappedLine) -> tuple[object, ...]:
    """What a wrapped line paints: its text and styles, and its place in the text (a selection
    reads the place from the painted row)."""
    return line.x, line.y, line.content.plain, line.content.spans


def changed_rows(before: Sequence[object], after: Sequence[object], height: int) -> list[tuple[int, int]]:
    """(first row, count) of each run of rows, among the first `height`, that differ from
    `before` to `after` (a row past the end of one of them is empty there)."""
    runs: list[tuple[int, int]] = []
    for row in range(height):
        was = before[row] if row < len(before) else None
        now = after[row] if row < len(after) else None
        if was != now:
            if runs and sum(runs[-1]) == row:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((row, 1))
    return runs


def bar_rows(bar: ScrollBar) -> list[Segment]:
    """The rows of a vertical scrollbar, drawn as `ScrollBar.render` draws them (colours aside)."""
    window = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    return ScrollBarRender.render_bar(size=bar.size.height, virtual_size=ceil(bar.window_virtual_size),
                                      window_size=ceil(window), position=bar.position, thickness=bar.thickness,
                                      vertical=True).segments


HISTORY_SHOWN = 5
"""How many of a requirement's past assessments its detail lists."""


def day_and_time(at: str) -> str:
    """`2026-12-05T10:42:13+01:00` as `05/12/2026 10:42`."""
    return f"{at[8:10]}/{at[5:7]}/{at[:4]} {at[11:16]}".strip()
