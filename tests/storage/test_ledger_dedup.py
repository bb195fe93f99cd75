"""Document and claim deduplication in the ledger, on real DuckDB files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
from conftest import SEEDS

from extractors.models import Claim
from storage import ledger
from storage.db import reader, writer
from storage.records import DocumentRecord

T0 = datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
ARTICLE = (SEEDS / "000_c4994ec9ee813f01.txt").read_text(encoding="utf-8")
OTHER = (SEEDS / "002_8ba8eb7046b5adba.txt").read_text(encoding="utf-8")
HEADER = "AGENCE EXEMPLE — Dépêche reprise avec autorisation. Tous droits réservés.\nAccueil > International > Europe\n"
FOOTER = "\nPartagez cet article. Abonnez-vous à notre lettre quotidienne. Lire aussi : la guerre en Ukraine, jour après jour.\n"


def claim(category: str, value: float, lang: str = "fr", status: str = "reported", start: int = 0,
          supplier: str = "KP", recipient: str = "RU", attribution: str | None = None) -> Claim:
    return Claim(category=category, value=value, supplier=supplier, recipient=recipient, status=status,
                 attribution=attribution, sentence=f"{value} {category}", start=start, end=start + 6, lang=lang)


def doc(name: str, text: str, claims: list[Claim], minutes: int = 0, lang: str = "fr",
        published: datetime | None = None, content_hash: str | None = None) -> DocumentRecord:
    import hashlib

    from storage.ids import document_id

    norm = " ".join(text.split()).casefold()
    return DocumentRecord(
        id=document_id(f"https://example.org/{name}"), uri=f"https://example.org/{name}", source_id="test",
        fetched_at=T0 + timedelta(minutes=minutes), raw_hash=hashlib.sha256(text.encode()).hexdigest(),
        title=name, published_at=published or T0 + timedelta(minutes=minutes), lang=lang, lang_prob=0.99,
        content_hash=content_hash or hashlib.sha256(norm.encode()).hexdigest(), text=text,
        extractor_version="test", claims=claims,
    )


def syndicated(text: str) -> str:
    """A copy with other boilerplate around it and two small edits inside."""
    body = text.replace("Le rapport a été publié jeudi", "Le rapport a été rendu public jeudi", 1)
    body = body.replace("une initiative qui", "initiative qui", 1)
    return HEADER + body + FOOTER


def snapshot(path: str) -> dict[str, list[tuple]]:
    """Every ledger table, without timestamps, sorted: what a rerun must reproduce."""
    out = {}
    con = duckdb.connect(path, read_only=True)
    try:
        for table, drop in [
            ("documents", ["fetched_at"]), ("mentions", ["created_at"]),
            ("claims", ["first_seen", "last_seen"]), ("document_bands", []),
        ]:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in drop]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()
    return out


ORIGINAL_CLAIMS = [claim("troops", 11000, start=10), claim("artillery_shells", 9_000_000, start=40)]


def test_same_batch_twice_changes_nothing(db_file: str) -> None:
    batch = [
        doc("a", ARTICLE, ORIGINAL_CLAIMS, 0),
        doc("b", syndicated(ARTICLE), ORIGINAL_CLAIMS, 1),
        doc("c", OTHER, [claim("troops", 3000, start=5)], 2),
    ]
    with writer(db_file) as con:
        ledger.write_batch(con, batch)
    first = snapshot(db_file)
    with writer(db_file) as con:
        again = ledger.write_batch(con, batch)
    assert snapshot(db_file) == first
    assert again.duplicates == 1 and again.new_claims == 0
    assert len(first["documents"]) == 3 and len(first["mentions"]) == 3


def test_syndicated_copy_with_new_boilerplate_points_to_the_original(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [doc("orig", ARTICLE, ORIGINAL_CLAIMS, 0)])
        r = ledger.write_batch(con, [doc("copy", syndicated(ARTICLE), ORIGINAL_CLAIMS, 5)])
    assert r.duplicates == 1 and r.mentions == 0
    with reader(db_file) as con:
        rows = con.execute(
            "SELECT title, (SELECT title FROM documents o WHERE o.id = d.duplicate_of), duplicate_kind, "
            "duplicate_similarity FROM documents d ORDER BY title"
        ).fetchall()
        claims = con.execute("SELECT category, value, mention_count, source_count FROM claims ORDER BY value").fetchall()
        copy_mentions = con.execute(
            "SELECT count(*) FROM mentions m JOIN documents d ON d.id = m.document_id WHERE d.title = 'copy'"
        ).fetchone()[0]
    assert rows[0][:3] == ("copy", "orig", "near") and rows[0][3] >= 0.8
    assert rows[1][:3] == ("orig", None, None)
    assert claims == [("troops", 11000.0, 1, 1), ("artillery_shells", 9_000_000.0, 1, 1)]
    assert copy_mentions == 0


def test_copy_in_the_same_batch_keeps_the_first_seen(db_file: str) -> None:
    # listed before the original, but fetched after it: the original is kept
    with writer(db_file) as con:
        ledger.write_batch(con, [doc("copy", syndicated(ARTICLE), ORIGINAL_CLAIMS, 5), doc("orig", ARTICLE, ORIGINAL_CLAIMS, 0)])
    with reader(db_file) as con:
        kept = con.execute("SELECT title FROM documents WHERE duplicate_of IS NULL").fetchall()
        src = con.execute("SELECT DISTINCT d.title FROM mentions m JOIN documents d ON d.id = m.document_id").fetchall()
    assert kept == [("orig",)] and src == [("orig",)]


def test_exact_copy_is_a_content_duplicate(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [doc("a", ARTICLE, ORIGINAL_CLAIMS, 0)])
        ledger.write_batch(con, [doc("b", "  " + ARTICLE.upper() + "\n", ORIGINAL_CLAIMS, 1,
                                     content_hash=doc("a", ARTICLE, []).content_hash)])
    with reader(db_file) as con:
        assert con.execute("SELECT duplicate_kind, duplicate_similarity FROM documents WHERE title = 'b'").fetchone() == (
            "content", 1.0)


def test_near_copy_that_changes_a_figure_stays_a_source(db_file: str) -> None:
    updated = syndicated(ARTICLE).replace("plus de 11 000 soldats", "plus de 12 000 soldats")
    with writer(db_file) as con:
        ledger.write_batch(con, [doc("orig", ARTICLE, ORIGINAL_CLAIMS, 0)])
        r = ledger.write_batch(con, [doc("update", updated, [claim("troops", 12000, start=10), ORIGINAL_CLAIMS[1]], 5)])
    assert r.duplicates == 0
    with reader(db_file) as con:
        claims = dict(con.execute("SELECT value, source_count FROM claims").fetchall())
    assert claims == {11000.0: 1, 12000.0: 1, 9_000_000.0: 2}


def test_same_claim_in_french_and_english_merges(db_file: str) -> None:
    fr = doc("fr", ARTICLE, [claim("troops", 11000, lang="fr", attribution="MSMT", start=3)], 0, lang="fr")
    en = doc("en", OTHER, [claim("troops", 11000, lang="en", attribution="South Korea's NIS", start=9)], 1, lang="en")
    with writer(db_file) as con:
        ledger.write_batch(con, [fr])
        ledger.write_batch(con, [en])
    with reader(db_file) as con:
        claims = con.execute("SELECT value, mention_count, source_count FROM claims").fetchall()
        mentions = con.execute("SELECT lang, attribution, start_char, document_id FROM mentions ORDER BY lang").fetchall()
        langs = con.execute("SELECT list(DISTINCT lang ORDER BY lang) FROM claim_sources").fetchone()[0]
    assert claims == [(11000.0, 2, 2)]
    assert [(m[0], m[1], m[2]) for m in mentions] == [("en", "South Korea's NIS", 9), ("fr", "MSMT", 3)]
    assert mentions[0][3] == en.id and mentions[1][3] == fr.id
    assert langs == ["en", "fr"]


def test_original_turning_into_a_duplicate_takes_its_copies_along(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [doc("w", OTHER, [claim("troops", 3000)], 0)])
        ledger.write_batch(con, [doc("x", ARTICLE, ORIGINAL_CLAIMS, 1)])
        ledger.write_batch(con, [doc("y", syndicated(ARTICLE), ORIGINAL_CLAIMS, 2)])
        # x is corrected upstream and now carries w's text: it becomes a copy of w, and y follows it to w
        ledger.write_batch(con, [doc("x", OTHER, [claim("troops", 3000)], 1)])
    with reader(db_file) as con:
        rows = con.execute(
            "SELECT d.title, o.title FROM documents d LEFT JOIN documents o ON o.id = d.duplicate_of ORDER BY 1"
        ).fetchall()
        claims = con.execute("SELECT value, source_count FROM claims").fetchall()
    assert rows == [("w", None), ("x", "w"), ("y", "w")]
    assert claims == [(3000.0, 1)]


def test_documents_from_an_older_version_get_signatures_and_are_matched(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [doc("orig", ARTICLE, ORIGINAL_CLAIMS, 0)])
        con.execute("UPDATE documents SET minhash = NULL")  # as stored before migration 003
        con.execute("DELETE FROM document_bands")
        r = ledger.write_batch(con, [doc("copy", syndicated(ARTICLE), ORIGINAL_CLAIMS, 5)])
        assert con.execute("SELECT count(*) FROM documents WHERE minhash IS NULL").fetchone()[0] == 0
    assert r.duplicates == 1


def test_denied_only_claim_has_denied_status(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [doc("a", ARTICLE, [claim("troops", 100000, status="denied"), claim("troops", 11000, start=20)], 0)])
        ledger.write_batch(con, [doc("b", OTHER, [claim("troops", 11000, status="denied", start=3)], 1)])
    with reader(db_file) as con:
        rows = con.execute("SELECT value, status, denied_count, source_count FROM claims ORDER BY value").fetchall()
    assert rows == [(11000.0, "reported", 1, 2), (100000.0, "denied", 1, 1)]
