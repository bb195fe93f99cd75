"""A realistic, reproducible benchmark corpus: news article pages in six languages, split over RSS feeds.

    python bench/corpus.py generate DIR --pages 2000 --feeds 200 [--seed 8]
    python bench/corpus.py serve DIR            # prints {"hosts": {...}} as JSON, serves until stdin closes

Every page is a full news page with the boilerplate a real one carries
(cookie banner, navigation, breadcrumbs, share buttons, a "most read" box,
related links, a comment section that itself quotes figures, a footer), around
an article of 6-12 paragraphs in en/fr/de/es/it/pt. Articles mix filler
sentences (randomised slots, so documents are not near-duplicates of one
another) with sentences carrying random figures in the language's own number
style ("more than 11,000 North Korean soldiers", "plus de 20 000 conteneurs",
"über 9 Millionen Artilleriegeschosse"), and sentences naming ships, firms and
people found in no other article, so unrelated articles share few word
4-shingles (mean Jaccard ~0.03, as real news). About 3% of the articles are
republished under a second URL with other boilerplate (exact duplicates of
the text, for the ledger's dedup).

Pages are written to disk one at a time (nothing is held in memory) and spread
over the hostnames 127.0.0.2 .. 127.0.0.9 (all loopback on Linux), so that
per-host politeness limits behave as with eight real sites. Feeds (RSS 2.0,
with an ETag, so a re-poll is answered 304) are spread over 127.0.0.1 .. 127.0.0.9.

`serve` runs in its own process (the benchmark starts it as a subprocess, so
serving does not compete with the measured process for its GIL) and counts
requests per kind; GET /_stats returns {"feed": n, "page": n, "304": n}.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

LANGS = ("en", "fr", "de", "es", "it", "pt")
SYNDICATED_EVERY = 37
PAGE_HOSTS = tuple(f"127.0.0.{i}" for i in range(2, 10))
FEED_HOST = "127.0.0.1"
HOSTS = (FEED_HOST, *PAGE_HOSTS)  # feeds are spread over all of them, as sites each publish their own


def feed_url(f: int, ports: dict[str, int]) -> str:
    """URL of feed `f` once `serve` runs on `ports`."""
    host = HOSTS[f % len(HOSTS)]
    return f"http://{host}:{ports[host]}/feeds/feed-{f}.xml"


# ---------------------------------------------------------------- numbers in each language's style


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def fmt_number(n: int, lang: str, rng: random.Random) -> str:
    """A count as a journalist of that language writes it."""
    if n >= 1_000_000 and n % 100_000 == 0:
        m = n / 1_000_000
        ms = f"{m:g}" if lang == "en" else f"{m:g}".replace(".", ",")
        word = {"en": "million", "fr": "millions", "de": rng.choice(["Millionen", "Mio."]), "es": "millones",
                "it": "milioni", "pt": "milhões"}[lang]
        if lang == "fr" and m < 2:
            word = "million"
        if lang == "es" and m < 2:
            word = "millón"
        if lang == "it" and m < 2:
            word = "milione"
        if lang == "pt" and m < 2:
            word = "milhão"
        de = " de" if lang in ("fr", "es") else ""
        return f"{ms} {word}{de}"
    if lang == "en":
        return _group(n, ",")
    if lang == "fr":
        return _group(n, rng.choice([" ", "\u202f", "\u00a0"]))
    if lang == "pt" and n >= 1000 and n % 1000 == 0 and rng.random() < 0.5:
        return f"{n // 1000} mil"
    return _group(n, ".")


def _value(rng: random.Random, kind: str) -> int:
    if kind == "millions":
        return rng.choice([1, 2, 3, 5, 6, 8, 9, 12]) * 1_000_000 + rng.choice([0, 500_000])
    if kind == "thousands":
        return rng.randrange(2, 60) * 1000 + rng.choice([0, 0, 500])
    return rng.randrange(12, 900)


# ---------------------------------------------------------------- language material

# Figure sentences: {n} is a formatted number; each one is a claim the extractor should find.
FIGURES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("thousands", "North Korea has sent more than {n} soldiers to Russia, {source} said on {day}."),
        ("thousands", "According to {source}, about {n} North Korean troops are now deployed in the Kursk region."),
        ("millions", "Pyongyang has shipped up to {n} artillery shells to Moscow since {year}, officials said."),
        ("thousands", "Satellite images show that North Korea delivered some {n} containers of munitions to Russia."),
        ("small", "At least {n} ballistic missiles were supplied by North Korea to Russia, {source} said."),
        ("small", "Iran has transferred {n} drones to Russia since the summer, according to {source}."),
        ("thousands", "Russia has received nearly {n} North Korean workers on construction sites, {source} reported."),
    ],
    "fr": [
        ("thousands", "La Corée du Nord a envoyé plus de {n} soldats en Russie, selon {source}."),
        ("thousands", "Pyongyang a livré environ {n} conteneurs de munitions à Moscou depuis {year}, a indiqué {source}."),
        ("millions", "La Corée du Nord aurait fourni à la Russie jusqu'à {n} obus d'artillerie, selon {source}."),
        ("small", "Au moins {n} missiles balistiques ont été livrés par la Corée du Nord à la Russie, selon {source}."),
        ("thousands", "Quelque {n} ouvriers nord-coréens travaillent désormais en Russie, a affirmé {source} {day}."),
        ("small", "L'Iran a fourni {n} drones à la Russie depuis l'été, d'après {source}."),
    ],
    "de": [
        ("thousands", "Nordkorea hat laut {source} mehr als {n} Soldaten nach Russland geschickt."),
        ("millions", "Pjöngjang lieferte über {n} Artilleriegeschosse an Moskau, wie {source} am {day} mitteilte."),
        ("thousands", "Nach Angaben von {source} hat Nordkorea rund {n} Container mit Munition nach Russland gebracht."),
        ("small", "Mindestens {n} ballistische Raketen hat Nordkorea an Russland geliefert, so {source}."),
        ("small", "Iran hat Russland seit {year} etwa {n} Drohnen geliefert, berichtet {source}."),
        ("thousands", "Etwa {n} nordkoreanische Arbeiter sind laut {source} in Russland eingesetzt."),
    ],
    "es": [
        ("thousands", "Corea del Norte ha enviado más de {n} soldados a Rusia, según {source}."),
        ("millions", "Pyongyang ha entregado hasta {n} proyectiles de artillería a Moscú desde {year}, según {source}."),
        ("thousands", "Corea del Norte envió unos {n} contenedores de munición a Rusia, informó {source} el {day}."),
        ("small", "Al menos {n} misiles balísticos fueron entregados por Corea del Norte a Rusia, según {source}."),
        ("small", "Irán ha suministrado {n} drones a Rusia desde el verano, según {source}."),
        ("thousands", "Cerca de {n} trabajadores norcoreanos han llegado a Rusia, según {source}."),
    ],
    "it": [
        ("thousands", "La Corea del Nord ha inviato oltre {n} soldati in Russia, secondo {source}."),
        ("millions", "Pyongyang ha consegnato fino a {n} proiettili di artiglieria a Mosca dal {year}, secondo {source}."),
        ("thousands", "La Corea del Nord ha spedito circa {n} container di munizioni in Russia, ha detto {source}."),
        ("small", "Almeno {n} missili balistici sono stati forniti dalla Corea del Nord alla Russia, secondo {source}."),
        ("small", "L'Iran ha consegnato alla Russia almeno {n} droni, secondo {source}."),
        ("thousands", "Circa {n} lavoratori nordcoreani sono arrivati in Russia, secondo {source}."),
    ],
    "pt": [
        ("thousands", "A Coreia do Norte enviou mais de {n} soldados para a Rússia, segundo {source}."),
        ("millions", "Pyongyang forneceu à Rússia até {n} projéteis de artilharia desde {year}, segundo {source}."),
        ("thousands", "A Coreia do Norte entregou cerca de {n} contentores de munições a Moscovo, segundo {source}."),
        ("small", "Pelo menos {n} mísseis balísticos foram entregues pela Coreia do Norte à Rússia, segundo {source}."),
        ("small", "O Irão forneceu {n} drones à Rússia desde o verão, segundo {source}."),
        ("thousands", "Cerca de {n} trabalhadores norte-coreanos chegaram à Rússia, segundo {source}."),
    ],
}

# Filler: slot-filled sentences, so no two articles share long word runs.
FILLER: dict[str, dict[str, Any]] = {
    "en": {
        "t": [
            "{person}, a {role} at {org}, said the {thing} would be discussed in {city} next {weekday}.",
            "The {thing} has been criticised by {org}, which called for a {adj} response from {city}.",
            "Diplomats in {city} described the talks as {adj}, although no joint statement was issued.",
            "{person} told reporters in {city} that the {thing} remained under review by {org}.",
            "Analysts at {org} warned that the {thing} could have {adj} consequences for the region.",
            "The ministry in {city} declined to comment on the {thing} when contacted on {weekday}.",
            "Earlier this month, {person} met officials from {org} in {city} to discuss the {thing}.",
            "Observers say the {thing} reflects a {adj} shift in how {org} approaches the issue.",
        ],
        "person": ["John Miller", "Sarah Kim", "David Chen", "Anna Novak", "Peter Hall", "Laura Evans", "Mark Young"],
        "role": ["senior fellow", "spokesperson", "researcher", "former diplomat", "defence analyst"],
        "org": ["the Atlantic Council", "the UN panel", "the think tank", "the foreign ministry", "the committee"],
        "city": ["Washington", "Brussels", "Geneva", "London", "Tokyo", "Vienna", "New York"],
        "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "thing": ["sanctions package", "monitoring report", "shipping data", "export ban", "enforcement plan"],
        "adj": ["coordinated", "cautious", "firm", "measured", "swift", "unprecedented"],
        "source": ["South Korean intelligence", "the MSMT report", "Ukrainian officials", "the Pentagon",
                   "a UN panel of experts", "Western officials"],
    },
    "fr": {
        "t": [
            "{person}, {role} à {org}, a déclaré que le {thing} serait examiné à {city} {weekday} prochain.",
            "Le {thing} a été critiqué par {org}, qui réclame une réponse {adj} de la part de {city}.",
            "Des diplomates à {city} ont qualifié les discussions de {adj}, sans déclaration commune.",
            "{person} a indiqué à la presse à {city} que le {thing} restait à l'étude au sein de {org}.",
            "Selon les analystes de {org}, le {thing} pourrait avoir des conséquences {adj} pour la région.",
            "Le ministère à {city} n'a pas souhaité commenter le {thing} lorsqu'il a été contacté {weekday}.",
            "Plus tôt ce mois-ci, {person} a rencontré des responsables de {org} à {city} au sujet du {thing}.",
        ],
        "person": ["Jean Martin", "Claire Dubois", "Luc Bernard", "Sophie Laurent", "Marc Petit", "Julie Moreau"],
        "role": ["chercheur", "porte-parole", "ancien diplomate", "analyste de défense"],
        "org": ["l'IRIS", "le panel de l'ONU", "la commission", "le Quai d'Orsay", "l'observatoire"],
        "city": ["Paris", "Bruxelles", "Genève", "Strasbourg", "Lyon", "New York"],
        "weekday": ["lundi", "mardi", "mercredi", "jeudi", "vendredi"],
        "thing": ["rapport de suivi", "paquet de sanctions", "dispositif de contrôle", "embargo", "plan d'action"],
        "adj": ["coordonnée", "prudente", "ferme", "mesurée", "rapide", "inédite"],
        "source": ["le renseignement sud-coréen", "le rapport du MSMT", "des responsables ukrainiens",
                   "le Pentagone", "un groupe d'experts de l'ONU"],
    },
    "de": {
        "t": [
            "{person}, {role} bei {org}, sagte, das {thing} werde am {weekday} in {city} beraten.",
            "Das {thing} wurde von {org} kritisiert, die eine {adj} Reaktion aus {city} forderte.",
            "Diplomaten in {city} nannten die Gespräche {adj}, eine gemeinsame Erklärung gab es nicht.",
            "{person} sagte Journalisten in {city}, das {thing} werde von {org} weiterhin geprüft.",
            "Fachleute von {org} warnten, das {thing} könne {adj} Folgen für die Region haben.",
            "Das Ministerium in {city} wollte sich am {weekday} nicht zu dem {thing} äußern.",
            "Anfang des Monats traf {person} Vertreter von {org} in {city}, um über das {thing} zu sprechen.",
        ],
        "person": ["Thomas Müller", "Anna Schmidt", "Klaus Weber", "Julia Fischer", "Stefan Wagner", "Eva Becker"],
        "role": ["Forscher", "Sprecherin", "ehemaliger Diplomat", "Sicherheitsexperte"],
        "org": ["der SWP", "dem UN-Gremium", "dem Ausschuss", "dem Auswärtigen Amt", "der Stiftung"],
        "city": ["Berlin", "Brüssel", "Genf", "Wien", "München", "New York"],
        "weekday": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"],
        "thing": ["Sanktionspaket", "Kontrollverfahren", "Exportverbot", "Lagebild", "Maßnahmenpaket"],
        "adj": ["abgestimmte", "vorsichtige", "entschlossene", "maßvolle", "rasche", "beispiellose"],
        "source": ["dem südkoreanischen Geheimdienst", "dem MSMT-Bericht", "ukrainischen Angaben",
                   "dem Pentagon", "einem UN-Expertengremium"],
    },
    "es": {
        "t": [
            "{person}, {role} de {org}, dijo que el {thing} se debatirá en {city} el próximo {weekday}.",
            "El {thing} ha sido criticado por {org}, que pidió una respuesta {adj} desde {city}.",
            "Diplomáticos en {city} calificaron las conversaciones de {adj}, sin declaración conjunta.",
            "{person} dijo a los periodistas en {city} que el {thing} sigue en estudio en {org}.",
            "Los analistas de {org} advirtieron de que el {thing} podría tener consecuencias {adj}.",
            "El ministerio en {city} declinó comentar el {thing} cuando fue contactado el {weekday}.",
        ],
        "person": ["Juan García", "María López", "Carlos Ruiz", "Lucía Fernández", "Pablo Sánchez"],
        "role": ["investigador", "portavoz", "exdiplomático", "analista de defensa"],
        "org": ["el Real Instituto Elcano", "el panel de la ONU", "la comisión", "el Ministerio de Exteriores"],
        "city": ["Madrid", "Bruselas", "Ginebra", "Barcelona", "Nueva York"],
        "weekday": ["lunes", "martes", "miércoles", "jueves", "viernes"],
        "thing": ["paquete de sanciones", "informe de seguimiento", "embargo", "plan de control"],
        "adj": ["coordinada", "prudente", "firme", "mesurada", "rápida", "inédita"],
        "source": ["la inteligencia surcoreana", "el informe del MSMT", "fuentes ucranianas", "el Pentágono"],
    },
    "it": {
        "t": [
            "{person}, {role} presso {org}, ha detto che il {thing} sarà discusso a {city} {weekday} prossimo.",
            "Il {thing} è stato criticato da {org}, che ha chiesto una risposta {adj} da {city}.",
            "I diplomatici a {city} hanno definito i colloqui {adj}, senza una dichiarazione comune.",
            "{person} ha detto ai giornalisti a {city} che il {thing} è ancora all'esame di {org}.",
            "Gli analisti di {org} avvertono che il {thing} potrebbe avere conseguenze {adj}.",
            "Il ministero a {city} non ha voluto commentare il {thing} quando è stato contattato {weekday}.",
        ],
        "person": ["Marco Rossi", "Giulia Bianchi", "Luca Romano", "Chiara Ricci", "Paolo Greco"],
        "role": ["ricercatore", "portavoce", "ex diplomatico", "analista della difesa"],
        "org": ["l'ISPI", "il panel dell'ONU", "la commissione", "la Farnesina"],
        "city": ["Roma", "Bruxelles", "Ginevra", "Milano", "New York"],
        "weekday": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì"],
        "thing": ["pacchetto di sanzioni", "rapporto di monitoraggio", "embargo", "piano di controllo"],
        "adj": ["coordinata", "prudente", "ferma", "misurata", "rapida", "inedita"],
        "source": ["l'intelligence sudcoreana", "il rapporto del MSMT", "fonti ucraine", "il Pentagono"],
    },
    "pt": {
        "t": [
            "{person}, {role} do {org}, disse que o {thing} será debatido em {city} na próxima {weekday}.",
            "O {thing} foi criticado pelo {org}, que pediu uma resposta {adj} de {city}.",
            "Diplomatas em {city} classificaram as conversações de {adj}, sem declaração conjunta.",
            "{person} disse aos jornalistas em {city} que o {thing} continua em análise no {org}.",
            "Os analistas do {org} alertaram que o {thing} pode ter consequências {adj} para a região.",
            "O ministério em {city} não quis comentar o {thing} quando contactado na {weekday}.",
        ],
        "person": ["João Silva", "Maria Santos", "Pedro Costa", "Ana Ferreira", "Rui Oliveira"],
        "role": ["investigador", "porta-voz", "antigo diplomata", "analista de defesa"],
        "org": ["IPRI", "painel da ONU", "comité", "Ministério dos Negócios Estrangeiros"],
        "city": ["Lisboa", "Bruxelas", "Genebra", "Porto", "Nova Iorque"],
        "weekday": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira"],
        "thing": ["pacote de sanções", "relatório de acompanhamento", "embargo", "plano de controlo"],
        "adj": ["coordenada", "prudente", "firme", "ponderada", "rápida", "inédita"],
        "source": ["a inteligência sul-coreana", "o relatório do MSMT", "fontes ucranianas", "o Pentágono"],
    },
}

# Sentences naming ships, firms, ports and people that exist in no other article, as real reporting does:
# they keep unrelated articles far apart for near-duplicate detection (Jaccard of 4-shingles ~0.05).
ENTITY_SENTENCES: dict[str, list[str]] = {
    "en": [
        '"The vessel {ship}, managed by {firm}, switched off its transponder near {port} on {date}," {person} said.',
        "Records filed by {firm} show that the tanker {ship} called at {port} on {date}.",
        "{person} of {org} said {firm} had denied any link to the {ship} shipments.",
    ],
    "fr": [
        "Le navire {ship}, géré par {firm}, a coupé son transpondeur près de {port} le {date}, selon {person}.",
        "Des documents déposés par {firm} montrent que le pétrolier {ship} a fait escale à {port} le {date}.",
        "{person}, de {org}, a indiqué que {firm} niait tout lien avec les cargaisons du {ship}.",
    ],
    "de": [
        "Das Schiff {ship}, betrieben von {firm}, schaltete am {date} vor {port} seinen Transponder ab, sagte {person}.",
        "Unterlagen von {firm} zeigen, dass der Tanker {ship} am {date} in {port} anlegte.",
        "{person} von {org} sagte, {firm} bestreite jede Verbindung zu den Lieferungen der {ship}.",
    ],
    "es": [
        "El buque {ship}, gestionado por {firm}, apagó su transpondedor cerca de {port} el {date}, según {person}.",
        "Documentos presentados por {firm} muestran que el petrolero {ship} atracó en {port} el {date}.",
        "{person}, de {org}, dijo que {firm} negó cualquier vínculo con los envíos del {ship}.",
    ],
    "it": [
        "La nave {ship}, gestita da {firm}, ha spento il transponder vicino a {port} il {date}, secondo {person}.",
        "Documenti depositati da {firm} mostrano che la petroliera {ship} ha fatto scalo a {port} il {date}.",
        "{person}, di {org}, ha detto che {firm} ha negato ogni legame con i carichi della {ship}.",
    ],
    "pt": [
        "O navio {ship}, gerido pela {firm}, desligou o transponder perto de {port} a {date}, segundo {person}.",
        "Documentos apresentados pela {firm} mostram que o petroleiro {ship} atracou em {port} a {date}.",
        "{person}, do {org}, disse que a {firm} negou qualquer ligação aos carregamentos do {ship}.",
    ],
}
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
}
MONTHS: dict[str, list[str]] = {k: v.split() for k, v in _MONTHS.items()}
PORTS = ["Nakhodka", "Vostochny", "Rajin", "Nampo", "Vladivostok", "Chongjin", "Novorossiysk", "Bandar Abbas"]
FIRM_SUFFIX = ["Trading Ltd", "Shipping Co", "Logistics LLC", "Marine SA", "Holdings", "Maritime Ltd"]
_SYLL = ["ka", "ro", "min", "ta", "vel", "so", "dan", "ri", "mar", "lo", "chen", "pa", "kov", "ne", "zu", "han"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLL) for _ in range(rng.randint(2, 3))).capitalize()


BOILER: dict[str, dict[str, Any]] = {
    "en": {"nav": ["Home", "World", "Politics", "Business", "Asia", "Europe", "Opinion", "Video", "Podcasts"],
           "cookie": "We use cookies to improve your experience, personalise content and analyse our traffic. "
                     "By clicking Accept all you agree to the storing of cookies on your device.",
           "accept": "Accept all", "related": "Related stories", "most": "Most read", "comments": "Comments",
           "footer": "© 2025 Example News Group. All rights reserved. Terms of use · Privacy policy · Contact us",
           "share": ["Share on Facebook", "Share on X", "Email"], "by": "By",
           "comment": ["I read somewhere it was more than {n} soldiers, who knows.", "Nonsense, they never sent {n} "
                       "shells.", "Great article, thanks.", "When will the sanctions finally work?"],
           "headline": ["Sanctions monitor warns of new shipments", "Talks stall over export controls",
                        "Analysts question enforcement", "Ports under scrutiny", "Envoys meet in Geneva"]},
    "fr": {"nav": ["Accueil", "International", "Politique", "Économie", "Asie", "Europe", "Débats", "Vidéos"],
           "cookie": "Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience. En cliquant "
                     "sur Tout accepter, vous consentez au dépôt de cookies sur votre appareil.",
           "accept": "Tout accepter", "related": "À lire aussi", "most": "Les plus lus", "comments": "Réactions",
           "footer": "© 2025 Exemple Médias. Tous droits réservés. Mentions légales · Confidentialité · Contact",
           "share": ["Partager sur Facebook", "Partager sur X", "Envoyer par e-mail"], "by": "Par",
           "comment": ["On parlait de plus de {n} soldats, qui sait.", "Article intéressant, merci.",
                       "Quand les sanctions vont-elles enfin marcher ?"],
           "headline": ["Sanctions : le panel alerte", "Blocage sur les exportations", "Les ports sous surveillance",
                        "Rencontre des émissaires à Genève", "Les experts s'interrogent"]},
    "de": {"nav": ["Startseite", "Ausland", "Politik", "Wirtschaft", "Asien", "Europa", "Meinung", "Videos"],
           "cookie": "Wir verwenden Cookies, um Ihr Erlebnis zu verbessern und unsere Reichweite zu messen. Mit "
                     "Klick auf Alle akzeptieren stimmen Sie der Speicherung von Cookies zu.",
           "accept": "Alle akzeptieren", "related": "Mehr zum Thema", "most": "Meistgelesen", "comments": "Kommentare",
           "footer": "© 2025 Beispiel Medien GmbH. Alle Rechte vorbehalten. Impressum · Datenschutz · Kontakt",
           "share": ["Auf Facebook teilen", "Auf X teilen", "Per E-Mail senden"], "by": "Von",
           "comment": ["Ich habe von über {n} Soldaten gelesen, wer weiß.", "Guter Artikel, danke.",
                       "Wann wirken die Sanktionen endlich?"],
           "headline": ["Sanktionsbeobachter warnt", "Streit um Exportkontrollen", "Häfen im Blick",
                        "Gesandte treffen sich in Genf", "Experten zweifeln"]},
    "es": {"nav": ["Portada", "Internacional", "Política", "Economía", "Asia", "Europa", "Opinión", "Vídeos"],
           "cookie": "Utilizamos cookies para mejorar su experiencia y analizar nuestro tráfico. Al hacer clic en "
                     "Aceptar todo, acepta el almacenamiento de cookies en su dispositivo.",
           "accept": "Aceptar todo", "related": "Noticias relacionadas", "most": "Lo más leído",
           "comments": "Comentarios",
           "footer": "© 2025 Ejemplo Noticias. Todos los derechos reservados. Aviso legal · Privacidad · Contacto",
           "share": ["Compartir en Facebook", "Compartir en X", "Enviar por correo"], "by": "Por",
           "comment": ["Leí que eran más de {n} soldados, quién sabe.", "Buen artículo, gracias.",
                       "¿Cuándo funcionarán las sanciones?"],
           "headline": ["Alerta del panel de sanciones", "Bloqueo en las exportaciones", "Puertos bajo vigilancia",
                        "Reunión de enviados en Ginebra", "Dudas de los expertos"]},
    "it": {"nav": ["Home", "Esteri", "Politica", "Economia", "Asia", "Europa", "Opinioni", "Video"],
           "cookie": "Utilizziamo i cookie per migliorare la tua esperienza e analizzare il traffico. Cliccando su "
                     "Accetta tutto acconsenti alla memorizzazione dei cookie sul tuo dispositivo.",
           "accept": "Accetta tutto", "related": "Leggi anche", "most": "I più letti", "comments": "Commenti",
           "footer": "© 2025 Esempio Media. Tutti i diritti riservati. Note legali · Privacy · Contatti",
           "share": ["Condividi su Facebook", "Condividi su X", "Invia per email"], "by": "Di",
           "comment": ["Ho letto di oltre {n} soldati, chissà.", "Bell'articolo, grazie.",
                       "Quando funzioneranno le sanzioni?"],
           "headline": ["L'allarme del panel sulle sanzioni", "Stallo sulle esportazioni", "Porti sotto osservazione",
                        "Inviati a Ginevra", "I dubbi degli esperti"]},
    "pt": {"nav": ["Início", "Mundo", "Política", "Economia", "Ásia", "Europa", "Opinião", "Vídeos"],
           "cookie": "Utilizamos cookies para melhorar a sua experiência e analisar o tráfego. Ao clicar em Aceitar "
                     "tudo, concorda com o armazenamento de cookies no seu dispositivo.",
           "accept": "Aceitar tudo", "related": "Leia também", "most": "Mais lidas", "comments": "Comentários",
           "footer": "© 2025 Exemplo Media. Todos os direitos reservados. Termos · Privacidade · Contactos",
           "share": ["Partilhar no Facebook", "Partilhar no X", "Enviar por email"], "by": "Por",
           "comment": ["Li que eram mais de {n} soldados, quem sabe.", "Bom artigo, obrigado.",
                       "Quando é que as sanções vão funcionar?"],
           "headline": ["Alerta do painel de sanções", "Impasse nas exportações", "Portos sob vigilância",
                        "Enviados reunidos em Genebra", "As dúvidas dos especialistas"]},
}


# ---------------------------------------------------------------- pages and feeds


def _fill(template: str, lang: str, rng: random.Random, **extra: str) -> str:
    slots = FILLER[lang]
    values = {k: rng.choice(v) for k, v in slots.items() if k != "t"}
    values.update(
        day=rng.choice(slots["weekday"]), year=str(rng.choice([2022, 2023, 2024])),
        person=f"{rng.choice(slots['person']).split()[0]} {_name(rng)}", firm=f"{_name(rng)} {rng.choice(FIRM_SUFFIX)}",
        ship=_name(rng).upper(), port=rng.choice(PORTS),
        date=f"{rng.randint(1, 28)} {rng.choice(MONTHS[lang])}",
    )
    values.update(extra)
    return template.format(**values)


def _filler(lang: str, rng: random.Random) -> str:
    pool = ENTITY_SENTENCES[lang] if rng.random() < 0.4 else FILLER[lang]["t"]
    return _fill(rng.choice(pool), lang, rng)


def _article_body(lang: str, rng: random.Random) -> tuple[str, list[str]]:
    """(title, paragraphs): 6-12 paragraphs of 2-4 sentences, 2-5 of them with a figure."""
    figures = FIGURES[lang]
    paras: list[str] = []
    n_paras = rng.randint(6, 12)
    figure_paras = set(rng.sample(range(n_paras), rng.randint(2, min(5, n_paras))))
    title = ""
    for p in range(n_paras):
        sentences = [_filler(lang, rng) for _ in range(rng.randint(2, 4))]
        if p in figure_paras:
            kind, tpl = rng.choice(figures)
            sentence = _fill(tpl, lang, rng, n=fmt_number(_value(rng, kind), lang, rng))
            sentences.insert(rng.randrange(len(sentences) + 1), sentence)
            if not title:
                title = sentence.split(",")[0].rstrip(".")
        paras.append(" ".join(sentences))
    return title[:110], paras


def render_page(i: int, lang: str, host: str, seed: int, body_of: int | None = None) -> tuple[str, str, str, str]:
    """(path, html, title, published ISO) of page `i`: deterministic in (i, seed).

    `body_of`: the article text of that page instead (a republished story under a new URL, new boilerplate).
    """
    title, paras = _article_body(lang, random.Random(f"{seed}:{i if body_of is None else body_of}"))
    rng = random.Random(f"{seed}:{i}:page")
    b = BOILER[lang]
    published = (datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * i)).replace(microsecond=0)
    slug = hashlib.blake2b(f"{seed}:{i}".encode(), digest_size=6).hexdigest()
    path = f"/{lang}/world/{published:%Y/%m/%d}/story-{i}-{slug}.html"
    url = f"http://{host}{path}"
    author = rng.choice(FILLER[lang]["person"])
    nav = "".join(f'<li class="nav-item"><a href="/{lang}/{escape(x.lower())}/">{escape(x)}</a></li>' for x in b["nav"])
    mega = "".join(
        f'<li><a href="/{lang}/section/{k}/">{escape(rng.choice(b["headline"]))}</a></li>' for k in range(24)
    )
    share = "".join(f'<a class="share" href="#" rel="nofollow">{escape(s)}</a>' for s in b["share"])
    related = "".join(
        f'<li class="teaser"><a href="/{lang}/world/related-{rng.randrange(10**6)}.html">'
        f'<img src="/img/{k}.jpg" alt=""><span>{escape(rng.choice(b["headline"]))}</span></a></li>'
        for k in range(8)
    )
    most = "".join(
        f'<li><span class="rank">{k + 1}</span><a href="/{lang}/world/most-{rng.randrange(10**6)}.html">'
        f'{escape(rng.choice(b["headline"]))}</a></li>' for k in range(5)
    )
    comments = "".join(
        f'<div class="comment"><div class="comment-author">user{rng.randrange(10**5)}</div>'
        f'<p>{escape(rng.choice(b["comment"]).format(n=fmt_number(_value(rng, "thousands"), lang, rng)))}</p>'
        f'<a class="reply" href="#">Reply</a></div>'
        for _ in range(rng.randint(2, 6))
    )
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": published.isoformat(), "author": {"@type": "Person", "name": author},
                     "inLanguage": lang}, ensure_ascii=False)
    html = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(title)} | Example News</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{escape(paras[0][:150])}">
<meta property="og:title" content="{escape(title)}"><meta property="og:type" content="article">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="{published.isoformat()}">
<meta name="author" content="{escape(author)}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/site.css">
<script type="application/ld+json">{ld}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}gtag('js',new Date());</script>
<style>.cookie{{position:fixed;bottom:0}}.nav-item{{display:inline}}</style>
</head><body class="article-page">
<div id="cookie-banner" class="cookie consent"><p>{escape(b["cookie"])}</p>
<button>{escape(b["accept"])}</button><a href="/privacy">Settings</a></div>
<header class="site-header"><a class="logo" href="/">Example News</a>
<nav class="main-nav"><ul>{nav}</ul></nav><nav class="mega-menu"><ul>{mega}</ul></nav></header>
<div class="breadcrumbs"><a href="/">{escape(b["nav"][0])}</a> › <a href="/{lang}/world/">{escape(b["nav"][1])}</a></div>
<main><article class="story">
<h1 class="headline">{escape(title)}</h1>
<div class="byline">{escape(b["by"])} <a rel="author" href="/authors/x">{escape(author)}</a>
<time datetime="{published.isoformat()}">{published:%d.%m.%Y %H:%M}</time></div>
<div class="share-tools">{share}</div>
<figure><img src="/img/lead.jpg" alt=""><figcaption>{escape(rng.choice(b["headline"]))}</figcaption></figure>
<div class="story-body">{body}</div>
<div class="share-tools">{share}</div>
</article>
<aside class="related"><h2>{escape(b["related"])}</h2><ul>{related}</ul></aside>
<aside class="most-read"><h2>{escape(b["most"])}</h2><ol>{most}</ol></aside>
<section id="comments" class="comments"><h2>{escape(b["comments"])}</h2>{comments}</section>
</main>
<footer class="site-footer"><ul>{nav}</ul><p>{escape(b["footer"])}</p></footer>
<script src="/static/app.js" async></script>
</body></html>
"""
    return path, html, title, published.isoformat()


