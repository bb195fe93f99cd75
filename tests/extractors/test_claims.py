"""extract_claims: categories, qualifiers, ranges, direction, status, distractors, robustness."""

from __future__ import annotations

import pytest

from extractors.claims import extract_claims
from extractors.direction import DEFAULT_WATCHLIST
from extractors.models import Claim


def one(text: str, lang: str) -> Claim:
    claims = extract_claims(text, lang)
    assert len(claims) == 1, claims
    return claims[0]


def keys(text: str, lang: str) -> set[tuple]:
    return {(c.category, c.value, c.qualifier, c.supplier, c.recipient) for c in extract_claims(text, lang)}


def test_span_and_sentence() -> None:
    text = "Titre\n\nLa Corée du Nord a envoyé plus de 11 000 soldats en Russie. Autre phrase."
    c = one(text, "fr")
    assert text[c.start : c.end] == "11 000"
    assert c.sentence == "La Corée du Nord a envoyé plus de 11 000 soldats en Russie."
    assert (c.category, c.value, c.qualifier, c.supplier, c.recipient, c.lang) == (
        "troops", 11000, "at_least", "KP", "RU", "fr")


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Nordkorea lieferte 2,5 Mio. Artilleriegeschosse an Moskau.", ("artillery_shells", 2_500_000)),
        ("de", "Nordkorea schickte 6000 Militärbauarbeiter nach Russland.", ("troops", 6000)),
        ("de", "Nordkorea schickte 6000 Bauarbeiter nach Russland.", ("workers", 6000)),
        ("fr", "La Corée du Nord a envoyé 9 millions d'artilleurs et des munitions à la Russie.",
         ("artillery_shells", 9_000_000)),
        ("en", "North Korea sent 1.5 million artillery shells to Russia.", ("artillery_shells", 1_500_000)),
        ("en", "North Korea sent 50 multiple rocket launchers to Russia.", ("artillery_systems", 50)),
        ("es", "Irán entregó 400 drones a Rusia.", ("drones", 400)),
        ("it", "La Russia ha fornito alla Corea del Nord 20 sistemi di difesa aerea.", ("air_defense_systems", 20)),
        ("pt", "A Rússia enviou à Coreia do Norte 1 milhão de barris de petróleo.", ("petroleum", 1_000_000)),
        ("en", "Six North Korean soldiers were killed in Kursk, Russia.", ("casualties", 6)),
    ],
)
def test_categories(lang: str, text: str, expected: tuple) -> None:
    c = one(text, lang)
    assert (c.category, c.value) == expected


@pytest.mark.parametrize(
    ("lang", "text", "qualifier", "low", "value"),
    [
        ("fr", "La Corée du Nord a envoyé environ 7 000 conteneurs à la Russie.", "approx", None, 7000),
        ("fr", "La Corée du Nord a envoyé jusqu'à 9 millions d'obus à la Russie.", "at_most", None, 9_000_000),
        ("de", "Nordkorea schickte zwischen 10.000 und 12.000 Soldaten nach Russland.", "range", 10000, 12000),
        ("de", "Nordkorea schickte zehn- bis zwölftausend Soldaten nach Russland.", "range", 10000, 12000),
        ("en", "North Korea sent 10 to 12 thousand troops to Russia.", "range", 10000, 12000),
        ("es", "Corea del Norte envió unos mil soldados a Rusia.", "approx", None, 1000),
        ("it", "La Corea del Nord ha inviato oltre 11.000 soldati in Russia.", "at_least", None, 11000),
        ("pt", "A Coreia do Norte enviou pelo menos um sistema de defesa aérea para a Rússia.", "at_least", None, 1),
        ("fr", "La Russie livre du pétrole à la Corée du Nord, dépassant le plafond annuel fixé de 500 000 barils.",
         "at_least", None, 500_000),
    ],
)
def test_qualifiers_and_ranges(lang: str, text: str, qualifier: str, low: float | None, value: float) -> None:
    c = one(text, lang)
    assert (c.qualifier, c.low, c.value) == (qualifier, low, value)


def test_qualifier_applies_to_its_own_figure() -> None:
    text = ("La Corée du Nord a expédié environ 7 000 conteneurs remplis de munitions vers la Russie "
            "et en échange de 9 000 conteneurs russes.")
    assert keys(text, "fr") == {
        ("containers", 7000, "approx", "KP", "RU"),
        ("containers", 9000, "exact", "RU", "KP"),
    }


def test_headline_never_overrides_body_qualifier() -> None:
    text = ("La Corée du Nord livre 100 roquettes en Russie\n\n"
            "Au total, au moins 100 fusées balistiques ont été fournies par Pyongyang à la Russie.")
    c = one(text, "fr")
    assert c.qualifier == "at_least"


