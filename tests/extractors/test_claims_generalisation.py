"""General rules, each checked in every language it applies to, on sentences written for these tests.

Direction (agent + transfer verb + destination beats parties named elsewhere; a place of a
meeting or a genitive is no destination), time expressions before a year, vague determiners,
ratios, captured soldiers, "N hundreds of", air-defence batteries, status cues, reader
comments in HTML.
"""

from __future__ import annotations

import pytest

from extractors.claims import extract_claims
from extractors.htmlclean import drop_comment_sections


def found(text: str, lang: str) -> set[tuple]:
    return {(c.category, c.value, c.supplier, c.recipient) for c in extract_claims(text, lang)}


def values(text: str, lang: str) -> set[float]:
    return {c.value for c in extract_claims(text, lang)}


# ------------------------------------------------------------------ direction

@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "In exchange, Moscow delivered Pyongyang about 800,000 barrels of diesel, satellite photos of tankers "
               "from North Korea show."),
        ("fr", "En retour, Moscou a livré à Pyongyang environ 800 000 barils de diesel, selon des images de "
               "pétroliers venus de Corée du Nord."),
        ("de", "Im Gegenzug hat Moskau rund 800.000 Barrel Diesel nach Pjöngjang geliefert, wie Aufnahmen von "
               "Tankern aus Nordkorea zeigen."),
        ("es", "A cambio, Moscú entregó a Pyongyang unos 800.000 barriles de diésel, según imágenes de petroleros "
               "procedentes de Corea del Norte."),
        ("it", "In cambio Mosca ha consegnato a Pyongyang circa 800.000 barili di gasolio, secondo immagini di "
               "petroliere provenienti dalla Corea del Nord."),
        ("pt", "Em troca, a Rússia entregou à Coreia do Norte cerca de 800 mil barris de gasóleo, segundo imagens "
               "de petroleiros provenientes da Coreia do Norte."),
    ],
)
def test_verb_frame_beats_a_cue_in_another_clause(lang: str, text: str) -> None:
    assert found(text, lang) == {("petroleum", 800_000, "RU", "KP")}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "As the Russian envoy said after talks with Kim Jong Un in Pyongyang, 2,000 more deminers will "
               "arrive."),
        ("fr", "Comme l'a déclaré l'émissaire russe après un entretien avec Kim Jong Un à Pyongyang, 2 000 "
               "démineurs supplémentaires arriveront."),
        ("de", "Nach Gesprächen mit Kim Jong Un in Pjöngjang sagte der russische Minister, 2000 weitere "
               "Minenräumer würden bald eintreffen."),
        ("es", "Según dijo el enviado ruso tras reunirse con Kim Jong Un en Pyongyang, llegarán otros 2.000 "
               "zapadores."),
        ("it", "Come ha detto l'inviato russo dopo un incontro con Kim Jong Un a Pyongyang, arriveranno altri "
               "2.000 genieri."),
        ("pt", "Como disse o enviado russo depois de um encontro com Kim Jong-un em Pyongyang, vão chegar mais "
               "2000 sapadores."),
    ],
)
def test_a_meeting_place_is_no_destination(lang: str, text: str) -> None:
    assert found(text, lang) == {("troops", 2000, "KP", "RU")}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("pt", "Em contrapartida, a Coreia do Norte terá fornecido à Rússia cerca de 5 mil contentores."),
        ("pt", "A Coreia do Norte deverá enviar 5 mil contentores para um porto russo do Extremo Oriente."),
    ],
)
def test_an_article_opening_a_clause_is_no_destination(lang: str, text: str) -> None:
    assert found(text, lang) == {("containers", 5000, "KP", "RU")}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Iran has armed Russia for years, Iran's critics say, and Tehran denies it. Russia also receives arms "
               "from North Korea. Officials say 700 containers were shipped to Russia in March."),
        ("fr", "L'Iran arme la Russie depuis des années, selon les critiques de l'Iran, ce que Téhéran dément. La "
               "Russie reçoit aussi des armes en provenance de Corée du Nord. Selon des responsables, 700 conteneurs ont été "
               "expédiés vers la Russie en mars."),
        ("es", "Irán arma a Rusia desde hace años, según los críticos de Irán, algo que Teherán niega. Rusia recibe "
               "también armas desde Corea del Norte. Según funcionarios, 700 contenedores fueron enviados a Rusia "
               "en marzo."),
    ],
)
def test_the_missing_side_comes_from_the_previous_sentence(lang: str, text: str) -> None:
    assert found(text, lang) == {("containers", 700, "KP", "RU")}


