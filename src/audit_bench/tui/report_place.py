"""Where a document (an audit report, a bilan) is written: the path proposed in the workspace's
rapports/ folder, editable; an existing file is replaced only once the user says so, else the
path is asked again."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from rich.text import Text
from textual.screen import Screen

from audit_bench.services.reporting import chosen_report_path
from audit_bench.tui.forms import ConfirmDialog, Field, FormDialog, FormSpec
from audit_bench.tui.text import clean

Write = Callable[[Path, bool], None]
"""Writes the document at the path chosen; True: the file there may be replaced."""


def ask_place(screen: Screen, title: str, proposed: Path, write: Write, typed: str | None = None) -> None:
    """Ask where to write (`typed`: the path typed before, asked again), then `write` there."""
    spec = FormSpec(title, [Field("path", "Fichier à écrire", typed or str(proposed), required=True)],
                    lambda values: chosen_report_path(values["path"], proposed),
                    context=Text("Le dossier rapports/ de l'espace de travail est proposé ; un fichier "
                                 "existant n'est remplacé qu'après confirmation.", style="dim"),
                    submit_label="Écrire")

    def chosen(output: Path | None) -> None:
        if not output:
            return
        if output.is_symlink() or not output.is_file():
            write(output, False)  # nothing to replace, or the service refuses it
            return
        question = Text(f"Le fichier {clean(output)} existe déjà. Le remplacer ?", style="bold")
        question.append("\nSinon (Échap), choisir un autre nom.")
        screen.app.push_screen(ConfirmDialog(question), lambda yes: write(output, True) if yes
                               else ask_place(screen, title, proposed, write, str(output)))

    screen.app.push_screen(FormDialog(spec), chosen)
