"""`copilot keys create | list | revoke | demo`: API keys, each with a role (and a person for reps)."""

from __future__ import annotations

import datetime as dt

import typer

from copilot.cli.common import JsonOpt, console, fail, print_json, runtime


def parse_expiry(value: str) -> dt.datetime:
    """A date expires at its start in Asia/Shanghai (the key works until the day before)."""
    from copilot.config import DEMO_TZ

    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(0), DEMO_TZ).astimezone(dt.UTC)
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not YYYY-MM-DD or an ISO date-time") from exc
    return (moment.replace(tzinfo=DEMO_TZ) if moment.tzinfo is None else moment).astimezone(dt.UTC)


def register(app: typer.Typer) -> None:
    keys = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
    app.add_typer(keys, name="keys")

    @keys.command("create")
    def create(
        role: str = typer.Option(
            ...,
            "--role",
            help="rep, manager, marketing, medical_affairs, legal_compliance, admin, integration.",
        ),
        person: str | None = typer.Option(
            None, "--person", help="Person id the key acts for (required for rep)."
        ),
        expires: str | None = typer.Option(
            None, "--expires", help="YYYY-MM-DD (or ISO date-time) the key stops working."
        ),
        label: str = typer.Option("", "--label", help="A note shown in `keys list`."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Create a key; it is shown once (only its hash is stored)."""
        from copilot.api.security import KeyCreateError, create_key
        from tools.common import Role

        try:
            role_value = Role(role)
        except ValueError as exc:
            raise fail(f"unknown role {role!r}; choose one of {', '.join(r.value for r in Role)}", 2) from exc
        expires_at = parse_expiry(expires) if expires else None
        try:
            created = create_key(runtime().session_factory, role_value, person, expires_at, label)
        except KeyCreateError as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(
                {
                    "id": created.id,
                    "key": created.key,
                    "role": created.role,
                    "person_id": created.person_id,
                    "expires_at": created.expires_at,
                }
            )
            return
        console.print(f"[bold]{created.key}[/bold]")
        console.print(
            f"id {created.id}, role {created.role}"
            + (f", person {created.person_id}" if created.person_id else "")
        )
        console.print("[dim]Store it now: only its hash is kept.[/dim]")

    @keys.command("list")
    def list_cmd(as_json: bool = JsonOpt) -> None:
        """Every key with its role, person and status (never the key itself)."""
        from rich.table import Table

        from copilot.api.security import list_keys

        rows = list_keys(runtime().session_factory)
        if as_json:
            print_json([r.as_dict() for r in rows])
            return
        table = Table("id", "role", "person", "label", "created", "expires", "status")
        for r in rows:
            colour = {"active": "green", "revoked": "red", "expired": "yellow"}[r.status]
            table.add_row(
                r.id,
                r.role,
                r.person_id or "",
                r.label,
                r.created_at[:19],
                (r.expires_at or "")[:19],
                f"[{colour}]{r.status}[/{colour}]",
            )
        console.print(table)

    @keys.command("revoke")
    def revoke(
        key_id: str = typer.Argument(..., help="The key's id (or the key itself)."), as_json: bool = JsonOpt
    ) -> None:
        """Revoke a key: its next request gets 401."""
        from copilot.api.security import revoke_key

        found = revoke_key(runtime().session_factory, key_id)
        if as_json:
            print_json({"id": key_id, "revoked": found})
        if not found:
            raise fail(f"no key with id {key_id!r}", 1)
        if not as_json:
            console.print(f"revoked {key_id}")

    @keys.command("demo")
    def demo(as_json: bool = JsonOpt) -> None:
        """The demo key of each role (kept in the data directory, same across restarts)."""
        from copilot.api.security import DEMO_KEYS_FILE, ensure_demo_keys

        rt = runtime()
        demo_keys = ensure_demo_keys(rt.session_factory, rt.settings.data_dir / DEMO_KEYS_FILE)
        if as_json:
            print_json(demo_keys)
            return
        for role, key in demo_keys.items():
            console.print(f"{role:17} {key}")