# ------------------------------------------------------------------ distractors

@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "North Korea had sent by the end of 2024 some 14,000 troops to Russia.", {14000}),
        ("en", "Since autumn 2023 Iran has shipped more than 1,000 drones to Russia.", {1000}),
        ("fr", "La Corée du Nord a envoyé depuis l’automne 2023 plus de 10 000 soldats en Russie.", {10000}),
        ("de", "Nordkorea hat seit Herbst 2023 mehr als 10.000 Soldaten nach Russland geschickt.", {10000}),
        ("de", "Iran hat bis Ende 2024 insgesamt 3000 Drohnen an Russland geliefert.", {3000}),
        ("de", "Seit Oktober 2023 hat Iran 3000 Drohnen an Russland geliefert.", {3000}),
        ("es", "Corea del Norte ha enviado desde finales de 2023 más de 10.000 soldados a Rusia.", {10000}),
        ("it", "La Corea del Nord ha inviato dalla fine del 2023 oltre 10.000 soldati in Russia.", {10000}),
        ("pt", "A Coreia do Norte enviou desde o final de 2023 mais de 10 mil soldados para a Rússia.", {10000}),
    ],
)
def test_a_year_after_a_time_word_is_no_figure(lang: str, text: str, expected: set[int]) -> None:
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Pyongyang could send a few thousand troops to Russia."),
        ("en", "Pyongyang could send several thousand troops to Russia."),
        ("de", "Pjöngjang könnte einige tausend Soldaten nach Russland schicken."),
        ("de", "Pjöngjang könnte mehrere tausend Soldaten nach Russland schicken."),
        ("es", "Pyongyang envió a Rusia varios miles de soldados."),
        ("it", "Pyongyang ha inviato in Russia alcune migliaia di soldati."),
        ("pt", "Pyongyang enviou para a Rússia alguns milhares de soldados."),
        ("fr", "Pyongyang a envoyé en Russie plusieurs milliers de soldats."),
    ],
)
def test_vague_determiners_give_no_figure(lang: str, text: str) -> None:
    assert extract_claims(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Russia fired North Korean missiles, but one in every three missiles missed."),
        ("fr", "La Russie a tiré des missiles nord-coréens, mais un missile sur trois a raté sa cible."),
        ("de", "Russland setzte nordkoreanische Raketen ein, doch eine von drei Raketen verfehlte ihr Ziel."),
        ("es", "Rusia usó misiles norcoreanos, pero uno de cada tres misiles falló."),
        ("it", "La Russia ha usato missili nordcoreani, ma un missile su tre ha mancato il bersaglio."),
        ("pt", "A Rússia usou mísseis norte-coreanos, mas um em cada três mísseis falhou."),
    ],
)
def test_ratios_give_no_figure(lang: str, text: str) -> None:
    assert 3 not in values(text, lang)


# ------------------------------------------------------------------ casualties, counts

