"""The walk's legend: one key per rating level, the N/A key, the current filter."""

from __future__ import annotations

from rich.text import Text

from audit_bench.referential import ReferentialTree
from audit_bench.services import walk as walk_service
from audit_bench.tui.text import clean
from audit_bench.tui.widgets.fitted_text import FittedText
from audit_bench.tui.widgets.requirement_tree import NA_KEY


class RatingLegend(FittedText):
    """The rating keys under the walk, and the filter in force."""

    DEFAULT_CSS = "RatingLegend { padding: 0 1; background: $boost; }"

    def show(self, tree: ReferentialTree, filter_id: str) -> None:
        legend = Text()
        for key, level in walk_service.rating_legend(tree):
            legend.append(f"{key} ", style="bold")
            legend.append(clean(level.label), style=level.colour)
            legend.append(" · ")
        legend.append(f"{NA_KEY} ", style="bold")
        legend.append("N/A", style="italic")
        legend.append(f" · Filtre (f) : {walk_service.FILTERS[filter_id]} · ? aide", style="dim")
        self.show_text(legend)
