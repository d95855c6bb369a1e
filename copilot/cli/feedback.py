"""`copilot visit ...` (record, answer, show, questions, scan) and `copilot recommendations ...`.

`copilot workbench ...` and `copilot metrics` live in `copilot/cli/workbench.py` and are
registered from here (one entry in the command list covers the whole feedback loop).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from copilot.cli.common import JsonOpt, console, fail, print_json, runtime

ActorOpt = typer.Option("cli", "--actor", help="Who is acting (recorded in the audit log).")


def _parse_answers(pairs: list[str]) -> dict[str, str]:
    """`Q-CONTRACT=Q-CONTRACT-A` or just the option id `Q-CONTRACT-A` (its question is implied)."""
    from tools.feedback.bank import default_bank

    bank = default_bank()
    owner = {o.id: q.id for q in bank.questions for o in q.options}
    answers: dict[str, str] = {}
    for pair in pairs:
        qid, sep, oid = pair.partition("=")
        if not sep:
            oid = qid.strip()
            if oid not in owner:
                raise fail(f"unknown option {oid!r}; see `copilot visit questions`", 2)
            qid = owner[oid]
        answers[qid.strip()] = oid.strip()
    return answers


def _print_visit(rec: Any) -> None:
    console.print(
        f"[bold]{rec.visit_id}[/bold] {rec.visit_date} {rec.customer_id} rep {rec.rep_id}"
        + (f" product {rec.product_id}" if rec.product_id else "")
        + ("" if rec.created else " [dim](already recorded)[/dim]")
    )
    if rec.redactions:
        console.print(f"[yellow]note screened 备注已脱敏:[/yellow] {', '.join(rec.redactions)}")
    for n, q in enumerate(rec.questions, 1):
        console.print(f"{n}. {q.text.zh} / {q.text.en}  [dim]({q.id})[/dim]", markup=True)
        for o in q.options:
            console.print(f"   [cyan]{o.id}[/cyan]  {o.text.zh} / {o.text.en}", markup=True)
    if rec.questions:
        console.print(
            f"[dim]answer: copilot visit answer {rec.visit_id} {rec.questions[0].options[0].id} ...[/dim]"
        )


def register(app: typer.Typer) -> None:
    from copilot.cli.workbench import register_workbench

    visit = typer.Typer(
        help="Post-visit feedback: record a visit, answer its 3 questions.", no_args_is_help=True
    )
    app.add_typer(visit, name="visit")
    recs = typer.Typer(
        help="Judge the copilot's suggestions: adopted / rejected / invalid.", no_args_is_help=True
    )
    app.add_typer(recs, name="recommendations")
    register_workbench(app)

    @visit.command("record")
    def record(
        customer: str = typer.Option(..., "--customer", "-c", help="Hospital id or name."),
        rep: str | None = typer.Option(None, "--rep", help="Rep id or name (default: the customer's rep)."),
        date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
        met: list[str] = typer.Option([], "--met", help="Person met (repeat for several)."),
        note: str = typer.Option("", "--note", help="Free-text note (screened for personal data)."),
        product: str | None = typer.Option(None, "--product", "-p", help="Product discussed."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Record a visit; prints the 3 questions to answer."""
        from tools.common import NotFoundError

        try:
            day = dt.date.fromisoformat(date) if date else None
            rec = runtime().feedback.record_visit(
                customer=customer, rep=rep, visit_date=day, people_met=met, note=note, product=product
            )
        except (NotFoundError, ValueError) as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(rec.model_dump(mode="json"))
        else:
            _print_visit(rec)

    @visit.command("answer")
    def answer(
        visit_id: str = typer.Argument(..., help="The visit id printed by `visit record`."),
        choices: list[str] = typer.Argument(..., help="Option ids, or QUESTION=OPTION pairs."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Answer the visit's questions; safe to repeat (nothing new is created)."""
        from tools.common import NotFoundError
        from tools.feedback.models import AnswerConflictError, InvalidAnswerError

        try:
            receipt = runtime().feedback.answer(visit_id, _parse_answers(choices))
        except (NotFoundError, InvalidAnswerError, AnswerConflictError) as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(receipt.model_dump(mode="json"))
            return
        for a in receipt.answers:
            where = f"-> {a.team} ({a.owner_id}) item #{a.work_item_id}" if a.team else "-> nobody needed"
            state = "" if a.created else " (already answered 已提交过)"
            console.print(f"{a.question_id}: {a.option_id} [{a.theme}] {where}{state}", markup=False)
        for e in receipt.escalations:
            console.print(
                f"[red]escalation 升级[/red] #{e.work_item_id} {e.theme} -> {e.workbench} ({e.owner_id}), "
                f"{len(e.answer_ids)} answers"
            )

    @visit.command("show")
    def show(visit_id: str, as_json: bool = JsonOpt) -> None:
        """A recorded visit and its questions."""
        from tools.common import NotFoundError

        try:
            rec = runtime().feedback.get_visit(visit_id)
        except NotFoundError as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(rec.model_dump(mode="json"))
        else:
            _print_visit(rec)

    @visit.command("questions")
    def questions(as_json: bool = JsonOpt) -> None:
        """The question bank (tools/feedback/questions.yaml): options, themes and routes."""
        from tools.feedback.bank import default_bank

        bank = default_bank()
        if as_json:
            print_json(bank.model_dump(mode="json"))
            return
        for q in bank.questions:
            console.print(f"[bold]{q.id}[/bold] {q.text.zh} / {q.text.en}")
            for o in q.options:
                route = f"{o.route.team.value}/{o.route.owner} SLA {o.route.sla_hours:g}h" if o.route else "-"
                console.print(f"  {o.id:<16} {o.theme:<30} {route}", markup=False)

    @visit.command("scan")
    def scan(actor: str = ActorOpt, as_json: bool = JsonOpt) -> None:
        """Replay all feedback and raise any escalation not raised yet (never twice)."""
        raised = runtime().feedback.scan_patterns(actor=actor)
        if as_json:
            print_json([e.model_dump(mode="json") for e in raised])
            return
        console.print(f"{sum(e.created for e in raised)} new escalation(s)")
        for e in raised:
            console.print(f"  #{e.work_item_id} {e.dedupe_key} -> {e.workbench} ({e.owner_id})", markup=False)

    @recs.command("list")
    def list_recs(
        judgement: str | None = typer.Option(
            None, "--judgement", help="adopted | rejected | invalid | none (not judged yet)."
        ),
        rep: str | None = typer.Option(None, "--rep", help="Rep id."),
        source: str | None = typer.Option(None, "--source", help="Source id, e.g. a battle pack id."),
        limit: int = typer.Option(50, "--limit"),
        as_json: bool = JsonOpt,
    ) -> None:
        """Suggestions the copilot made and how reps judged them."""
        res = runtime().recommendations.list(judgement=judgement, rep_id=rep, source_id=source, limit=limit)
        if as_json:
            print_json(res.model_dump(mode="json"))
            return
        for r in res.items:
            verdict = r.judgement or "-"
            reason = f" ({r.reason})" if r.reason else ""
            console.print(f"{r.id} [{r.kind}] {verdict}{reason}: {r.text}", markup=False)

    @recs.command("judge")
    def judge(
        rec_id: str = typer.Argument(..., help="Recommendation id."),
        judgement: str = typer.Argument(..., help="adopted | rejected | invalid"),
        reason: str | None = typer.Option(None, "--reason", help="Why (required for invalid)."),
        actor: str = ActorOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """Mark a suggestion adopted, rejected or invalid."""
        from tools.common import NotFoundError

        try:
            view = runtime().recommendations.judge(rec_id, judgement, reason=reason, actor=actor)
        except (NotFoundError, ValueError) as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(view.model_dump(mode="json"))
        else:
            console.print(f"{view.id}: {view.judgement}" + (f" ({view.reason})" if view.reason else ""))

    @recs.command("review")
    def review(limit: int = typer.Option(50, "--limit"), as_json: bool = JsonOpt) -> None:
        """Suggestions marked invalid, with the reps' reasons (the review queue)."""
        res = runtime().recommendations.review_queue(limit=limit)
        if as_json:
            print_json(res.model_dump(mode="json"))
            return
        for r in res.items:
            console.print(
                f"{r.id} {r.judged_by} {r.judged_at:%Y-%m-%d}: {r.text}\n  -> {r.reason}", markup=False
            )
