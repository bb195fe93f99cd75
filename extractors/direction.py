"""Who sends and who receives: supplier and recipient of a figure.

Evidence, strongest first: a party attached to the counted noun ("soldats
nord-coréens", "conteneurs russes", "3 000 Nord-Coréens"), a party after a
direction cue in the sentence ("vers la Russie", "from Pyongyang", "an Moskau"),
a party before a sending or receiving verb, then neighbouring sentences and the
document. The result must be a watched pair, else the figure is not a claim.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from extractors.anchors import search_in
from extractors.lexicon import Lexicon, codes, group_label, suppliers

# the claims spec's default: KP<->RU and IR->RU (pass `watchlist` to extend it, e.g. ("BY", "RU"))
DEFAULT_WATCHLIST: tuple[tuple[str, str], ...] = (("KP", "RU"), ("RU", "KP"), ("IR", "RU"))
PEOPLE = frozenset({"troops", "workers", "casualties"})
# articles of the six languages: before a "verb" they make it a noun ("el enviado ruso")
ARTICLES = frozenset(
    ["des", "de", "d’", "the", "die", "der", "den", "los", "las", "le", "les", "la", "i", "gli", "di", "del"]
    + ["della", "os", "as", "o", "a", "el", "il", "lo", "l’", "das", "dem"]
)


_CUE_WINDOW = 45
_RETURN_FLOW = frozenset({"petroleum", "air_defense_systems"})
_BELLIGERENTS = frozenset({"RU", "UA"})
_ZONE_STOP = re.compile(r'[,;:.()!?«»"“”]')


def parse_pairs(items: list[str]) -> tuple[tuple[str, str], ...]:
    """Watched pairs written "KP->RU" (party codes of common.toml); ValueError names a bad one."""
    out = []
    for item in items:
        sup, arrow, rec = item.strip().upper().partition("->")
        if not arrow or sup.strip() not in codes() or rec.strip() not in codes() or sup.strip() == rec.strip():
            raise ValueError(f"{item!r}: not a pair of party codes like KP->RU (codes: {', '.join(sorted(codes()))})")
        out.append((sup.strip(), rec.strip()))
    return tuple(dict.fromkeys(out))


def clause_start(low: str, a: int, at: int) -> int:
    """Where the clause holding `at` begins: after the last ",", ";" or ":" of low[a:at], else `a`."""
    return max(low.rfind(",", a, at), low.rfind(";", a, at), low.rfind(":", a, at), a - 1) + 1


class Mention(NamedTuple):
    code: str
    start: int
    end: int
    role: str  # "to", "from" or "plain"


def find_mentions(low: str, start: int, end: int, lex: Lexicon) -> list[Mention]:
    """Parties named in low[start:end], each with the role its left context gives it."""
    return mentions_of(low, start, [(m.start(), m.end(), group_label(m)) for m in lex.countries.finditer(low, start, end)], lex)


def mentions_of(low: str, start: int, found: list[tuple[int, int, str]], lex: Lexicon) -> list[Mention]:
    """`find_mentions` for the `countries` matches `found` ((start, end, party)) of the span from `start`."""
    out = []
    for m_start, m_end, code in found:
        left_start = max(start, m_start - _CUE_WINDOW)
        left = low[left_start:m_start]
        role = "plain"
        for name, rx in (("to", lex.to_cue), ("from", lex.from_cue)):
            cue = rx.search(left)
            # a cue word opening the sentence is an article ("A Coreia do Norte")
            if cue and not (left_start == start and cue.start() == 0):
                role = name
                if cue.group().strip() in lex.article_cues and _subject_article(low, left_start, cue.start(), m_end, lex):
                    role = "plain"  # "a Rússia forneceu": an article before the subject
                elif name == "to" and _cited(low, left_start, m_start, lex):
                    role = "plain"  # "according to US officials": a source, not a destination
                break
        out.append(Mention(code, m_start, m_end, role))
    return out


def _cited(low: str, a: int, m_start: int, lex: Lexicon) -> bool:
    """A claimant cue ends right before the party (at most one word between): "according to US"."""
    last = lex.claimant_cues.search(low, max(a, m_start - 30), m_start)
    while last is not None:
        nxt = lex.claimant_cues.search(low, last.end(), m_start)
        if nxt is None:
            break
        last = nxt
    return last is not None and len(low[last.end() : m_start].split()) <= 1


_CLAUSE_OPEN = tuple(",;:(—–«\"“")


def _subject_article(low: str, left_start: int, cue_at: int, m_end: int, lex: Lexicon) -> bool:
    """An article cue ("a" in Portuguese) opens a subject: at the start of a clause
    ("..., a Coreia do Norte terá enviado", "... de que a Coreia do Norte") or before a send verb within two words
    ("a Rússia forneceu", "a Coreia do Norte vai enviar")."""
    before = low[left_start : left_start + cue_at].rstrip()
    if before.endswith(_CLAUSE_OPEN) or before.split()[-1:] == ["que"]:
        return True  # "..., a Coreia do Norte", "de que a Coreia do Norte estaria preparando"
    pos = m_end
    for _ in range(3):
        while pos < len(low) and low[pos] == " ":
            pos += 1
        if lex.send.match(low, pos):
            return True
        nxt = low.find(" ", pos)
        if nxt < 0:
            return False
        pos = nxt
    return False


def _verb_roles(
    low: str,
    mentions: list[Mention],
    start: int,
    before: int,
    lex: Lexicon,
    after: int | None = None,
    hits: dict[str, list[int]] | None = None,
) -> tuple[str | None, str | None]:
    """Supplier/recipient from plain mentions around the first send/receive verb before `before`
    (or, when there is none, a send verb between `before` and `after`, the end of the clause).
    `hits`: where words of the lexicon's lists may start (see `anchors`)."""
    sends, recvs = (hits.get("send"), hits.get("receive")) if hits is not None else (None, None)
    send = search_in(low, lex.send, sends, start, before)
    recv = search_in(low, lex.receive, recvs, start, before)
    sup = rec = None
    if send is None and recv is None and after is not None and search_in(low, lex.send, sends, before, after):
        # a verb at the end of the clause ("Nordkorea hat Russland 3000 Drohnen geliefert",
        # "..., 12.000 Soldaten bereitzustellen"): subject first, then the dative object
        plain = [m.code for m in mentions if m.role == "plain" and m.end <= before]
        sup = plain[0] if plain else None
        rec = next((c for c in plain[1:] if c != sup), None)
        return sup, rec
    if (
        send
        and (not recv or send.start() < recv.start())
        and not any(m.role == "plain" and m.end <= send.start() for m in mentions)
    ):
        # nobody named before the verb: the party right after it is its subject ("Im Gegenzug
        # schickte Pjöngjang ... 20.000 Container", "le vendió Irán a Rusia"), unless an article
        # makes the verb a noun ("el enviado ruso" is an envoy)
        prev = low[max(start, send.start() - 8) : send.start()].split()[-1:]
        after = [m for m in mentions if m.role == "plain" and send.end() <= m.start < before]
        if prev and prev[0] not in ARTICLES and after and len(low[send.end() : after[0].start].split()) <= 1:
            sup = after[0].code
            return sup, next((m.code for m in after[1:] if m.code != sup), None)
    for m in mentions:
        if m.role != "plain":
            continue
        if send and (not recv or send.start() < recv.start()):
            if m.end <= send.start():
                sup = sup or m.code
            elif m.start < before:
                rec = rec or m.code
        elif recv and m.end <= recv.start():
            rec = rec or m.code
    return sup, rec