@pytest.mark.parametrize(
    ("lang", "text", "pair"),
    [
        ("en", "Pyongyang shipped 9,000 containers to Russia.", ("KP", "RU")),
        ("en", "Russia received 300 howitzers from North Korea.", ("KP", "RU")),
        ("de", "Russland lieferte 20 Luftabwehrsysteme an Nordkorea.", ("RU", "KP")),
        ("en", "Iran delivered 400 drones to Russia.", ("IR", "RU")),
        ("fr", "Des conteneurs en Corée du Nord : 9 000 conteneurs russes sont arrivés.", ("RU", "KP")),
    ],
)
def test_direction(lang: str, text: str, pair: tuple[str, str]) -> None:
    c = one(text, lang)
    assert (c.supplier, c.recipient) == pair


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Belarus transferred 130,000 shells to Russia."),
        ("de", "Belarus stellte Russland etwa 130.000 Schuss Artilleriemunition zur Verfügung."),
        ("es", "Bielorrusia, por su parte, ha transferido a Moscú 2 millones de proyectiles de artillería."),
    ],
)
def test_a_supplier_outside_the_watchlist_makes_no_claim_unless_watched(lang: str, text: str) -> None:
    # the spec's default watchlist is KP<->RU and IR->RU; users extend it
    doc = "Iran delivered 400 drones to Russia. North Korea sent troops to Russia. " + text
    assert {(c.supplier, c.recipient) for c in extract_claims(doc, lang)} <= {("IR", "RU"), ("KP", "RU")}
    extended = extract_claims(text, lang, watchlist=(*DEFAULT_WATCHLIST, ("BY", "RU")))
    assert [(c.category, c.supplier, c.recipient) for c in extended] == [("artillery_shells", "BY", "RU")]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Zum Vergleich: Russland exportiert täglich rund 3,3 Millionen Barrel Rohöl, vor allem nach China und Indien."),
        ("en", "The United States, which keeps 28,500 troops in South Korea, pressed its allies on North Korea and Russia."),
    ],
)
def test_figures_sent_to_or_kept_with_other_parties_are_no_claims(lang: str, text: str) -> None:
    assert extract_claims("North Korea sent troops to Russia. " + text, lang) == []


def test_direction_from_neighbouring_sentence() -> None:
    text = "North Korea has deployed troops to Russia. The contingent counts 12,000 soldiers, officials said."
    c = one(text, "en")
    assert (c.supplier, c.recipient, c.value) == ("KP", "RU", 12000)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "La Russie avait vu au moins 115 000 soldats tués depuis le début de la guerre; la Corée du Nord aide."),
        ("de", "50.000 russische Soldaten fielen, sagt Kiew; Nordkorea liefert weiter."),
        ("en", "Ukraine lost 43,000 soldiers, while North Korea keeps helping Russia."),
        ("en", "Russia has an army of 1.3 million soldiers and buys shells from North Korea."),
        ("fr", "Le rapport du MSMT, composé de 11 États membres, vise la Corée du Nord et la Russie."),
        ("fr", "Le 16.07.2025, 1239 jours après l'invasion, la Corée du Nord et la Russie ont signé."),
        ("en", "North Korea's KN-23 missiles and AK-12 rifles reached Russia, 5 military aircraft too."),
        ("en", "North Korea sent thousands of soldiers and millions of shells to Russia."),
        ("de", "Nordkorea schickte Hunderte Drohnen und Tausende Soldaten nach Russland."),
        ("en", "North Korea sent a Pantsir system to Russia."),
        ("en", "North Korean shipments rose 40% as Russia paid $2 billion."),
        ("en", "Twelve tankers made 43 port calls between North Korea and Russia."),
        ("fr", "Kommentare (0)\nLa Corée du Nord et la Russie."),
    ],
)
def test_distractors_yield_nothing(lang: str, text: str) -> None:
    assert extract_claims(text, lang) == []


def test_status_planned_and_denied() -> None:
    planned = one("Ils préparent 10 000 soldats nord-coréens, pas encore envoyés en Russie.", "fr")
    assert planned.status == "planned"
    denied = one("El Kremlin negó haber recibido diez mil soldados norcoreanos.", "es")
    assert denied.status == "denied"


def test_attribution_and_period() -> None:
    c = one("Selon le MSMT, la Corée du Nord a envoyé plus de 20 000 conteneurs à la Russie depuis la fin de 2023.", "fr")
    assert (c.attribution, c.period) == ("MSMT", "since late 2023")


def test_unrelated_document_and_unknown_language() -> None:
    assert extract_claims("Israel deployed 10,000 troops to the border.", "en") == []
    assert extract_claims("North Korea sent 10,000 troops to Russia.", "xx") == []
    assert extract_claims("", "en") == []


def test_deterministic() -> None:
    text = "Pyongyang sent about 12,000 troops and 1.5 million shells to Russia, Seoul said."
    assert extract_claims(text, "en") == extract_claims(text, "en")


@pytest.mark.timeout(60)
def test_one_megabyte_finishes() -> None:
    """No catastrophic regex: a 1 MB text (long lines without sentence ends, numbers, words) completes."""
    chunk = (
        "La Corée du Nord a envoyé plus de 11 000 soldats en Russie selon le MSMT et "
        + "des obus et 1 000 000 de choses et zweihundertdreiundzwanzig " * 30
        + "a" * 300
        + " 9 8 7 - , " * 20
        + "\n"
    )
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    for lang in ("fr", "en", "de"):
        assert isinstance(extract_claims(text, lang), list)
