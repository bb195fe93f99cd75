from datetime import date
from pathlib import Path

import pytest

from extractors.clean import clean
from extractors.cleaning_rules import CleaningRulesError, load_rules, load_rules_from
from extractors.dates import parse_date
from extractors.htmlclean import decode, looks_like_html
from extractors.textclean import clean_text

ROOT = Path(__file__).parents[2]
SEEDS = ROOT / "seeds"
PAGES = ROOT / "tests" / "data" / "pages"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --- seeds -------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_lines_kept_verbatim_and_in_order(prefix: str) -> None:
    raw = seed(prefix)
    cleaned = clean(raw, kind="text")
    source = [line.strip() for line in raw.splitlines()]
    kept = lines_of(cleaned.text)
    assert kept, "cleaning emptied the article"
    positions = [source.index(line) for line in kept]  # ValueError if a line was altered
    assert positions == sorted(positions)
    assert cleaned.kind == "text"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_bytes_and_auto_kind_match_text(prefix: str) -> None:
    raw = seed(prefix)
    assert clean(raw.encode("utf-8")) == clean(raw, kind="text")


def test_seed_000_comment_counter_and_repeated_title() -> None:
    c = clean(seed("000"), kind="text")
    title = "La Corée du Nord livre 14 000 soldats et 100 roquettes en Russie"
    assert c.title == title
    assert c.text.startswith(title + "\n")
    assert c.text.count(title) == 1
    assert "Kommentare" not in c.text
    assert (
        "Cela comprend jusqu'à 9 millions d'artilleurs et des munitions pour 2024, plus de 11 000 soldats"
        in c.text
    )
    assert c.text.endswith("tandis que les États-Unis ont de plus en plus frustré par Poutine.")
    assert "Portée du soutien militaire" in lines_of(c.text)  # section headings are not boilerplate
    assert c.published is None


def test_seed_001_author_bio() -> None:
    c = clean(seed("001"), kind="text")
    assert "Spécialiste de la culture pop" not in c.text
    assert c.text.startswith(
        "La Russie achète des millions de roquettes et d’obus d’artillerie à Corée du Nord"
    )
    assert lines_of(c.text)[-1].startswith("En juillet, la Corée du Nord est devenue le seul pays")
    assert "“Espérons que (les drones) ne sont pas très bien faits" in c.text  # a real quote stays
    assert c.title is None  # the first line is a sentence


def test_seed_002_newsletter_and_hashtags() -> None:
    c = clean(seed("002"), kind="text")
    assert "inscrivez-vous" not in c.text.casefold()
    assert "Inscrivez-vous à nos e-mails gratuits" not in c.text
    assert "#Tout" not in c.text and "#" not in c.text
    assert c.text.startswith("Les États-Unis et leurs alliés ont tiré la sonnette d’alarme")
    assert "près de 10 000 soldats nord-coréens s’apprêtaient à rejoindre les forces russes" in c.text
    assert lines_of(c.text)[-1].endswith("de Washington à défendre ses alliés.")
    # "le 3 octobre" and "février 2022" are event dates in the body, not the publication date
    assert c.published is None


def test_seed_003_date_banner_author_caption_credit() -> None:
    c = clean(seed("003"), kind="text")
    assert c.published == date(2025, 7, 16)
    assert c.author == "Olga Demidenko"
    assert (
        c.title
        == "La Corée du Nord a envoyé des troupes et des missiles en Russie : l’Occident publie des preuves"
    )
    for gone in (
        "16.07.2025",
        "1239 jour",
        "Olga Demidenko",
        "Pantsir-S1",
        "photo illustrative",
        "Mil.ru",
        "CC BY",
    ):
        assert gone not in c.text, gone
    assert c.text.startswith(c.title)
    assert "Un groupe international surveille les violations des sanctions" in c.text
    assert "la Corée du Nord a envoyé à la Russie plus de 20 000 conteneurs de munitions" in c.text
    assert "dépassant le plafond annuel fixé de 500 000 barils." in c.text


