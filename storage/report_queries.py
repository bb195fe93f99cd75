"""Read-only queries behind `claimwatch report`: plain dicts, no rendering.

Everything here reads the base tables of migration 001 (documents, mentions,
claims, sources, failures) so the report works whatever views later
migrations add; running highs and disagreements are computed here in SQL.
The `alerts` table is optional: `latest_alerts` returns None when it is absent.

A *point* is one document's statement of one claim (a claim may be stated by
many documents, each with its own qualifier, status, claimant and language).
Its date is the document's publication date, else its fetch date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb


@dataclass(frozen=True, slots=True)
class MetricFilter:
    """`--metric troops` or `--metric troops:KP-RU` (supplier/recipient optional, `*` for any)."""

    category: str
    supplier: str | None = None
    recipient: str | None = None

    @classmethod
    def parse(cls, text: str) -> MetricFilter:
        cat, _, direction = text.strip().partition(":")
        if not cat:
            raise ValueError(f"bad metric {text!r}: expected CATEGORY or CATEGORY:SUPPLIER-RECIPIENT")
        sup = rec = None
        if direction:
            for sep in ("->", ">", "-"):
                if sep in direction:
                    sup, _, rec = direction.partition(sep)
                    break
            else:
                raise ValueError(f"bad metric {text!r}: expected CATEGORY:SUPPLIER-RECIPIENT, e.g. troops:KP-RU")
        norm = lambda s: None if s is None or s.strip() in ("", "*") else s.strip().upper()  # noqa: E731
        return cls(cat.strip().lower(), norm(sup), norm(rec))


# One row per (document, claim): the statement in that document, its first mention by position,
# with an explicit qualifier preferred over a bare figure.
_POINTS_CTE = """
points AS (
    SELECT m.claim_id, m.document_id,
           any_value(m.category) AS category, any_value(m.supplier) AS supplier,
           any_value(m.recipient) AS recipient, any_value(m.value) AS value,
           arg_min(m.low, (m.qualifier = 'exact', m.start_char)) AS low,
           arg_min(m.qualifier, (m.qualifier = 'exact', m.start_char)) AS qualifier,
           arg_min(m.status, (m.qualifier = 'exact', m.start_char)) AS status,
           arg_min(m.attribution, (m.attribution IS NULL, m.start_char)) AS attribution,
           arg_min(m.period, (m.period IS NULL, m.start_char)) AS period,
           arg_min(m.sentence, (m.qualifier = 'exact', m.start_char)) AS sentence,
           coalesce(any_value(m.lang), any_value(d.lang)) AS lang,
           coalesce(any_value(d.published_at), any_value(d.fetched_at)) AS dated,
           any_value(d.published_at) IS NULL AS undated,
           any_value(d.title) AS title, any_value(d.uri) AS uri, any_value(d.sitename) AS sitename,
           any_value(d.source_id) AS source_id
    FROM mentions m JOIN documents d ON d.id = m.document_id
    WHERE d.duplicate_of IS NULL
    GROUP BY m.claim_id, m.document_id
)"""


# points of the selected metrics, flagged when their claim counts toward a high (not denied-only)
_FLAGGED_CTE = """flagged AS (
        SELECT *, bool_or(status <> 'denied') OVER (PARTITION BY claim_id) AS counts
        FROM points WHERE {where}
    )"""


def _metric_where(filters: Sequence[MetricFilter], alias: str = "") -> tuple[str, list[Any]]:
    if not filters:
        return "TRUE", []
    p = f"{alias}." if alias else ""
    parts, params = [], []
    for f in filters:
        conds = [f"{p}category = ?"]
        params.append(f.category)
        if f.supplier:
            conds.append(f"{p}supplier = ?")
            params.append(f.supplier)
        if f.recipient:
            conds.append(f"{p}recipient = ?")
            params.append(f.recipient)
        parts.append("(" + " AND ".join(conds) + ")")
    return "(" + " OR ".join(parts) + ")", params


def _since_ts(since: date | None) -> datetime | None:
    return None if since is None else datetime(since.year, since.month, since.day)


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def metric_points(
    con: duckdb.DuckDBPyConnection, since: date | None = None, metrics: Sequence[MetricFilter] = ()
) -> list[dict[str, Any]]:
    """Every statement of every claim, with `running_high`: the metric's high once it was published.

    As in the ledger, a claim only ever quoted to be denied never counts toward a high:
    `counts` is false for its statements. The running high is taken over the whole history (claims before `since` still
    count), then rows before `since` are dropped; `high_before` is the metric's high
    just before the row (None for the first), so a row is a new high when
    `value > high_before`.
    """
    where, params = _metric_where(metrics)
    sql = f"""
    WITH {_POINTS_CTE},
    {_FLAGGED_CTE.format(where=where)},
    ranked AS (
        SELECT *,
               max(CASE WHEN counts THEN value END) OVER w AS running_high,
               max(CASE WHEN counts THEN value END) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                   AS high_before
        FROM flagged
        WINDOW w AS (PARTITION BY category, supplier, recipient ORDER BY dated, value, document_id)
    )
    SELECT * FROM ranked
    WHERE ? IS NULL OR dated >= ?
    ORDER BY category, supplier NULLS LAST, recipient NULLS LAST, dated, value
    """
    ts = _since_ts(since)
    return _dicts(con.execute(sql, [*params, ts, ts]))


def high_before_since(
    con: duckdb.DuckDBPyConnection, since: date, metrics: Sequence[MetricFilter] = ()
) -> dict[tuple[str, str | None, str | None], float]:
    """Each metric's high from claims published before `since` (the step line's starting level; denied-only claims don't count)."""
    where, params = _metric_where(metrics)
    sql = f"""
    WITH {_POINTS_CTE},
    {_FLAGGED_CTE.format(where=where)}
    SELECT category, supplier, recipient, max(value) AS high
    FROM flagged WHERE counts AND dated < ?
    GROUP BY ALL
    """
    rows = con.execute(sql, [*params, _since_ts(since)]).fetchall()
    return {(r[0], r[1], r[2]): r[3] for r in rows}