def _governed(low: str, at: int, lex: Lexicon, hits: dict[str, list[int]] | None = None) -> bool:
    """A send or receive verb stands in the clause before `at`: a cue there marks a
    direction ("shipped ... to Russia"), not a place ("after a meeting in Pyongyang") or a
    genitive ("the secretary of Russia's Security Council")."""
    return _moved(low, clause_start(low, max(at - 160, 0), at), at, lex, hits)


def _sentence_evidence(
    low: str,
    mentions: list[Mention],
    start: int,
    fig: int,
    lex: Lexicon,
    watched: frozenset[str],
    clause: tuple[int, int] | None = None,
    hits: dict[str, list[int]] | None = None,
) -> tuple[str | None, str | None]:
    """Supplier/recipient from the sentence, strongest evidence first: a direction cue in the
    figure's own clause ("... 9,000 containers to Russia"), then the subject and object of the
    transfer verb ("Russia supplied North Korea with ..."), then a cue elsewhere in the sentence
    (which is often a genitive or a place: "the port of Russia", "tankers from North Korea")."""
    ms = [m for m in mentions if m.code in watched]
    near = [m for m in ms if clause[0] <= m.start < clause[1]] if clause else []
    vs, vr = _verb_roles(low, ms, start, fig, lex, clause[1] if clause else None, hits)
    if vr is not None and vs is None:
        # the verb before its subject, the recipient right after it: "le vendió Irán a Rusia"
        for m1, m2 in zip(ms, ms[1:], strict=False):
            if m1.code == vr and m1.role == "plain" and m2.role == "to" and m2.code != vr and m2.start - m1.end <= 12:
                vs, vr = vr, m2.code
                break
    sup = next((m.code for m in near if m.role == "from"), None) or vs
    rec = next((m.code for m in near if m.role == "to"), None) or vr
    far = [m for m in ms if m.role != "plain" and m not in near and _governed(low, m.start, lex, hits)]
    sup = sup or next((m.code for m in far if m.role == "from" and m.code != rec), None)
    rec = rec or next((m.code for m in far if m.role == "to" and m.code != sup), None)
    if sup == rec:
        rec = None
    return sup, rec


