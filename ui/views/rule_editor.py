"""The rule editor for business people: a rule document as fields and grids, not JSON.

A decision-table condition (a GoRules ZEN `decisionTableNode`, e.g. the VBP price caps) is an
editable grid with one row per rule line; parameters, legal basis, risk, check mode, messages and
the examples each have their own field. Saving stores a draft version (what is live never changes
in place); run the examples, simulate the draft over history, then activate it.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pandas as pd
import streamlit as st

from ui.client import ApiError
from ui.state import client, pick, show_error, tr

RISKS = ["high", "medium", "low"]
MODES = ["auto", "manual_review", "dual_sign"]


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def table_nodes(doc: dict[str, Any]) -> list[dict[str, Any]]:
    decision = (doc.get("condition") or {}).get("decision") or {}
    return [n for n in decision.get("nodes", []) if n.get("type") == "decisionTableNode"]


def _table_grid(node: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """One decision table as a grid; returns its rows as edited (ZEN expressions as text)."""
    content = node.get("content", {})
    columns = (
        ["_id"] + [c["id"] for c in content.get("inputs", [])] + [c["id"] for c in content.get("outputs", [])]
    )
    names = {
        c["id"]: f"{'▶' if c in content.get('inputs', []) else '◀'} {c.get('name', c['id'])}"
        for c in content.get("inputs", []) + content.get("outputs", [])
    }
    frame = pd.DataFrame(content.get("rules", []), columns=columns).fillna("")
    st.markdown(
        f"**{tr('decision_table')}** · {node.get('name', '')} · {tr('hit_policy')}: `{content.get('hitPolicy', '')}`"
    )
    grid = st.data_editor(
        frame,
        num_rows="dynamic",
        key=key,
        column_config={c: st.column_config.TextColumn(names.get(c, c)) for c in columns},
        hide_index=True,
    )
    st.caption(tr("decision_table_hint"))
    return [
        {k: _cell(v) for k, v in row.items()}
        for row in grid.to_dict("records")
        if any(_cell(v) != "" for v in row.values())
    ]


def _examples_grid(doc: dict[str, Any], key: str) -> dict[str, Any] | None:
    rows = [
        {
            "expected": kind,
            "name": ex["name"],
            "province": ex.get("province") or "",
            "input": json.dumps(ex["input"], ensure_ascii=False),
        }
        for kind in ("flag", "pass")
        for ex in (doc.get("examples") or {}).get(kind, [])
    ]
    grid = st.data_editor(
        pd.DataFrame(rows, columns=["expected", "name", "province", "input"]),
        num_rows="dynamic",
        key=key,
        hide_index=True,
        column_config={
            "expected": st.column_config.SelectboxColumn(
                tr("expected"), options=["flag", "pass"], required=True
            ),
            "name": st.column_config.TextColumn(tr("example_name"), required=True),
            "input": st.column_config.TextColumn(tr("example_input"), width="large"),
        },
    )
    out: dict[str, list[dict[str, Any]]] = {"flag": [], "pass": []}
    for row in grid.to_dict("records"):
        if not _cell(row.get("name")):
            continue
        try:
            data = json.loads(_cell(row.get("input")) or "{}")
        except json.JSONDecodeError as exc:
            st.error(f"{tr('bad_json')} ({row['name']}): {exc}")
            return None
        ex = {"name": row["name"], "input": data, "province": _cell(row.get("province")) or None}
        out[_cell(row.get("expected")) or "flag"].append(ex)
    return out


def _params_grid(doc: dict[str, Any], key: str) -> dict[str, Any] | None:
    params = doc.get("params") or {}
    if not params:
        return {}
    frame = pd.DataFrame([{"name": k, "value": json.dumps(v, ensure_ascii=False)} for k, v in params.items()])
    grid = st.data_editor(frame, key=key, hide_index=True, disabled=["name"])
    out = {}
    for row in grid.to_dict("records"):
        try:
            out[row["name"]] = json.loads(row["value"])
        except (json.JSONDecodeError, TypeError) as exc:
            st.error(f"{tr('bad_json')} ({row['name']}): {exc}")
            return None
    return out


def _fields(doc: dict[str, Any], k: str, editable: bool) -> dict[str, Any] | None:
    """The editor's fields; returns the edited document (None while something is invalid)."""
    new = copy.deepcopy(doc)
    c1, c2 = st.columns(2)
    new["title"] = {
        "zh": c1.text_input(tr("title_zh"), doc["title"]["zh"], key=f"{k}-tzh"),
        "en": c2.text_input(tr("title_en"), doc["title"]["en"], key=f"{k}-ten"),
    }
    c1, c2, c3 = st.columns(3)
    new["risk"] = c1.selectbox(
        tr("risk"), RISKS, RISKS.index(doc["risk"]), format_func=lambda r: tr("risk_" + r), key=f"{k}-risk"
    )
    new["check_mode"] = c2.selectbox(
        tr("check_mode"),
        MODES,
        MODES.index(doc["check_mode"]),
        format_func=lambda m: tr("mode_" + m),
        key=f"{k}-mode",
    )
    c3.text_input(tr("applies_to"), doc["applies_to"], disabled=True, key=f"{k}-scope")
    st.markdown(f"**:material/gavel: {tr('legal_basis')}**")
    basis = doc["legal_basis"]
    c1, c2 = st.columns(2)
    new["legal_basis"] = {
        "law": c1.text_input(tr("law"), basis["law"], key=f"{k}-law"),
        "article": c2.text_input(tr("article"), basis["article"], key=f"{k}-art"),
        "summary": st.text_area(tr("basis_summary"), basis["summary"], key=f"{k}-sum"),
    }
    params = _params_grid(doc, f"{k}-params")
    nodes = table_nodes(new)
    for i, node in enumerate(nodes):
        node["content"]["rules"] = _table_grid(node, f"{k}-grid-{i}")
    if not nodes and (doc.get("condition") or {}).get("expression"):
        new["condition"]["expression"] = st.text_input(
            tr("expression"), doc["condition"]["expression"], key=f"{k}-expr"
        )
    c1, c2 = st.columns(2)
    new["message"] = {
        "zh": c1.text_area(tr("message_zh"), doc["message"]["zh"], key=f"{k}-mzh"),
        "en": c2.text_area(tr("message_en"), doc["message"]["en"], key=f"{k}-men"),
    }
    new["action"] = {
        "zh": c1.text_area(tr("action_zh"), doc["action"]["zh"], key=f"{k}-azh"),
        "en": c2.text_area(tr("action_en"), doc["action"]["en"], key=f"{k}-aen"),
    }
    st.markdown(f"**{tr('examples')}**")
    examples = _examples_grid(doc, f"{k}-examples")
    if params is None or examples is None:
        return None
    new["params"], new["examples"] = params, examples
    return new


