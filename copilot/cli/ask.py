"""`copilot ask` (one question) and `copilot chat` (a terminal conversation) over the chat service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from copilot.cli.common import console, err_console, fail, print_json, runtime

if TYPE_CHECKING:
    from copilot.chat import GraphChatService
    from copilot.chat_types import ChatEvent
    from tools.common import Principal

ROLES = "rep | manager | marketing | medical_affairs | legal_compliance | admin"


def _principal(role: str, person: str | None) -> Principal:
    """A principal for a role; with `--person`, a rep sees only the customers they cover."""
    from sqlalchemy import select

    from knowledge.store.models import Customer
    from tools.common import Principal, Role

    try:
        r = Role(role)
    except ValueError as exc:
        raise fail(f"unknown role {role!r}; one of: {ROLES}", 2) from exc
    ids: list[str] | None = None
    if person and r is Role.REP:
        with runtime().session_factory() as s:
            ids = list(s.execute(select(Customer.id).where(Customer.rep_id == person)).scalars())
    return Principal(role=r, person_id=person, customer_ids=ids)


def _service(model: str | None) -> GraphChatService:
    if model not in (None, "offline", "openai"):
        raise fail("--model must be offline or openai", 2)
    if model == "openai" and not runtime().settings.llm_base_url:
        raise fail("--model openai needs COPILOT_LLM_BASE_URL (and COPILOT_LLM_API_KEY)", 2)
    return runtime().chat


def _show_event(event: ChatEvent) -> None:
    d = event.data
    if event.type == "agent_started":
        err_console.print(f"[dim]→ {d.get('agent')}[/dim]")
    elif event.type == "tool_called":
        err_console.print(f"[dim]  · {d.get('agent')}: {d.get('tool')} {d.get('args')}[/dim]")
    elif event.type == "notice":
        err_console.print(f"[yellow]! {d.get('text')}[/yellow]")
    elif event.type == "error":
        err_console.print(f"[red]error: {d.get('message')}[/red]")


def _print_result(data: dict[str, Any]) -> None:
    from rich.markdown import Markdown

    console.print(Markdown(data["answer"]))
    tail = f"agents: {', '.join(data['agents']) or '-'} · tools: {', '.join(data['tools']) or '-'}"
    tail += f" · sources: {len(data['sources'])} · thread: {data['thread_id']}"
    console.print(f"[dim]{tail}[/dim]")


def _turn(
    service: GraphChatService,
    text: str,
    principal: Principal,
    thread: str | None,
    model: str | None,
    quiet: bool,
) -> dict[str, Any] | None:
    result: dict[str, Any] | None = None
    for event in service.stream(text, principal, thread, model):
        if event.type == "done":
            result = event.data
        elif not quiet or event.type == "error":
            _show_event(event)
    return result


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def ask(
        text: str = typer.Argument(..., help="The question, in Chinese or English."),
        role: str = typer.Option("rep", "--role", help=f"Who is asking: {ROLES}."),
        person: str | None = typer.Option(
            None, "--person", help="Person id (e.g. P-ZW): limits a rep's customers."
        ),
        thread: str | None = typer.Option(None, "--thread", help="Continue this thread id."),
        model: str | None = typer.Option(None, "--model", help="offline | openai (default: settings)."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    ) -> None:
        """Ask the copilot one question (a follow-up with --thread)."""
        principal = _principal(role, person)
        service = _service(model)
        try:
            result = _turn(service, text, principal, thread, model, quiet=as_json)
        except ValueError as exc:
            raise fail(str(exc), 2) from exc
        if result is None:
            raise fail("the turn failed; see the error above")
        if as_json:
            print_json(result)
        else:
            _print_result(result)

    @app.command("chat")
    def chat(
        role: str = typer.Option("rep", "--role", help=f"Who is asking: {ROLES}."),
        person: str | None = typer.Option(None, "--person", help="Person id (e.g. P-ZW)."),
        thread: str | None = typer.Option(None, "--thread", help="Continue this thread id."),
        model: str | None = typer.Option(None, "--model", help="offline | openai (default: settings)."),
    ) -> None:
        """A terminal conversation. Commands: /new (new thread), /history, /exit."""
        principal = _principal(role, person)
        service = _service(model)
        console.print("[bold]Sales Copilot[/bold] — /new, /history, /exit")
        while True:
            try:
                text = console.input("[bold cyan]> [/bold cyan]").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if not text:
                continue
            if text in ("/exit", "/quit"):
                break
            if text == "/new":
                thread = None
                console.print("[dim]new thread[/dim]")
                continue
            if text == "/history":
                for msg in service.history(thread) if thread else []:
                    console.print(f"[bold]{msg['role']}[/bold]: {msg['content']}")
                continue
            try:
                result = _turn(service, text, principal, thread, model, quiet=False)
            except ValueError as exc:
                err_console.print(f"[red]{exc}[/red]")
                continue
            if result is not None:
                thread = result["thread_id"]
                _print_result(result)