def disagreements(
    con: duckdb.DuckDBPyConnection, since: date | None = None, metrics: Sequence[MetricFilter] = ()
) -> list[dict[str, Any]]:
    """Metric-months with more than one distinct figure: one row per (metric, month, figure).

    By publication month: statements of documents without a publication date are left out.

    Each row lists who gave that figure that month: `givers` is a list of
    {attribution, title, uri, sitename, lang, qualifier, status, dated}.
    """
    where, params = _metric_where(metrics)
    sql = f"""
    WITH {_POINTS_CTE},
    scoped AS (
        SELECT *, strftime(dated, '%Y-%m') AS month FROM points
        WHERE {where} AND NOT undated AND (? IS NULL OR dated >= ?)
    ),
    contested AS (
        SELECT category, supplier, recipient, month
        FROM scoped GROUP BY ALL HAVING count(DISTINCT value) > 1
    )
    SELECT s.category, s.supplier, s.recipient, s.month, s.value,
           count(DISTINCT s.value) OVER (PARTITION BY s.category, s.supplier, s.recipient, s.month) AS figures,
           list({{'attribution': s.attribution, 'title': s.title, 'uri': s.uri, 'sitename': s.sitename,
                  'lang': s.lang, 'qualifier': s.qualifier, 'status': s.status, 'dated': s.dated}}
                ORDER BY s.dated, s.document_id) AS givers
    FROM scoped s
    JOIN contested c ON c.category = s.category AND c.month = s.month
         AND c.supplier IS NOT DISTINCT FROM s.supplier AND c.recipient IS NOT DISTINCT FROM s.recipient
    GROUP BY s.category, s.supplier, s.recipient, s.month, s.value
    ORDER BY s.category, s.supplier NULLS LAST, s.recipient NULLS LAST, s.month, s.value
    """
    ts = _since_ts(since)
    return _dicts(con.execute(sql, [*params, ts, ts]))


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = current_schema()",
        [name],
    ).fetchone()
    return bool(row and row[0])


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema() "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def latest_alerts(
    con: duckdb.DuckDBPyConnection, limit: int = 20, since: date | None = None
) -> list[dict[str, Any]] | None:
    """The newest alerts with their evidence: None if there is no alerts table.

    Tolerant of the alerts table's exact shape: reads whatever columns it has and
    adds `evidence_sentence`, `evidence_uri`, `evidence_title`, `evidence_attribution`,
    `evidence_lang`, `evidence_published_at`: the alert's own columns of those names
    (`sentence`, `uri`, ...) when it has them, else the claim's first statement
    (through `claim_id`).
    """
    if not table_exists(con, "alerts"):
        return None
    cols = set(_columns(con, "alerts"))
    order = "a.created_at DESC, a.id" if "created_at" in cols else "a.rowid DESC"
    evidence = ""
    if "claim_id" in cols:
        evidence = """,
            (SELECT {'sentence': m.sentence, 'uri': d.uri, 'title': d.title, 'attribution': m.attribution,
                     'lang': coalesce(m.lang, d.lang), 'published_at': d.published_at}
             FROM mentions m JOIN documents d ON d.id = m.document_id
             WHERE m.claim_id = a.claim_id AND d.duplicate_of IS NULL
             ORDER BY d.published_at NULLS LAST, d.fetched_at, m.start_char LIMIT 1) AS _evidence"""
    when = [f"a.{c}" for c in ("published_at", "created_at") if c in cols]
    where = f"coalesce({', '.join(when)}) >= ?" if since is not None and when else "TRUE"
    params: list[Any] = [_since_ts(since)] if where != "TRUE" else []
    rows = _dicts(
        con.execute(f"SELECT a.*{evidence} FROM alerts a WHERE {where} ORDER BY {order} LIMIT {int(limit)}", params)
    )
    for r in rows:
        ev = r.pop("_evidence", None) or {}
        for k in ("sentence", "uri", "title", "attribution", "lang", "published_at"):
            own = r.get(k)
            r[f"evidence_{k}"] = own if own is not None else ev.get(k)
    return rows