@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Kyiv announced the capture of three North Korean soldiers near the border."),
        ("fr", "Kiev a annoncé la capture de trois soldats nord-coréens près de la frontière."),
        ("de", "Kiew meldete die Gefangennahme von drei nordkoreanischen Soldaten an der Grenze."),
        ("es", "Kiev anunció la captura de tres soldados norcoreanos cerca de la frontera."),
        ("it", "Kiev ha annunciato la cattura di tre soldati nordcoreani vicino al confine."),
        ("pt", "Kiev anunciou a captura de três soldados norte-coreanos perto da fronteira."),
        ("es", "Las tropas ucranianas capturaron a tres militares norcoreanos cerca de la frontera."),
    ],
)
def test_captured_soldiers_are_casualties(lang: str, text: str) -> None:
    assert found(text, lang) == {("casualties", 3, "KP", "RU")}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Pyongyang a fourni à Moscou deux centaines de missiles balistiques."),
        ("es", "Pyongyang suministró a Moscú dos centenares de misiles balísticos."),
        ("it", "Pyongyang ha fornito a Mosca due centinaia di missili balistici."),
        ("pt", "Pyongyang forneceu a Moscovo duas centenas de mísseis balísticos."),
    ],
)
def test_a_number_of_hundreds(lang: str, text: str) -> None:
    assert found(text, lang) == {("missiles", 200, "KP", "RU")}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Russia handed North Korea three anti-aircraft batteries."),
        ("fr", "La Russie a livré à la Corée du Nord trois batteries de défense antiaérienne."),
        ("de", "Russland lieferte Nordkorea drei Flugabwehrbatterien."),
        ("es", "Rusia entregó a Corea del Norte tres baterías de defensa antiaérea."),
        ("it", "La Russia ha consegnato alla Corea del Nord tre batterie di difesa aerea."),
        ("pt", "A Rússia entregou à Coreia do Norte três baterias de defesa aérea."),
    ],
)
def test_air_defence_batteries(lang: str, text: str) -> None:
    assert found(text, lang) == {("air_defense_systems", 3, "RU", "KP")}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Rusia entregó a Corea del Norte al menos un sistema antiaéreo."),
        ("it", "La Russia ha consegnato alla Corea del Nord almeno un sistema antiaereo."),
        ("pt", "A Rússia entregou à Coreia do Norte pelo menos um sistema antiaéreo."),
    ],
)
def test_at_least_one_system(lang: str, text: str) -> None:
    assert found(text, lang) == {("air_defense_systems", 1, "RU", "KP")}


def test_a_strong_contingent() -> None:
    assert found("North Korea has moved a 4,000-strong contingent to the Russian border region.", "en") == {
        ("troops", 4000, "KP", "RU")
    }


# ------------------------------------------------------------------ status

@pytest.mark.parametrize(
    ("lang", "text", "status"),
    [
        ("de", "Bis März sollen 4000 nordkoreanische Soldaten in Russland eingetroffen sein.", "reported"),
        ("de", "Pjöngjang wird nach Angaben aus Seoul weitere 4000 Soldaten nach Russland schicken.", "planned"),
        ("de", "Pjöngjang könnte im Frühjahr bis zu 4000 Soldaten nach Russland schicken.", "planned"),
        ("it", "Pyongyang sarebbe pronta a inviare in Russia altri 4.000 soldati.", "planned"),
        ("pt", "A Coreia do Norte poderá enviar para a Rússia mais 4 mil soldados.", "planned"),
        ("pt", "Pyongyang desmentiu ter enviado 4 mil soldados para a Rússia.", "denied"),
        ("es", "Corea del Norte podría enviar a Rusia otros 4.000 soldados.", "planned"),
        ("fr", "La Corée du Nord pourrait envoyer en Russie 4 000 soldats de plus.", "planned"),
        ("en", "North Korea could deploy another 4,000 troops to Russia.", "planned"),
    ],
)
def test_status_cues(lang: str, text: str, status: str) -> None:
    claims = extract_claims(text, lang)
    assert [(c.value, c.status) for c in claims] == [(4000, status)]


# ------------------------------------------------------------------ HTML comments

@pytest.mark.parametrize("cls", ["comments", "acomments", "kommentare", "commenti", "comentarios", "comentários",
                                 "commentaires", "disqus_thread"])
def test_reader_comment_blocks_are_dropped(cls: str) -> None:
    body = "<p>" + "North Korea sent 12,000 troops to Russia. " * 10 + "</p>"
    html = f"<html><body><article>{body}</article><div class='{cls}'><p>Reader: 5,000!</p></div></body></html>"
    out = drop_comment_sections(html)
    assert "5,000" not in out and "12,000 troops" in out