def _results(rule_id: str) -> None:
    res = st.session_state.get(f"rule-result-{rule_id}")
    if not res:
        return
    kind, data = res
    if kind == "examples":
        (st.success if data["ok"] else st.error)(
            f"{tr('run_examples')}: v{data['version']} {':material/check_circle:' if data['ok'] else ':material/cancel:'}"
        )
        st.dataframe(pd.DataFrame(data["results"]), hide_index=True)
    elif kind == "simulate":
        st.info(f"{tr('simulate')}: {pick(data.get('summary'))}", icon=":material/science:")
        st.caption(
            f"{tr('flagged')}: {', '.join(data.get('flagged_ids', [])) or '—'} · {tr('new')}: {', '.join(data.get('new_ids', [])) or '—'}"
        )
    else:
        st.success(
            f"{tr(kind)}: {data['id']} v{data['version']} · {tr(data['status'])}",
            icon=":material/check_circle:",
        )


def rule_editor(rule_id: str, editable: bool) -> None:
    api = client()
    doc = api.get(f"/v1/compliance/rules/{rule_id}")
    st.caption(
        f"{doc['id']} · v{doc['version']} · {tr(doc['status'])} · `{doc['code']}` · {doc['effective_from']}"
    )
    if not editable:
        st.markdown(f"**{pick(doc['title'])}** — {doc['legal_basis']['law']} {doc['legal_basis']['article']}")
        st.json(doc, expanded=False)
        return
    k = f"re-{rule_id}-{doc['version']}"
    edited = _fields(doc, k, editable)
    days = st.slider(tr("simulate_days"), 30, 730, 365, step=30, key=f"{k}-days")
    with st.container(horizontal=True):
        save = st.button(tr("save_draft"), key=f"{k}-save", icon=":material/save:", disabled=edited is None)
        run = st.button(tr("run_examples"), key=f"{k}-ex", icon=":material/science:")
        sim = st.button(tr("simulate"), key=f"{k}-sim", icon=":material/insights:")
        act = st.button(tr("activate"), key=f"{k}-act", icon=":material/rocket_launch:", type="primary")
    result: tuple[str, Any] | None = None
    base = f"/v1/compliance/rules/{rule_id}"
    try:  # a refusal (examples fail, invalid rule) is shown here and the editor keeps its state
        if save and edited is not None:
            result = ("saved", api.put(base, {"body": edited}))
        elif run:
            result = ("examples", api.post(f"{base}/examples"))
        elif sim:
            result = ("simulate", api.post(f"{base}/simulate", {"days": days}))
        elif act:
            result = ("activated", api.post(f"{base}/activate", {}))
    except ApiError as exc:
        show_error(exc, retry_key=f"{k}-retry")
    if result is not None:
        st.session_state[f"rule-result-{rule_id}"] = result
        if result[0] in ("saved", "activated"):
            st.rerun()
    _results(rule_id)
    with st.expander(tr("history"), icon=":material/history:"):
        st.dataframe(
            pd.DataFrame(api.get(f"/v1/compliance/rules/{rule_id}/history").get("data", [])), hide_index=True
        )
