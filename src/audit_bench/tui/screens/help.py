"""The help screen (`?` or F1): the keys of the screen it was opened from."""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen

from audit_bench.tui.forms import TextDialog
from audit_bench.tui.keys import screen_actions

GENERAL = [
    ("ctrl+p", "Palette de commandes : les mêmes actions, par leur nom"),
    ("flèches", "Se déplacer ; Entrée ouvre ou déplie"),
    ("tab", "Champ ou zone suivante"),
]


def help_text(screen: Screen) -> Text:
    """The screen's own keys (a screen may add keys left out of its key bar: `rating_help`), then
    the keys every screen shares."""
    text = Text()
    text.append(f"{screen.title or 'Accueil'}\n", style="bold underline")
    extra = getattr(screen, "rating_help", None)
    rows = [(key, description, bool(screen.check_action("rate", (key,))))  # the rating keys
            for key, description in (extra() if extra is not None else [])]
    rows += [(a.keys, a.description, a.enabled) for a in screen_actions(screen)]
    rows += [(keys, description, True) for keys, description in GENERAL]
    for keys, description, enabled in rows:
        text.append(f"{keys:>12}  ", style="bold" if enabled else "bold dim")
        text.append(Text(description, style="" if enabled else "dim"))
        if not enabled:
            text.append(" (indisponible ici)", style="italic")
        text.append("\n")
    text.append("\nChaque modification est enregistrée aussitôt (un texte, dès ctrl+s), "
                "et quitter ne perd rien.", style="dim")
    return text


class HelpScreen(TextDialog):
    def __init__(self, screen: Screen) -> None:
        super().__init__("Aide — touches", help_text(screen))