def test_a_wrapper_named_after_comments_is_kept() -> None:
    body = "<p>" + "North Korea sent 12,000 troops to Russia. " * 10 + "</p>"
    html = f"<html><body><div class='post has-comments'>{body}<div id='kommentare'><p>Leser: 5000!</p></div></div></body></html>"
    out = drop_comment_sections(html)
    assert "12,000 troops" in out and "5000" not in out


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("it", "Sono circa 5.000 i militari nordcoreani giunti in Russia."),
        ("es", "Son unos 5.000 los militares norcoreanos llegados a Rusia."),
        ("pt", "São cerca de 5000 os militares norte-coreanos que chegaram à Rússia."),
        ("fr", "Ils seraient environ 5 000 les militaires nord-coréens arrivés en Russie."),
    ],
)
def test_inverted_copula_with_article(lang: str, text: str) -> None:
    assert found(text, lang) == {("troops", 5000, "KP", "RU")}


@pytest.mark.parametrize(
    "text",
    [
        "Kiew wirft Nordkorea vor, bis zu 5000 Soldaten für den Krieg gegen die Ukraine zu entsenden.",
        "Der Geheimdienst hält es für möglich, dass Nordkorea 5000 Soldaten für den Krieg gegen die Ukraine bereitstellen wird.",
    ],
)
def test_a_verb_at_the_end_of_the_clause(text: str) -> None:
    assert found(text, "de") == {("troops", 5000, "KP", "RU")}


# ------------------------------------------------------------------ own use, production, rates

@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "North Korea sends shells to Russia. Russian gunners fired roughly 8,000 shells a day in the spring."),
        ("en", "Iran helps Russia. Russia launched over 3,000 drones at Kharkiv in the first half of the year."),
        ("en", "Iran helps Russia. The plant in Tatarstan is meant to produce 5,000 drones next year."),
        ("fr", "L'Iran aide la Russie. L'armée russe a lancé 60 drones et trois missiles dans la nuit sur Odessa."),
        ("fr", "L'Iran aide la Russie. L'usine vise une production de 5 000 drones par an."),
        ("de", "Iran unterstützt Russland. In der Nacht wurden 60 Drohnen auf Odessa abgefeuert."),
        ("de", "Iran unterstützt Russland. Das Werk soll jährlich 5000 Drohnen produzieren."),
        ("es", "Irán ayuda a Rusia. Rusia disparó 8.000 proyectiles al día durante la ofensiva."),
        ("es", "Irán ayuda a Rusia. La fábrica prevé una producción de 5.000 drones al año."),
        ("it", "L'Iran aiuta la Russia. Nella notte la Russia ha lanciato 60 droni su Odessa."),
        ("it", "L'Iran aiuta la Russia. La fabbrica punta a una produzione di 5.000 droni all'anno."),
        ("pt", "O Irão ajuda a Rússia. A Rússia lançou 60 drones contra Odessa durante a noite."),
        ("pt", "O Irão ajuda a Rússia. A fábrica tem como meta a produção de 5 mil drones por ano."),
    ],
)
def test_own_use_production_and_rates_are_no_transfer(lang: str, text: str) -> None:
    assert extract_claims(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Russia has fired more than 50 North Korean missiles at Ukraine.", ("missiles", 50, "KP", "RU")),
        ("fr", "La Russie a tiré plus de 50 missiles nord-coréens sur l'Ukraine.", ("missiles", 50, "KP", "RU")),
        ("de", "Russland hat mehr als 50 nordkoreanische Raketen auf die Ukraine abgefeuert.", ("missiles", 50, "KP", "RU")),
        ("es", "Rusia ha disparado más de 50 misiles norcoreanos contra Ucrania.", ("missiles", 50, "KP", "RU")),
        ("it", "La Russia ha lanciato oltre 50 missili nordcoreani contro l'Ucraina.", ("missiles", 50, "KP", "RU")),
        ("pt", "A Rússia disparou mais de 50 mísseis norte-coreanos contra a Ucrânia.", ("missiles", 50, "KP", "RU")),
    ],
)
def test_use_of_supplied_weapons_still_counts(lang: str, text: str, expected: tuple) -> None:
    assert found(text, lang) == {expected}