def _own_use(
    low: str, c_start: int, fig: int, np_end: int, c_end: int, lex: Lexicon, hits: dict[str, list[int]] | None = None
) -> bool:
    """A use, launch, production, stock or rate cue in the figure's clause (outside its noun
    phrase) and no send or receive verb there: a party's own weapons, not a transfer. Items
    named as supplied ("missiles nord-coréens", "60 of them") are exempt by the caller."""
    uses = hits.get("usage") if hits is not None else None
    if not (search_in(low, lex.usage, uses, c_start, fig) or search_in(low, lex.usage, uses, np_end, c_end)):
        return False
    return not _moved(low, c_start, min(c_end, np_end + 60), lex, hits)


def _moved(low: str, a: int, b: int, lex: Lexicon, hits: dict[str, list[int]] | None = None) -> bool:
    """A send or receive verb stands in low[a:b]."""
    sends, recvs = (hits.get("send"), hits.get("receive")) if hits is not None else (None, None)
    return bool(search_in(low, lex.send, sends, a, b) or search_in(low, lex.receive, recvs, a, b))


def _source(low: str, m: Mention, lex: Lexicon, hits: dict[str, list[int]] | None = None) -> bool:
    """A party named as the source of a figure: a claimant cue follows it closely ("Kiev parla
    di", "Ukraine says", "nach südkoreanischen Angaben")."""
    cues = hits.get("claimant_cue") if hits is not None else None
    return search_in(low, lex.claimant_cues, cues, m.end, m.end + 20) is not None


