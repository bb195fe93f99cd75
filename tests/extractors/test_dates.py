from datetime import date

import pytest

from extractors.dates import (
    date_line,
    find_dates,
    marker_date,
    parse_date,
    publication_date_from_lines,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16.07.2025", date(2025, 7, 16)),
        ("2025-07-16", date(2025, 7, 16)),
        ("2025/07/16", date(2025, 7, 16)),
        ("16/07/2025", date(2025, 7, 16)),
        ("07/16/2025", date(2025, 7, 16)),  # day-first impossible, month-first taken
        ("jeu. 12 décembre 2024", date(2024, 12, 12)),
        ("12 decembre 2024", date(2024, 12, 12)),  # accent missing
        ("1er mars 2025", date(2025, 3, 1)),
        ("12 déc. 2024", date(2024, 12, 12)),
        ("Published 3 March 2025", date(2025, 3, 3)),
        ("March 3, 2025", date(2025, 3, 3)),
        ("Dec. 12, 2024", date(2024, 12, 12)),
        ("12 de diciembre de 2024", date(2024, 12, 12)),
        ("3. März 2025", date(2025, 3, 3)),
        ("3. Maerz 2025", date(2025, 3, 3)),
        ("lunedì 3 marzo 2025", date(2025, 3, 3)),
        ("sexta-feira, 3 de março de 2025", date(2025, 3, 3)),
        ("2024-12-12T10:30:00+01:00", date(2024, 12, 12)),
    ],
)
def test_parse_date_formats(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["le 3 octobre", "31.02.2025", "12 blorp 2024", "version 1.2.2024x", "en février 2022", "", "13/13/2025"],
)
def test_no_full_date(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_positions_without_overlap() -> None:
    text = "Du 12 décembre 2024 au 2025-01-03."
    found = find_dates(text)
    assert [f.value for f in found] == [date(2024, 12, 12), date(2025, 1, 3)]
    assert text[found[0].start : found[0].end] == "12 décembre 2024"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("16.07.2025 France", date(2025, 7, 16)),
        ("jeu. 12 décembre 2024", date(2024, 12, 12)),
        ("Stand: 16.07.2025, 14:32 Uhr", date(2025, 7, 16)),
        ("Le 3 mars 2025, l'armée a annoncé avoir intercepté 40 drones au-dessus de la ville.", None),
        ("16.07.2025 La Corée du Nord envoie des troupes en Russie", None),
    ],
)
def test_date_line(line: str, expected: date | None) -> None:
    assert date_line(line) == expected


def test_marker_date_needs_marker_at_segment_start() -> None:
    from extractors.cleaning_rules import load_rules

    markers = load_rules().published_markers
    assert marker_date("Publié le 12/12/2024 à 10h30, mis à jour le 13/12/2024", markers) == date(
        2024, 12, 12
    )
    assert marker_date("By Jane Doe | Published 3 March 2025", markers) == date(2025, 3, 3)
    assert marker_date("Veröffentlicht am 3. März 2025", markers) == date(2025, 3, 3)
    # a sentence mentioning a publication is not a metadata line
    assert marker_date("Le rapport, publié le 3 mars 2025, indique une hausse.", markers) is None


def test_publication_date_ignores_dates_in_body_sentences() -> None:
    lines = [
        "Titre de l'article",
        "Un premier paragraphe sans date.",
        "Les médias ont rapporté que six soldats avaient été tués le 3 octobre 2024 à Donetsk.",
    ]
    assert publication_date_from_lines(lines) == (None, None)


def test_publication_date_prefers_published_marker_over_header_date_and_update() -> None:
    lines = [
        "Mis à jour le 20 mars 2025",
        "16.03.2025 Paris",
        "Titre",
        "Publié le 15 mars 2025",
        "Corps de l'article.",
    ]
    assert publication_date_from_lines(lines) == (date(2025, 3, 15), 3)
    assert publication_date_from_lines(lines[:3]) == (date(2025, 3, 16), 1)
    assert publication_date_from_lines(lines[:1] + lines[2:3]) == (date(2025, 3, 20), 0)


def test_date_line_only_counts_at_the_top() -> None:
    lines = ["Titre"] + [f"Paragraphe numéro {i}." for i in range(12)] + ["16.07.2025 France"]
    assert publication_date_from_lines(lines) == (None, None)