def test_seed_004_date_photo_credit_comment_form() -> None:
    c = clean(seed("004"), kind="text")
    assert c.published == date(2024, 12, 12)
    assert c.title == (
        "Malgré les avertissements de l’Occident, les régimes de Corée du Nord et de Russie "
        "ont réaffirmé leur coopération militaire"
    )
    for gone in (
        "jeu. 12 décembre 2024",
        "Photo : capture",
        "Source : INFOBAE",
        "Laisser un commentaire",
        "Votre adresse e-mail",
        "Akismet",
    ):
        assert gone not in c.text, gone
    assert "La Russie a déplacé plus de 7.000 XNUMX soldats nord-coréens vers des zones proches" in c.text
    assert "avec l'aide d'au moins 5 avions militaires" in c.text
    assert lines_of(c.text)[-1] == "(Avec des informations de Reuters et EFE)"


# --- other languages, plain text ---------------------------------------------

BODY = {
    "en": "Monitors said at least 1,500 containers of munitions crossed the border in three months.",
    "de": "Nach Angaben der Ermittler wurden mindestens 2.000 Bauteile für Kampfdrohnen geliefert.",
    "es": "Los investigadores afirman que los petroleros transportaron más de 300.000 barriles de crudo.",
    "it": "Secondo il rapporto, almeno 4.000 container di munizioni hanno attraversato il confine.",
    "pt": "Segundo o relatório, pelo menos 4.000 contêineres de munições atravessaram a fronteira.",
    "fr": "Selon le rapport, au moins 4 000 conteneurs de munitions ont franchi la frontière.",
}
BOILERPLATE = {
    "en": [
        "Sign up for our free newsletter to get alerts in your inbox",
        "Read more: Sanctions panel disbanded after veto",
        "12 comments",
        "Share on Facebook",
        "Photo: Reuters/John Smith",
        "Your email address will not be published. Required fields are marked *",
    ],
    "de": [
        "Jetzt den Newsletter abonnieren",
        "Lesen Sie auch: Sanktionen gegen Reederei verschärft",
        "Kommentare (3)",
        "Foto: dpa/Max Mustermann",
        "Artikel teilen",
        "Ihre E-Mail-Adresse wird nicht veröffentlicht.",
    ],
    "es": [
        "Suscríbete a nuestro boletín para recibir alertas",
        "Lee también: La flota fantasma crece en el Báltico",
        "Deja un comentario",
        "Foto: EFE",
        "Compartir en Twitter",
        "Tu dirección de correo electrónico no será publicada.",
    ],
    "it": [
        "Iscriviti alla newsletter per ricevere gli avvisi",
        "Leggi anche: sanzioni, sequestrata una nave",
        "5 commenti",
        "Foto: ANSA",
        "Condividi su Facebook",
        "Il tuo indirizzo email non sarà pubblicato.",
    ],
    "pt": [
        "Inscreva-se na nossa newsletter e receba alertas",
        "Leia também: sanções contra petroleiros",
        "Deixe um comentário",
        "Foto: Reuters",
        "Compartilhe no WhatsApp",
        "O seu endereço de email não será publicado.",
    ],
    "fr": [
        "Abonnez-vous à notre newsletter",
        "Lire aussi : Les sanctions contournées par des sociétés écrans",
        "À lire également",
        "Partager sur Facebook",
        "Photo : AFP",
        "Nous utilisons des cookies pour améliorer votre expérience.",
    ],
}


@pytest.mark.parametrize("lang", sorted(BODY))
def test_boilerplate_lines_by_language(lang: str) -> None:
    text = "\n".join([BODY[lang], BODY[lang][:-1] + " (7).", *BOILERPLATE[lang]])
    c = clean(text, kind="text")
    assert BODY[lang] in c.text
    assert BODY[lang][:-1] + " (7)." in c.text
    for line in BOILERPLATE[lang]:
        assert line not in c.text, line
    assert "#rusia #sanciones" not in clean(BODY[lang] + "\n#rusia #sanciones", kind="text").text


@pytest.mark.parametrize(
    ("lang", "line"), [(lang, line) for lang in sorted(BODY) for line in BOILERPLATE[lang]]
)
def test_each_boilerplate_line_dropped_between_paragraphs(lang: str, line: str) -> None:
    others = [BODY[lang][:-1] + f" ({d})." for d in "789"]
    c = clean("\n\n".join([BODY[lang], line, *others]), kind="text")  # early: no comments cut
    assert line not in c.text
    assert lines_of(c.text) == [BODY[lang], *others]


def test_author_bio_only_dropped_at_the_end() -> None:
    bio = "Jane Doe is a senior correspondent covering sanctions."
    body = [BODY["en"], BODY["en"][:-1] + " (7)."]
    assert bio not in clean("\n".join([*body, bio]), kind="text").text
    assert bio in clean("\n".join([body[0], bio, body[1], body[1] + "!", body[1] + "?"]), kind="text").text