def _sentence_subject(
    low: str, mentions: list[Mention], s_start: int, fig: int, lex: Lexicon, parties: frozenset[str]
) -> str | None:
    """The first party named before the figure at the head of its clause that is not a source
    ("according to Kyiv", "Seoul said"): the subject of the sentence, whose forces or losses a bare count of people
    describes when the figure's own clause names nobody."""
    for m in mentions:
        if m.start >= fig:
            break
        if m.code not in parties or m.role != "plain":
            continue
        a = max([low.rfind(p, s_start, m.start) for p in ",;:"] + [s_start])
        if len(low[a : m.start].split()) > 3:
            continue  # deep in its clause: an object or a genitive ("the secretary of Russia's council")
        if lex.claimant_cues.search(low, a, min(fig, m.end + 30)):
            continue  # a source, not a subject
        return m.code
    return None


class LazyMentions:
    """Party mentions per sentence, found when first asked for (most figures need only their own
    sentence's)."""

    __slots__ = ("_find", "_found")

    def __init__(self, n: int, find: Callable[[int], list[Mention]]) -> None:
        self._found: list[list[Mention] | None] = [None] * n
        self._find = find

    def __getitem__(self, i: int) -> list[Mention]:
        found = self._found[i]
        if found is None:
            found = self._found[i] = self._find(i)
        return found


@dataclass(slots=True)
class DirectionContext:
    """What the document says about parties, shared by all figures of one document."""

    low: str
    lex: Lexicon
    sentences: list[tuple[int, int]]
    mentions: LazyMentions | list[list[Mention]]  # per sentence
    doc_counts: Counter[str]
    pairs: tuple[tuple[str, str], ...] = DEFAULT_WATCHLIST
    hits: dict[str, list[int]] | None = None  # where lexicon words may start (see `anchors`)
    watched: frozenset[str] = field(init=False)  # the parties of `pairs`
    outsiders: frozenset[str] = field(init=False)  # possible senders outside `pairs` (Belarus by default)

    def __post_init__(self) -> None:
        self.watched = frozenset(c for p in self.pairs for c in p)
        self.outsiders = suppliers() - self.watched - {"UA"}


