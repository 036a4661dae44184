"""CPU per key in the Parcours (rate-and-advance, Down, `u`) on CEDRE and on a 1,000-item
referential, in the ten-year workspace, against a bare Textual app moving the cursor in a 50-row
`Tree` at the same terminal size (budget: p95 ≤ 1.5×).

In process, driven by Textual's Pilot: each key is timed in process CPU seconds, from the key to
the app idle again with its screen refreshed. A round runs the bare app (Down, KEYS times), then
audit-bench on the ten-year workspace, which opens each audit from its Accueil and presses each
key KEYS times; the round's ratio is the p95 of audit-bench's samples over the p95 of the bare
app's. The two audits (CEDRE for an ACI, and the 1,000-item referential) are half rated at random,
with evidence and écarts, and restored before each round so that every round walks the same audit.

Reported beside the verdicts: a minimal walk on CEDRE (the same tree, and a panel showing each
requirement's text as the cursor moves, every text drawn in advance, nothing else) against the bare
tree, and audit-bench's keys on CEDRE against that minimal walk. Painting a new requirement's text
at every key is work the bare tree never does: the first figure is the least any walk of CEDRE can
cost, the others what the walk costs beyond it.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Tree

from common import Ratios, arguments, percentile, report_ratios, synthetic_tree
from tenyear import TODAY, Contents, prepared, write_audit
from audit_bench.referential import ReferentialTree
from audit_bench.services import Workspace
from audit_bench.services.audits import audit_path
from audit_bench.tui.app import AuditBenchApp

ROUNDS = 4
KEYS = 15
SIZE = (120, 36)
BUDGET = 1.5


class BareTree(App):
    """The baseline: a Textual app with a 50-row tree and nothing else."""

    def compose(self) -> ComposeResult:
        tree: Tree[None] = Tree("Référentiel")
        for n in range(50):
            tree.root.add_leaf(f"{n + 1}. La structure démontre la maîtrise de l'exigence")
        tree.root.expand()
        yield tree


class MinimalWalk(App):
    """The least a walk does: the referential's requirements in a tree, and beside it a panel
    showing the text of the one under the cursor (its wording for the type, intent, guidance,
    expected evidence). Every requirement's text is drawn in advance at the panel's width, so a
    key only moves the cursor and paints the panel's rows: no walk can cost less."""

    CSS = "Tree { width: 42%; }"

    def __init__(self, tree: ReferentialTree, siae_type: str) -> None:
        super().__init__()
        self.items = tree.applicable_ratable(siae_type)
        self.texts = [requirement_text(tree, node, siae_type) for node in self.items]

    def compose(self) -> ComposeResult:
        with Horizontal():
            tree: Tree[int] = Tree("Référentiel")
            for index, node in enumerate(self.items):
                tree.root.add_leaf(f"· {node.id} {node.title or ''}", data=index)
            tree.root.expand()
            yield tree
            yield DrawnPanel(self.texts)

    def on_mount(self) -> None:
        tree, panel = self.query_one(Tree), self.query_one(DrawnPanel)
        self.watch(tree, "cursor_line", lambda line: panel.show(line % len(self.texts)), init=False)
        tree.focus()


class DrawnPanel(Widget):
    """Texts drawn once at the panel's width; showing one repaints the panel's rows, nothing else."""

    DEFAULT_CSS = "DrawnPanel { width: 1fr; height: 1fr; padding: 0 1; }"

    def __init__(self, texts: list[Text]) -> None:
        super().__init__()
        self.texts = texts
        self.drawn: list[list[Strip]] = []
        self.shown = 0

    def on_resize(self) -> None:
        options = self.app.console.options.update_width(self.content_size.width)
        self.drawn = [[Strip(line) for line in self.app.console.render_lines(text, options, pad=True)]
                      for text in self.texts]
        self.refresh()

    def show(self, index: int) -> None:
        self.shown = index
        self.refresh()

    def render_line(self, y: int) -> Strip:
        lines = self.drawn[self.shown] if self.drawn else []
        return lines[y] if y < len(lines) else Strip.blank(self.content_size.width)


def requirement_text(tree: ReferentialTree, node, siae_type: str) -> Text:
    text = Text(f"{node.id} {node.title or ''}", style="bold")
    for part in (tree.text_for(node, siae_type), node.intent, tree.guidance_for(node, siae_type)):
        if part:
            text.append(f"\n\n{part}")
    for hint in node.evidence:
        text.append(f"\n{hint.category} : {' ; '.join(hint.items)}")
    return text