def test_comments_section_is_cut_but_only_near_the_end() -> None:
    body = "\n".join(f"Paragraphe {i} de l'article, avec {i} 000 soldats cités." for i in range(1, 8))
    tail = "Commentaires\nJean : il y en a au moins 90 000, c'est sûr.\nMarie : 250 000 selon mon cousin."
    text = clean(body + "\n" + tail, kind="text").text
    assert "90 000" not in text and "250 000" not in text
    assert text.endswith("7 000 soldats cités.")
    # the same marker near the top only drops its own line
    top = clean("Titre\nCommentaires\n" + body, kind="text").text
    assert "Paragraphe 7" in top and "Commentaires" not in top


def test_caption_above_credit_goes_but_sentence_above_stays() -> None:
    text = "Titre\n\nUne phrase de l'article qui se termine par un point.\nPont détruit près de Kherson\nPhoto : AFP\n\nSuite."
    c = clean(text, kind="text")
    assert "Pont détruit" not in c.text
    assert "Une phrase de l'article qui se termine par un point." in c.text


def test_author_prefix_line() -> None:
    c = clean("Titre de l'article\nPar Jean Dupont\n\nLe corps de l'article commence ici.", kind="text")
    assert c.author == "Jean Dupont"
    assert "Par Jean Dupont" not in c.text


def test_byline_with_date_gives_author_and_date() -> None:
    c = clean("Title\nBy Jane Doe | Published 3 March 2025\n\nThe body sentence stays.", kind="text")
    assert (c.author, c.published) == ("Jane Doe", date(2025, 3, 3))
    assert c.text == "Title\n\nThe body sentence stays."


def test_markdown_file() -> None:
    c = clean((PAGES / "en_article.md").read_text(encoding="utf-8"), kind="text")
    assert c.title == "Shipments of shells rose sharply, report says"
    assert c.author == "Jane Doe"
    assert c.published == date(2025, 3, 3)
    assert "at least 1.5 million artillery shells were shipped by sea" in c.text
    assert "according to a new report seen by reporters." in c.text  # link text kept, URL gone
    for gone in (
        "#",
        "**",
        "](",
        "http",
        "newsletter",
        "Read more",
        "Share on",
        "Reuters/John",
        "correspondent",
    ):
        assert gone not in c.text, gone
    assert not looks_like_html((PAGES / "en_article.md").read_text(encoding="utf-8"))


# --- HTML ----------------------------------------------------------------------