def resolve(
    ctx: DirectionContext,
    si: int,
    fig_start: int,
    np_end: int,
    category: str,
    window: tuple[int, int] | None = None,
    *,
    anaphoric: bool = False,
) -> tuple[str, str] | None:
    """(supplier, recipient) for a figure in sentence `si`, or None when it is not a watched transfer.

    `window` bounds the part of the sentence looked at (a sentence without end stays linear).
    `anaphoric`: the figure's noun stands earlier ("60 of them"), so it counts items named
    before, whatever is done with them.
    """
    low, lex, watched = ctx.low, ctx.lex, ctx.watched
    s_start, s_end = window or ctx.sentences[si]
    mentions = ctx.mentions[si]
    if window and (mentions[:1] and mentions[0].start < s_start or mentions[-1:] and mentions[-1].end > s_end):
        mentions = [m for m in mentions if s_start <= m.start and m.end <= s_end]
    # the noun phrase and what directly follows it, up to punctuation
    stop = _ZONE_STOP.search(low, np_end, min(s_end, np_end + 48))
    zone_end = stop.start() if stop else max(np_end, min(s_end, np_end + 48))
    attached = [
        m
        for m in mentions
        if fig_start <= m.start < zone_end
        and (m.start < np_end or _attaches(low[np_end : m.start].split(), m.role, lex))
    ]
    sup = rec = None
    for m in attached:
        if m.code not in watched:
            if m.role == "plain" and (m.start < np_end or not low[np_end : m.start].split()):
                return None  # "soldats ukrainiens", "US troops": another party's forces
            continue
        if m.role == "to":
            rec = rec or m.code
        else:
            sup = sup or m.code
    explicit_rec = rec
    if sup == "RU" and category in PEOPLE and explicit_rec != "KP":
        return None  # "115 000 soldats russes tués": Russia's own forces
    rest = [m for m in mentions if m not in attached]
    # the figure's own clause: its parties decide whose forces or losses these are
    c_start = clause_start(low, s_start, fig_start)
    c_end = s_end
    for p in ",;:":
        i = low.find(p, np_end, c_end)
        if i >= 0:
            c_end = i
    hits = ctx.hits
    # parties named as the source of a figure ("nach südkoreanischen Angaben", "Kiev parla di")
    sources = {m for m in mentions if _source(low, m, lex, hits)}
    # recipients named in the figure's clause, not as sources
    bound = {m.code for m in mentions if c_start <= m.start < c_end and m.role == "to" and m not in sources}
    if bound and not bound & (watched | {"UA"}):
        return None  # sent to another party only: "exportiert ... nach China und Indien", "troops in South Korea"
    if (
        bound
        and not bound & watched
        and not any(m.code in watched for m in mentions)
        and any(m.code not in watched and m.code != "UA" for m in mentions)
    ):
        return None  # another party's aid to Ukraine: "the Pentagon ... a new package for Ukraine that includes 12 missiles"
    if (
        not anaphoric
        and not any(m.code in watched for m in attached)
        and _own_use(low, c_start, fig_start, np_end, c_end, lex, hits)
    ):
        return None  # "Russia fired 9,000 missiles", "production de 6 000 drones par an"
    if (
        not anaphoric
        and c_start > s_start
        and not any(m.code in watched for m in attached)
        and search_in(low, lex.usage, hits.get("usage") if hits is not None else None, s_start, c_start)
        and not _moved(low, s_start, s_end, lex, hits)
    ):
        return None  # an earlier clause says how they were used: "l'ennemi a lancé 537 cibles, dont 477 drones"
    if anaphoric and lex.production.search(low, s_start, fig_start) and not _moved(low, s_start, s_end, lex, hits):
        return None  # "the Alabuga plant ... turned out roughly 2,700 of them"
    e_sup, e_rec = _sentence_evidence(low, rest, s_start, fig_start, lex, watched, (c_start, c_end), hits)
    if sup is None and e_sup is None:
        # parties outside the watchlist, not as sources ("el NIS surcoreano ha asegurado que ...")
        others = {m.code for m in rest if m not in sources} - watched - {"UA"}
        if others:
            o_sup, _ = _sentence_evidence(low, rest, s_start, fig_start, lex, watched | others, (c_start, c_end), hits)
            if o_sup in others:
                # supplied by a party outside the watchlist: "Belarus stellte Russland ... zur Verfügung",
                # "China, tradicional proveedor de Pionyang, le suministra ... 525.000 toneladas"
                return None
            if others & ctx.outsiders and not any(m.code in watched and m.code != "RU" for m in mentions):
                return None  # "aus Lagern der belarussischen Armee ... nach Russland": no watched sender named

    if sup is None and e_sup != rec:
        sup = e_sup
    if rec is None and e_rec != sup:
        rec = e_rec
    present = {m.code for m in mentions}
    # parties of the clause, not counting Russia or Ukraine as sources ("mentre Kiev parla di 'oltre 5mila' caduti")
    clause_ms = [m for m in mentions if c_start <= m.start < c_end and not (m in sources and m.code in _BELLIGERENTS)]
    in_clause = {m.code for m in clause_ms}
    # whose people: not a party they were sent to or taken by ("capturés par l'armée ukrainienne")
    own = {m.code for m in clause_ms if m.role == "plain"}
    if category == "casualties" and sup is None and rec is None and not (in_clause & (watched - {"RU", "UA"})) and own & {"RU", "UA"}:
        return None  # own losses of Russia or Ukraine
    if (
        category in PEOPLE
        and sup is None
        and rec is None
        and not (in_clause & (watched - {"RU", "UA"}))
        and in_clause & {"RU", "UA"}
    ):
        return None  # "Russia lost 5,000 soldiers", "Ukraine mobilised 10,000 men"
    if category in PEOPLE and sup is None and rec is None and not (in_clause & (watched - {"RU", "UA"})):
        owner = _sentence_subject(low, mentions, s_start, fig_start, lex, codes())
        if owner is not None and owner not in watched - {"RU"}:
            return None  # "Russia, whose army ..., has lost more than 900,000 men", "Corea del Sur, que dispone de 500.000 efectivos"
    if category in PEOPLE and sup is None and rec is None:
        # the one watched party other than Russia named in the clause owns the people
        # ("las bajas norcoreanas en Kursk superan ya las 3.800")
        owners = own & (watched - {"RU"})
        if len(owners) == 1:
            sup = owners.pop()
        elif category == "casualties" and not owners:
            named = {m.code for m in mentions if not (m in sources and m.code in _BELLIGERENTS)}
            if "RU" in named and not named & (watched - {"RU", "UA"}):
                return None  # "15 morti e 40 feriti ... il bilancio del raid russo": not North Korean losses
    if sup is None and rec is None:
        for back in (1, 2):
            if si - back < 0:
                break
            ps, pe = ctx.sentences[si - back]
            ps = max(ps, pe - 2 * _CUE_WINDOW * 10)
            prev = [m for m in ctx.mentions[si - back] if m.start >= ps]
            sup, rec = _sentence_evidence(low, prev, ps, pe, lex, watched, None, hits)
            if category in PEOPLE and rec == "KP":
                sup = rec = None  # people go to North Korea only when their own sentence says so
            if sup or rec:
                break
    elif (sup is None or rec is None) and si > 0:
        # one side is known: the other may be the previous sentence's ("Russia gets support
        # from North Korea. Pyongyang has shipped 16,000 containers to Russia.")
        ps, pe = ctx.sentences[si - 1]
        ps = max(ps, pe - 2 * _CUE_WINDOW * 10)
        prev = [m for m in ctx.mentions[si - 1] if m.start >= ps]
        p_sup, p_rec = _sentence_evidence(low, prev, ps, pe, lex, watched, None, hits)
        if sup is None and p_sup and (p_sup, rec) in ctx.pairs:
            sup = p_sup
        elif rec is None and p_rec and (sup, p_rec) in ctx.pairs:
            rec = p_rec
    if category in PEOPLE and sup == "RU" and rec != "KP":
        sup = None
    return _choose_pair(ctx, si, sup, rec, category, present)


