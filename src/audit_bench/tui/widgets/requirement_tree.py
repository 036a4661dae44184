"""The referential's tree in the walk, each requirement marked with its rating."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from audit_bench.referential import NA
from audit_bench.referential.schema import Node
from audit_bench.services import AuditSession
from audit_bench.services import rules
from audit_bench.services import walk as walk_service
from audit_bench.tui.text import clean, plain

NA_KEY = "x"
"""The walk's key for N/A, shown as the mark of a requirement rated N/A."""


class RequirementTree(Tree[str]):
    """Sections with their progress at the right end of their line, requirements with their
    rating's key in the level's colour; only the requirements of the current filter are in the
    tree. Node data: the node's id.

    A section's progress is drawn over its line at each paint, not written in its label: a new
    label on a section makes Textual draw again every line under it, at every rating.

    The guides under the cursor's section keep their colour (Textual colours them as the cursor):
    so the cursor entering or leaving a section repaints the section's line only, not every line
    under it, which made a key onto a section cost several keys."""

    DEFAULT_CSS = """
RequirementTree {
    width: 42%;
    min-width: 28;
    border-right: vkey $foreground 20%;
    overflow-x: hidden;
    & > .tree--guides-selected { color: $surface-lighten-2; }
    &:focus > .tree--guides-selected { color: $surface-lighten-3; }
    &:light > .tree--guides-hover, &:light > .tree--guides-selected { color: $surface-darken-1; }
    &:ansi > .tree--guides-hover, &:ansi > .tree--guides-selected { color: $ansi-background; }
}
"""

    def __init__(self, session: AuditSession, *, id: str | None = None) -> None:
        super().__init__(plain(session.tree.referential.title), id=id)
        self.session = session
        self.ref = session.tree
        self.by_id: dict[str, TreeNode[str]] = {}
        """The tree's nodes by requirement or section id, for the current filter."""
        self.counts: dict[str, Text] = {}
        """Each section's progress as drawn (dropped when a rating under it changes)."""

    def on_mount(self) -> None:
        self.show_root = False
        self.guide_depth = 2

    def build(self, filter_id: str) -> None:
        self.clear()
        self.by_id = {}
        self.counts = {}
        snapshot = self.session.snapshot()
        visible = {node.id for node in walk_service.filtered_items(self.ref, snapshot, filter_id, self.app.today())}
        for top in self.ref.referential.nodes:
            self._add(self.root, top, visible)
        self.root.expand()

    def _add(self, parent: TreeNode[str], node: Node, visible: set[str]) -> None:
        if node.ratable:
            if node.id in visible:
                self.by_id[node.id] = parent.add_leaf(self.label(node), data=node.id)
            return
        if not any(d.id in visible for d in self.ref.descendants(node)):
            return
        branch = parent.add(self.label(node), data=node.id, expand=True)
        self.by_id[node.id] = branch
        for child in node.children:
            self._add(branch, child, visible)

    def label(self, node: Node) -> Text:
        snapshot = self.session.snapshot()
        if node.ratable:
            text = self.mark(node.id)
            text.append(f"{clean(node.id)} ", style="bold")
            title = node.title or self.ref.text_for(node, snapshot.header.siae_type)
            text.append(clean(" ".join(title.split())))
            if walk_service.findings_of(snapshot, node.id):
                text.append(" ⚑", style="bold red")
            return text
        text = Text(f"{clean(node.id)} ", style="bold")
        text.append(clean(node.title))
        return text

    def count(self, node_id: str) -> Text:
        count = self.counts.get(node_id)
        if count is None:
            progress = rules.progress(self.ref, self.session.snapshot(), self.ref.node(node_id))
            count = self.counts[node_id] = Text(f"  {progress.assessed}/{progress.total} ",
                                                style="green" if not progress.remaining else "dim")
        return count

    def render_line(self, y: int) -> Strip:
        """Textual's line; a section's progress over its right end (left of the scrollbar)."""
        strip = super().render_line(y)
        node = self.get_node_at_line(self.scroll_offset.y + y)
        if node is None or node.data is None or self.ref.node(node.data).ratable:
            return strip
        count = self.count(node.data)
        right = self.scrollable_content_region.width
        drawn = Strip(Segment.apply_style(count.render(self.app.console), self.rich_style), count.cell_len)
        return Strip.join([strip.crop(0, right - count.cell_len), drawn, strip.crop(right, strip.cell_length)])

    def mark(self, node_id: str) -> Text:
        """The rating as its one-key digit in the level's colour, the N/A key, or a dot."""
        assessment = self.session.snapshot().assessment_map().get(node_id)
        if assessment is None or not assessment.rated:
            return Text("· ", style="dim")
        if assessment.rating == NA:
            return Text(f"{NA_KEY} ", style="bold")
        level = self.ref.scale_by_value.get(assessment.rating)
        if level is None:
            return Text("? ", style="bold")
        keys = {lvl.value: key for key, lvl in self.ref.rating_keys.items()}
        return Text(f"{keys.get(level.value, '■')} ", style=f"bold {level.colour}")

    def relabel(self, node_id: str) -> None:
        """Relabel a requirement, and draw again the progress of the sections above it."""
        tree_node = self.by_id.get(node_id)
        label = self.label(self.ref.node(node_id))
        if tree_node is not None and label != tree_node.label:
            tree_node.set_label(label)
        for parent in self.ref.parents(node_id):
            self.counts.pop(parent.id, None)
            section = self.by_id.get(parent.id)
            if section is not None:
                self.refresh_line(section.line)

    def _refresh_node(self, node: TreeNode[str]) -> None:
        """Repaint the node's line alone: nothing under it changes when the cursor comes or goes."""
        if node._line != -1:
            self._refresh_line(node._line)

    def first_shown(self) -> str | None:
        """The first requirement in the tree (else the first section), to land on after a filter."""
        return next((node_id for node_id in self.by_id if self.ref.node(node_id).ratable),
                    next(iter(self.by_id), None))

    def go_to(self, node_id: str | None) -> bool:
        """Move the cursor to `node_id`; False when it is not in the tree (filtered out)."""
        tree_node = self.by_id.get(node_id) if node_id else None
        if tree_node is None:
            return False
        _ = self.last_line  # the lines are laid out lazily at the first paint: now, so the cursor lands at once
        self.cursor_line = tree_node.line
        if self.size.height:  # before the first layout a scroll would go by a height of zero
            self.scroll_to_node(tree_node, animate=False)
        return True

    def scroll_to_line(self, line: int, animate: bool = True) -> None:
        """Bring `line` into view half a screen at a time: Textual's tree scrolls one line per key
        once the cursor reaches its edge, and each scroll repaints every line of the tree."""
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if height and not top <= line < top + height:  # no height yet: scroll_to_cursor comes after the layout
            self.scroll_to(y=line - height // 2, animate=animate, force=True)

    def scroll_to_cursor(self) -> None:
        """Bring the cursor's line into view (once the tree has its size)."""
        if self.cursor_node is not None:
            self.scroll_to_node(self.cursor_node, animate=False)