def test_html_cp1252_undeclared_comments_related_canonical() -> None:
    raw = (PAGES / "fr_cp1252_undeclared.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is legacy bytes
    c = clean(raw, url="https://example.fr/monde/article-123")
    assert c.kind == "html"
    assert "près de 4 500 conteneurs de munitions ont franchi la frontière" in c.text
    assert "« Nous n’avions jamais observé un tel flux »" in c.text  # cp1252 quotes decoded
    assert "\ufffd" not in c.text and "Ã" not in c.text
    assert len(lines_of(c.text)) == 4  # one line per paragraph
    for gone in (
        "90 000",
        "250 000",
        "Marcel",
        "commentaire",
        "300 missiles",
        "500 000 barils",
        "Tous droits",
    ):
        assert gone not in c.text, gone
    assert c.title == "Des conteneurs de munitions livrés par voie ferrée"
    assert c.author == "Hélène Lefèvre"
    assert c.sitename == "Le Veilleur"
    assert c.published == date(2025, 3, 4)
    assert c.canonical_url == "https://example.fr/fr/2025/03/conteneurs-munitions"


def test_html_relative_canonical_without_base_is_dropped() -> None:
    assert clean((PAGES / "fr_cp1252_undeclared.html").read_bytes()).canonical_url is None


def test_html_utf8_bom_and_text_date() -> None:
    c = clean((PAGES / "de_utf8_bom.html").read_bytes(), kind="html")
    assert not c.text.startswith("\ufeff")
    assert "mindestens 2.000 Bauteile für Kampfdrohnen über Zwischenhändler" in c.text
    assert "10.000 Teile" not in c.text and "Kommentare" not in c.text
    assert c.title == "Drohnenteile über Drittstaaten geliefert"
    assert c.published == date(2025, 3, 3)
    assert c.canonical_url == "https://example.org/de/drohnenteile"


def test_html_latin1_declared_and_spanish_date() -> None:
    raw = (PAGES / "es_latin1_declared.html").read_bytes()
    c = clean(raw)
    assert "según los investigadores, habrían transportado más de 300.000 barriles" in c.text
    assert "Compartir" not in c.text
    # not htmldate's year-only guess (2024-01-01): the "Publicado el" line
    assert c.published == date(2024, 12, 12)


def test_html_fallback_when_trafilatura_finds_nothing() -> None:
    c = clean((PAGES / "tiny_fragment.html").read_bytes())
    assert c.kind == "html"
    assert c.text == "Bulletin : 40 missiles signalés."
    assert "99999" not in c.text
    assert c.title == "Avis"


def test_plain_text_forced_through_html_path_does_not_crash() -> None:
    c = clean("Juste une phrase. Et une autre avec 12 missiles.", kind="html")
    assert "12 missiles" in c.text


@pytest.mark.parametrize(
    "raw",
    [b"", "", "   ", b"\x00\x01\x02\xff\xfe garbage \x80\x81", "<html></html>", "<<<>>>", "<p>", b"\xff\xfe"],
)
def test_hostile_input_never_raises(raw: str | bytes) -> None:
    c = clean(raw)
    assert isinstance(c.text, str)


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="kind"):
        clean("x", kind="pdf")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Café à Noël — « déjà »".encode("cp1252"), "Café à Noël — « déjà »"),
        ("Café".encode(), "Café"),
        (
            "Zażółć gęślą jaźń, powiedział minister o sankcjach.".encode("cp1250"),
            "Zażółć gęślą jaźń, powiedział minister o sankcjach.",
        ),
        (
            "Привет, как дела? Новости о санкциях против России.".encode("cp1251"),
            "Привет, как дела? Новости о санкциях против России.",
        ),
        (b"\xef\xbb\xbfCaf\xc3\xa9", "Café"),
        ("Café".encode("utf-16"), "Café"),
        (b'<meta charset="koi8-r"><p>' + "Привет".encode("koi8-r"), '<meta charset="koi8-r"><p>Привет'),
        (b'<meta charset="iso-8859-1"><p>' + "“x”".encode("cp1252"), '<meta charset="iso-8859-1"><p>“x”'),
    ],
)
def test_decode(raw: bytes, expected: str) -> None:
    assert decode(raw) == expected


# --- rules files -----------------------------------------------------------------


def test_bundled_rules_cover_required_languages() -> None:
    rules = load_rules()
    assert {"en", "fr", "de", "es", "it", "pt"} <= set(rules.languages)
    assert load_rules() is rules  # loaded once


VALID = """language = "{lang}"
months = [{months}]
weekdays = [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]
[boilerplate]
lines = ['''{line}''']
"""
NL_MONTHS = ", ".join(
    f'["{m}"]'
    for m in [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
)


def test_new_language_is_a_new_file(tmp_path: Path) -> None:
    (tmp_path / "nl.toml").write_text(
        VALID.format(lang="nl", months=NL_MONTHS, line="lees ook\\b.*"), encoding="utf-8"
    )
    rules = load_rules_from(tmp_path)
    assert parse_date("3 maart 2025", rules) == date(2025, 3, 3)
    result = clean_text("Eerste zin van het artikel.\nLees ook: iets anders\nTweede zin.", rules=rules)
    assert "Lees ook" not in result.text and "Tweede zin." in result.text


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (VALID.format(lang="nl", months=NL_MONTHS, line="(unclosed"), "boilerplate.lines[0]"),
        (VALID.format(lang="xx", months=NL_MONTHS, line="ok"), "language"),
        (VALID.format(lang="nl", months='["januari"]', line="ok"), "months"),
        (VALID.format(lang="nl", months=NL_MONTHS, line="ok") + "surprise = 1\n", "boilerplate.surprise"),
        ('language = "nl"\nweekdays = []\n', "months"),
        ("language = [", "invalid TOML"),
    ],
)
def test_invalid_rules_file_names_file_and_key(tmp_path: Path, content: str, key: str) -> None:
    (tmp_path / "nl.toml").write_text(content, encoding="utf-8")
    with pytest.raises(CleaningRulesError) as err:
        load_rules_from(tmp_path)
    assert "nl.toml" in str(err.value)
    assert key in str(err.value)