def generate(out: Path, pages: int, feeds: int, seed: int = 8) -> dict[str, Any]:
    """Write `pages` article pages and `feeds` RSS feeds under `out`; return the manifest (also written)."""
    (out / "pages").mkdir(parents=True, exist_ok=True)
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    # feed f carries pages f, f + feeds, f + 2*feeds, ...; a feed is in one language, like a real site section
    items: list[list[str]] = [[] for _ in range(feeds)]
    total = 0
    for i in range(pages):
        f = i % feeds
        lang = LANGS[f % len(LANGS)]
        host = PAGE_HOSTS[f % len(PAGE_HOSTS)]
        republished = i >= feeds and i % SYNDICATED_EVERY == 0  # ~3% of articles appear twice
        path, html, title, published = render_page(i, lang, host, seed, body_of=i - feeds if republished else None)
        data = html.encode("utf-8")
        total += len(data)
        dest = out / "pages" / host / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        pub = format_datetime(datetime.fromisoformat(published), usegmt=True)
        items[f].append(
            f"<item><title>{escape(title)}</title><link>{{{host}}}{escape(path)}</link>"
            f"<guid isPermaLink=\"false\">bench-{seed}-{i}</guid><pubDate>{pub}</pubDate>"
            f"<description>{escape(title)}</description></item>"
        )
    for f in range(feeds):
        lang = LANGS[f % len(LANGS)]
        xml = (
            f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Example News {lang} section {f}</title><link>http://example.org/{f}</link>"
            f"<language>{lang}</language>{''.join(reversed(items[f]))}</channel></rss>\n"
        )
        (out / "feeds" / f"feed-{f}.xml").write_text(xml, encoding="utf-8")
    manifest = {"pages": pages, "feeds": feeds, "seed": seed, "bytes": total, "langs": list(LANGS),
                "page_hosts": list(PAGE_HOSTS)}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def iter_pages(out: Path) -> Any:
    """(url path, host, bytes) of every generated page, read one at a time."""
    for host_dir in sorted((out / "pages").iterdir()):
        for p in sorted(host_dir.rglob("*.html")):
            yield host_dir.name, p.read_bytes()