# ------------------------------------------------------------------ caps and one vehicle's capacity

@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Russia sells oil to North Korea. UN rules limit North Korea's fuel imports to 400,000 barrels a year."),
        ("en", "Russia sells oil to North Korea. Each tanker can carry up to 40,000 barrels."),
        ("fr", "La Russie vend du pétrole à la Corée du Nord. L'ONU plafonne les importations nord-coréennes à 400 000 barils."),
        ("de", "Russland verkauft Öl an Nordkorea. Die UN erlauben Nordkorea nur 400.000 Barrel pro Jahr."),
        ("es", "Rusia vende petróleo a Corea del Norte. La ONU limita las compras norcoreanas a 400.000 barriles."),
        ("it", "La Russia vende petrolio alla Corea del Nord. Ogni petroliera può trasportare fino a 40.000 barili."),
        ("pt", "A Rússia vende petróleo à Coreia do Norte. A ONU limita as importações norte-coreanas a 400 mil barris."),
    ],
)
def test_a_stated_cap_or_capacity_is_no_transfer(lang: str, text: str) -> None:
    assert extract_claims(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Russia shipped North Korea oil exceeding the 400,000-barrel limit."),
        ("es", "Rusia envió petróleo a Corea del Norte superando el límite de 400.000 barriles."),
    ],
)
def test_an_exceeded_cap_is_a_claim(lang: str, text: str) -> None:
    claims = extract_claims(text, lang)
    assert [(c.value, c.qualifier) for c in claims] == [(400_000, "at_least")]


# ------------------------------------------------------------------ elliptic figures

@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Pyongyang sent 8,000 troops to Russia last year and another 2,500 in March.",
         {("troops", 8000), ("troops", 2500)}),
        ("en", "Iran handed Russia 900 drones; Moscow has already launched at least 400 of them.",
         {("drones", 900), ("drones", 400)}),
        ("fr", "Pyongyang a envoyé 8 000 soldats en Russie l'an dernier, et 2 500 autres en mars.",
         {("troops", 8000), ("troops", 2500)}),
        ("fr", "L'Iran a livré 900 drones à la Russie, et Moscou en a déjà tiré au moins 400 d’entre eux.",
         {("drones", 900), ("drones", 400)}),
        ("de", "Nordkorea hat 8000 Soldaten nach Russland geschickt. Davon wurden etwa 2500 verwundet.",
         {("troops", 8000), ("casualties", 2500)}),
        ("de", "Nordkorea schickte 8000 Soldaten nach Russland und im März weitere 2500.",
         {("troops", 8000), ("troops", 2500)}),
        ("es", "Irán entregó 900 drones a Rusia, que ya ha lanzado al menos 400 de ellos.",
         {("drones", 900), ("drones", 400)}),
        ("es", "Pyongyang envió 8.000 soldados a Rusia el año pasado y otros 2.500 en marzo.",
         {("troops", 8000), ("troops", 2500)}),
        ("it", "Pyongyang ha inviato 8.000 soldati in Russia e ne sono arrivati altri 2.500 a marzo.",
         {("troops", 8000), ("troops", 2500)}),
        ("it", "I lavoratori nordcoreani in Russia, stimati in oltre 2.500, arrivano da Pyongyang.",
         {("workers", 2500)}),
        ("pt", "Pyongyang enviou 8 mil soldados para a Rússia e outros 2500 em março.",
         {("troops", 8000), ("troops", 2500)}),
        ("pt", "O Irão entregou 900 drones à Rússia, que já lançou pelo menos 400 deles.",
         {("drones", 900), ("drones", 400)}),
    ],
)
def test_elliptic_figures_take_the_noun_said_before(lang: str, text: str, expected: set) -> None:
    assert {(c.category, c.value) for c in extract_claims(text, lang)} == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "North Korea sent 8,000 troops to Russia. One of them, 19, was captured."),
        ("pt", "A Coreia do Norte enviou 8 mil soldados para a Rússia, segundo os EUA e outros sete países."),
        ("it", "La Russia ha ricevuto 8.000 soldati nordcoreani, ma ha una carenza stimata in 1,5 milioni di persone."),
    ],
)
def test_no_elliptic_figure_before_another_noun_or_for_one_person(lang: str, text: str) -> None:
    assert {c.value for c in extract_claims(text, lang)} == {8000}


