"""The UI's pure helpers, fast: SSE parsing, error kinds, answer markdown, labels, figures, weeks."""

from __future__ import annotations

import pytest

from ui.client import error_from, parse_sse
from ui.views.chat import step_text, tidy
from ui.views.common import number
from ui.views.compliance import _weeks
from ui.views.pack_view import price_rows, short_label


def test_sse_events_are_dispatched_on_blank_lines() -> None:
    lines = [
        ": ping",
        "event: agent_started",
        'data: {"agent":"sales"}',
        "id: 1",
        "",
        "event: token",
        'data: {"text":"杭州仓"}',
        "",
        "data: not json",
        "",
        "event: done",
        'data: {"answer":"ok",',
        'data: "thread_id":"t"}',
    ]
    events = list(parse_sse(iter(lines)))
    assert [(e.event, e.data) for e in events] == [
        ("agent_started", {"agent": "sales"}),
        ("token", {"text": "杭州仓"}),
        ("message", {"text": "not json"}),
        ("done", {"answer": "ok", "thread_id": "t"}),
    ]


@pytest.mark.parametrize(
    ("status", "kind", "retry"),
    [(401, "auth", False), (403, "forbidden", False), (404, "not_found", False), (422, "invalid", False),
     (429, "server", True), (503, "server", True)],
)  # fmt: skip
def test_error_kinds(status: int, kind: str, retry: bool) -> None:
    err = error_from(status, {"error": {"message": "nope", "code": "c"}}, "fallback")
    assert (err.kind, err.unavailable, err.message, err.code) == (kind, retry, "nope", "c")
    assert error_from(status, None, "plain").message == "plain"


def test_answer_markdown_tables_and_citation_badges() -> None:
    answer = "结论 [DOC-A:c001]\n- | 指标 | 我方 |\n|---|---|\n| LLL | 0.21 mm | [DOC-A:c003]\n| TLR | [DOC-B:c002] |\n完"
    assert tidy(answer) == (
        "结论 :blue-badge[DOC-A:c001]\n\n| 指标 | 我方 |\n|---|---|\n| LLL | 0.21 mm |\n"
        "| TLR | :blue-badge[DOC-B:c002] |\n\n:blue-badge[DOC-A:c003]\n完"
    )
    assert tidy("no table [stock:WH-HZ/HMT-DCB-02]") == "no table [stock:WH-HZ/HMT-DCB-02]"


def test_steps_and_figures() -> None:
    assert "`stock_lookup`" in str(
        step_text("tool_called", {"agent": "sales", "tool": "stock_lookup", "args": {}})
    )
    assert step_text("token", {"text": "x"}) is None
    assert [number(v) for v in ("6,800", "5,600 元（最低报价）", "21.4%", "—", 3)] == [
        6800,
        5600,
        21.4,
        None,
        3,
    ]
    rows = [
        {
            "attribute": "终端价格（元）",
            "kind": "economic",
            "ours": {"value": "6,800"},
            "competitor": {"value": "5,600"},
        },
        {"attribute": "TLR", "kind": "clinical", "ours": {"value": "3.2%"}, "competitor": {"value": "4.9%"}},
        {
            "attribute": "备注",
            "kind": "economic",
            "ours": {"value": "见合同"},
            "competitor": {"value": "5,600"},
        },
    ]
    assert price_rows({"clinical_comparison": {"rows": rows}}) == [
        {"attribute": "终端价格（元）", "ours": 6800, "competitor": 5600}
    ]
    assert short_label("浙江联盟集采中选价 Zhejiang alliance award price") == "浙江联盟集采中选价"
    assert short_label("12个月TLR率 12-month TLR rate") == "12个月TLR率"
    assert short_label("终端价格（元）") == "终端价格（元）"


def test_heat_map_weeks_cover_the_window_without_gaps() -> None:
    weeks = _weeks("2025-12-01", "2026-11-30")
    assert weeks[0] == "2025-W49" and weeks[-1] == "2026-W49" and len(weeks) == len(set(weeks)) == 53
    assert _weeks("2026-11-30", "2026-11-30") == ["2026-W49"]
