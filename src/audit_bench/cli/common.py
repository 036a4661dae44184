"""What every command shares: the one-line refusal, JSON and text output, the workspace option,
the error guard, opening an audit.

Nothing here imports the services at module level: `--help` and a typo answer at once."""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from audit_bench.services import AuditSession, Workspace

ENV_WORKSPACE = "AUDIT_BENCH_WORKSPACE"
WORKSPACE_HELP = "Dossier des audits (défaut : ./audits ou $AUDIT_BENCH_WORKSPACE)."
BROKEN_PIPE_EXIT = 141
"""What a shell reports for a writer killed by SIGPIPE (`show | head`): quiet, like any Unix tool."""

F = TypeVar("F", bound=Callable[..., Any])


def visible(text: str) -> str:
    """`services.text.visible`, imported only for text that needs it: a typo's message must not
    pay for importing the services."""
    if text.isprintable():
        return text
    from audit_bench.services.text import visible as escape

    return escape(text)


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, a non-zero exit: the contract for bad input. Whatever the message
    quotes (an org name, a file name) is escaped, never sent raw to the terminal."""
    click.echo(f"audit-bench: erreur : {' '.join(visible(str(message)).split())}", err=True)
    sys.exit(code)


def echo(text: str = "", *, err: bool = False) -> None:
    """Print a line of the text output; user text in it is escaped."""
    click.echo(visible(text), err=err)


def emit_id(record_id: str, as_json: bool) -> None:
    """What a command that creates a record prints: its id, or with --json `{"id"}`."""
    if as_json:
        emit_json({"id": record_id})
    else:
        echo(record_id)


def emit_json(document: Any) -> None:
    """One compact JSON document on stdout (C1 controls and DEL escaped too, so a terminal never
    acts on them)."""
    import msgspec

    payload = msgspec.json.encode(document)
    stream = click.get_binary_stream("stdout")
    stream.write(_escape_c1(payload) + b"\n")
    stream.flush()


_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def _escape_c1(payload: bytes) -> bytes:
    """JSON may carry U+0080–U+009F and DEL raw; write them as \\u escapes (same document).
    The check looks for each on its own: one pattern of two branches scans a 20 MB plan 10× slower."""
    if b"\x7f" not in payload and _C1.search(payload) is None:
        return payload
    return re.sub(rb"\xc2([\x80-\x9f])|\x7f",
                  lambda m: b"\\u%04x" % (m.group(1)[0] if m.group(1) else 0x7F), payload)


def non_empty(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """An option given must carry a value: `--date ''` is a slip, not « today »."""
    values = value if isinstance(value, tuple) else (value,)
    if any(v is not None and not v.strip() for v in values):
        advice = "donner une valeur" if param.required else "donner une valeur, ou omettre l'option"
        raise click.UsageError(f"{param.opts[0]} ne peut pas être vide : {advice}", ctx)
    return value


def path_value(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """A non-empty path (`--workspace ''` would otherwise mean the current folder)."""
    value = non_empty(ctx, param, value)
    return None if value is None else Path(value)


def workspace_option(function: F) -> F:
    """`--workspace` after the command too (`audit-bench show X --workspace DIR`)."""
    return click.option("--workspace", "workspace", default=None, callback=path_value, metavar="DOSSIER",
                        help=WORKSPACE_HELP)(function)


def workspace_path(ctx: click.Context, override: Path | None) -> Path:
    """The command's `--workspace`, else the group's, else $AUDIT_BENCH_WORKSPACE, else the default."""
    if override is not None:
        return override
    root = ctx.find_root()
    if root.params.get("workspace") is not None:
        return root.params["workspace"]
    from audit_bench.services.workspace import DEFAULT_WORKSPACE

    return Path(os.environ.get(ENV_WORKSPACE) or DEFAULT_WORKSPACE)


def open_workspace(ctx: click.Context, override: Path | None) -> Workspace:
    from audit_bench.services import Workspace

    return Workspace(workspace_path(ctx, override))


def guarded(function: F) -> F:
    """Turn the services' refusals into the one-line message and non-zero exit of the contract;
    a reader that left (`show | head`) ends the command quietly."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from audit_bench.services.errors import REFUSALS, refusal_message

        try:
            return function(*args, **kwargs)
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(BROKEN_PIPE_EXIT)
        except REFUSALS as exc:
            fail(refusal_message(exc))

    return wrapper  # type: ignore[return-value]


def open_session(bench: Workspace, audit_id: str, write: bool = True) -> AuditSession:
    """Open an audit; a command that writes is refused when another process holds the audit."""
    from audit_bench.services import open_audit
    from audit_bench.services.errors import read_only_message

    session = open_audit(bench, audit_id, write=write)
    if write and session.read_only:
        session.close()
        fail(read_only_message(session.locked_by))
    return session


class Choice(click.Choice):
    """click's Choice, refusing in French like every other message."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.choices:
            return value
        name = param.opts[0] if param is not None and param.opts else "valeur"
        raise click.UsageError(f"{name} : « {value} » inconnu, choisir parmi {', '.join(map(str, self.choices))}",
                               ctx)


def usage_message(exc: click.ClickException) -> str:
    """click's own refusals, in French for the common ones."""
    if isinstance(exc, click.NoSuchOption):
        close = f" (vouliez-vous dire {' ou '.join(exc.possibilities)} ?)" if exc.possibilities else ""
        return f"option inconnue {exc.option_name}{close} : voir --help"
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        if isinstance(exc.param, click.Argument):
            return f"argument {exc.param.human_readable_name} manquant : voir --help"
        return f"option {exc.param.opts[0]} obligatoire : voir --help"
    if isinstance(exc, click.BadOptionUsage) and "requires" in exc.message:
        return f"l'option {exc.option_name} demande une valeur"
    return exc.format_message()


class Group(click.Group):
    """The command groups: unknown commands refused in French; at the top, every failure is the
    one-line message."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[Any, ...]:
        name = args[0]
        if not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            raise click.UsageError(f"commande inconnue « {name} » : voir audit-bench --help", ctx)
        return super().resolve_command(ctx, args)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Abort:
            fail("interrompu", 130)
        except click.ClickException as exc:
            fail(usage_message(exc), exc.exit_code if exc.exit_code else 2)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)


def _silence_stdout() -> None:
    """The reader left: send what is still buffered to /dev/null, so the flush at exit is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