@dataclass(frozen=True)
class Walked:
    """An audit walked in every round, restored to the same bytes before each."""

    label: str
    id: str
    path: Path
    original: bytes
    rate_key: str

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def half_rated(workspace: Workspace, tree: ReferentialTree, label: str) -> Walked:
    applicable = tree.applicable_ratable("ACI")
    contents = Contents(ratings=len(applicable) // 2, evidence=len(applicable) // 2, findings=len(applicable) // 20,
                        actions=len(applicable) // 10)
    audit_id = write_audit(workspace, tree, f"Banc d'essai {label}", "ACI", TODAY, "internal", contents,
                           random.Random(len(applicable))).id
    rate_key = next(key for key, level in tree.rating_keys.items() if not level.requires_finding)
    path = audit_path(workspace, audit_id)
    return Walked(label, audit_id, path, path.read_bytes(), rate_key)


async def key_cpu(pilot: Pilot, key: str) -> float:
    start = time.process_time()
    await pilot.press(key)
    await pilot.pause()
    return time.process_time() - start


async def bare_round() -> float:
    async with BareTree().run_test(size=SIZE) as pilot:
        await pilot.pause()
        return percentile([await key_cpu(pilot, "down") for _ in range(KEYS)], 0.95)


async def minimal_round(tree: ReferentialTree) -> float:
    async with MinimalWalk(tree, "ACI").run_test(size=SIZE) as pilot:
        await pilot.pause()
        return percentile([await key_cpu(pilot, "down") for _ in range(KEYS)], 0.95)


async def our_round(workspace: Path, audits: list[Walked]) -> dict[str, float]:
    for audit in audits:
        audit.restore()
    app = AuditBenchApp(Workspace(workspace))
    results = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()  # the plugin check that follows the first screen
        home = app.screen
        for audit in audits:
            home.open_audit(audit.id)
            await pilot.pause()
            for name, key in (("rate-and-advance", audit.rate_key), ("Down", "down"), ("u", "u")):
                results[f"{audit.label}, {name}"] = percentile([await key_cpu(pilot, key) for _ in range(KEYS)],
                                                               0.95)
            await pilot.press("escape")
            await pilot.pause()
    return results


async def measure(workspace: Path, audits: list[Walked], minimal: ReferentialTree,
                  rounds: int) -> tuple[dict[str, Ratios], dict[str, Ratios]]:
    """The verdicts' ratios (audit-bench over the bare tree), and the minimal walk's (reported)."""
    await bare_round()
    await minimal_round(minimal)
    await our_round(workspace, audits)  # warm: imports, fonts of the screens, caches
    pairs: dict[str, list[tuple[float, float]]] = {}
    floor: dict[str, list[tuple[float, float]]] = {}
    for _ in range(rounds):
        bare = await bare_round()
        least = await minimal_round(minimal)
        ours = await our_round(workspace, audits)
        for label, value in ours.items():
            pairs.setdefault(label, []).append((bare, value))
        floor.setdefault(f"minimal walk, {audits[0].label}, Down, vs the bare tree", []).append((bare, least))
        for key in ("rate-and-advance", "Down", "u"):
            floor.setdefault(f"{audits[0].label}, {key}, vs the minimal walk", []).append(
                (least, ours[f"{audits[0].label}, {key}"]))
    return ({label: Ratios.of(values) for label, values in pairs.items()},
            {label: Ratios.of(values) for label, values in floor.items()})


def main() -> int:
    options = arguments(__doc__, ROUNDS, workspace=True)
    with prepared(options.workspace) as given, tempfile.TemporaryDirectory() as data:
        folder = Path(data) / "workspace"  # the audits walked here are added to a copy, never to the workspace given
        shutil.copytree(given, folder)
        workspace = Workspace(folder)
        audits = [half_rated(workspace, workspace.referential("cedre"), "CEDRE"),
                  half_rated(workspace, synthetic_tree(Path(data), 1000, "synth1000"), "1,000 items")]
        results, floor = asyncio.run(measure(folder, audits, workspace.referential("cedre"), options.rounds))
    ok = True
    for label, ratios in results.items():
        ok &= report_ratios(f"CPU per key in the Parcours, {label} (p95)", ratios, BUDGET)
    for label, ratios in floor.items():
        report_ratios(f"CPU per key in the Parcours, {label} (p95)", ratios, None)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