# ------------------------------------------------------------------ losses of the sentence's subject

@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "North Korea sent troops. Russia, whose army numbers over a million, has lost more than 700,000 men since 2022."),
        ("fr", "La Corée du Nord a envoyé des troupes. La Russie, dont l'armée compte un million d'hommes, a perdu plus de 700 000 hommes depuis 2022."),
        ("de", "Nordkorea hat Truppen geschickt. Russland, dessen Armee eine Million Mann zählt, hat seit 2022 mehr als 700.000 Mann verloren."),
        ("es", "Corea del Norte envió tropas. Rusia, cuyo ejército supera el millón de efectivos, ha perdido más de 700.000 hombres desde 2022."),
        ("it", "La Corea del Nord ha inviato truppe. La Russia, il cui esercito supera il milione di uomini, ha perso oltre 700.000 uomini dal 2022."),
        ("pt", "A Coreia do Norte enviou tropas. A Rússia, cujo exército ultrapassa um milhão de homens, perdeu mais de 700 mil homens desde 2022."),
    ],
)
def test_losses_of_the_sentence_subject(lang: str, text: str) -> None:
    assert extract_claims(text, lang) == []


def test_losses_of_a_watched_subject_count() -> None:
    text = "North Korea, which has sent troops to Russia, has lost more than 4,000 men."
    assert found(text, "en") == {("casualties", 4000, "KP", "RU")}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "North Korea supplied Russia with 170-millimetre guns and 50 howitzers."),
        ("de", "Nordkorea lieferte Russland 170-Millimeter-Geschütze und 50 Haubitzen."),
        ("de", "Nordkorea lieferte Russland 152-mm-Granaten und 50 Haubitzen."),
        ("fr", "Pyongyang a fourni à Moscou 50 obusiers de 170 millimètres."),
        ("es", "Pyongyang suministró a Moscú 50 obuses de 170 milímetros."),
        ("it", "Pyongyang ha fornito a Mosca 50 obici da 170 millimetri."),
        ("pt", "Pyongyang forneceu a Moscovo 50 obuses de 170 milímetros."),
    ],
)
def test_a_calibre_is_no_count(lang: str, text: str) -> None:
    assert {c.value for c in extract_claims(text, lang)} == {50}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", 'North Korea sent troops to Russia. Seoul says "about 4,000" North Korean soldiers were killed or wounded.'),
        ("fr", "La Corée du Nord a envoyé des troupes en Russie. Selon Séoul, «environ 4 000» soldats nord-coréens ont été tués ou blessés."),
        ("de", "Nordkorea hat Truppen nach Russland geschickt. Laut Seoul wurden „rund 4000“ nordkoreanische Soldaten getötet oder verwundet."),
        ("es", "Corea del Norte envió tropas a Rusia. Según Seúl, «unos 4.000» soldados norcoreanos murieron o resultaron heridos."),
        ("it", "La Corea del Nord ha inviato truppe in Russia. Secondo Seul, «circa 4.000» soldati nordcoreani sono stati uccisi o feriti."),
        ("pt", "A Coreia do Norte enviou tropas para a Rússia. Segundo Seul, «cerca de 4000» soldados norte-coreanos foram mortos ou feridos."),
    ],
)
def test_a_quoted_figure(lang: str, text: str) -> None:
    assert found(text, lang) == {("casualties", 4000, "KP", "RU")}