def sources_panel(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Documents per source and language, and failures per source and stage."""
    docs = _dicts(
        con.execute(
            """
            SELECT d.source_id, any_value(s.name) AS name, any_value(s.kind) AS kind, any_value(s.uri) AS source_uri,
                   coalesce(d.lang, 'unknown') AS lang, count(*) AS documents,
                   count(*) FILTER (WHERE d.duplicate_of IS NOT NULL) AS duplicates,
                   count(DISTINCT m.document_id) AS with_claims,
                   min(d.published_at) AS first_published, max(d.published_at) AS last_published
            FROM documents d
            LEFT JOIN sources s ON s.id = d.source_id
            LEFT JOIN (SELECT DISTINCT document_id FROM mentions) m ON m.document_id = d.id
            GROUP BY d.source_id, coalesce(d.lang, 'unknown')
            ORDER BY d.source_id NULLS LAST, documents DESC, lang
            """
        )
    )
    fails = _dicts(
        con.execute(
            """
            SELECT f.source_id, any_value(s.name) AS name, f.stage, count(*) AS failures,
                   max(f.occurred_at) AS last_at, arg_max(f.reason, f.occurred_at) AS last_reason,
                   arg_max(f.uri, f.occurred_at) AS last_uri
            FROM failures f LEFT JOIN sources s ON s.id = f.source_id
            GROUP BY f.source_id, f.stage
            ORDER BY failures DESC, f.source_id NULLS LAST, f.stage
            """
        )
    )
    return {"documents": docs, "failures": fails}


def totals(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    row = con.execute(
        """
        SELECT (SELECT count(*) FROM documents WHERE duplicate_of IS NULL),
               (SELECT count(*) FROM claims),
               (SELECT count(*) FROM (SELECT DISTINCT category, supplier, recipient FROM claims)),
               (SELECT count(*) FROM failures),
               (SELECT min(published_at) FROM documents), (SELECT max(published_at) FROM documents)
        """
    ).fetchone()
    keys = ("documents", "claims", "metrics", "failures", "first_published", "last_published")
    return dict(zip(keys, row or (0, 0, 0, 0, None, None), strict=True))