def _attaches(between: list[str], role: str, lex: Lexicon) -> bool:
    """A party after a noun phrase belongs to it: few words between, none starting a clause."""
    return len(between) <= (2 if role == "plain" else 5) and not any(w in lex.detach for w in between)


def _choose_pair(
    ctx: DirectionContext, si: int, sup: str | None, rec: str | None, category: str, present: set[str]
) -> tuple[str, str] | None:
    pairs = ctx.pairs
    if sup and rec and (sup, rec) in pairs:
        return sup, rec
    if sup and rec:  # e.g. "envoyés en Ukraine": keep the better-attested side
        rec = None
    cands = [p for p in pairs if (sup is None or p[0] == sup) and (rec is None or p[1] == rec)]
    if category in PEOPLE and not (sup == "RU" and rec == "KP"):
        cands = [p for p in cands if p[0] != "RU"] or cands
    if not cands:
        return None
    near: Counter[str] = Counter()
    for back in (1, 2):
        if si - back >= 0:
            near.update(m.code for m in ctx.mentions[si - back])

    def score(p: tuple[str, str]) -> tuple[int, bool, int]:
        s = 0
        for code in p:
            s += 100 * (code in present) + 10 * (near[code] > 0) + min(ctx.doc_counts[code], 9)
        # on a tie between the two ways of one pair, the usual flow ("Russian oil, air defence
        # ... going back", the claims spec): oil and air defence to North Korea, the rest to Russia
        return s, (p == ("RU", "KP")) == (category in _RETURN_FLOW), -pairs.index(p)

    best = max(cands, key=score)
    unknown = [c for c, known in zip(best, (sup, rec), strict=True) if known is None]
    if any(ctx.doc_counts[c] == 0 and not (c == "RU" and sup) for c in unknown):
        return None  # the other party is never named in the document
    return best