# ---------------------------------------------------------------- serving


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def serve(out: Path) -> None:
    """Serve `out` on HOSTS (each on its own ephemeral port); print the ports as JSON.

    Feeds (/feeds/...) are answered on every host, pages on the host they were generated for.
    """
    stats = {"feed": 0, "page": 0, "304": 0, "404": 0}
    lock = threading.Lock()
    servers: dict[str, _Server] = {}
    ports: dict[str, int] = {}

    def make(host: str) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                path = self.path.split("?")[0]
                if path == "/_stats":
                    with lock:
                        self._send(200, json.dumps(stats).encode(), "application/json")
                    return
                if path.startswith("/feeds/"):
                    file = out / path.lstrip("/")
                    kind, ctype = "feed", "application/rss+xml; charset=utf-8"
                else:
                    file = out / "pages" / host / path.lstrip("/")
                    kind, ctype = "page", "text/html; charset=utf-8"
                try:
                    data = file.read_bytes()
                except OSError:
                    with lock:
                        stats["404"] += 1
                    self._send(404, b"not found", "text/plain")
                    return
                if kind == "feed":  # placeholder hosts ({127.0.0.2}) become real URLs
                    for h, port in ports.items():
                        data = data.replace(f"{{{h}}}".encode(), f"http://{h}:{port}".encode())
                etag = '"' + hashlib.blake2b(data, digest_size=8).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    with lock:
                        stats["304"] += 1
                    self._send(304, b"", None, etag)
                    return
                with lock:
                    stats[kind] += 1
                self._send(200, data, ctype, etag)

            def _send(self, status: int, body: bytes, ctype: str | None, etag: str | None = None) -> None:
                try:
                    self.send_response(status)
                    if ctype:
                        self.send_header("Content-Type", ctype)
                    if etag:
                        self.send_header("ETag", etag)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    for host in HOSTS:
        srv = _Server((host, 0), make(host))
        servers[host] = srv
        ports[host] = srv.server_address[1]
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    print(json.dumps({"hosts": ports}), flush=True)
    sys.stdin.read()  # until the parent closes our stdin (or dies)
    for srv in servers.values():
        srv.shutdown()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("dir", type=Path)
    g.add_argument("--pages", type=int, default=2000)
    g.add_argument("--feeds", type=int, default=200)
    g.add_argument("--seed", type=int, default=8)
    s = sub.add_parser("serve")
    s.add_argument("dir", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "generate":
        print(json.dumps(generate(args.dir, args.pages, args.feeds, args.seed)))
    else:
        serve(args.dir)


if __name__ == "__main__":
    main()
