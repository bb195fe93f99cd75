"""Who sends and who receives: supplier and recipient of a figure.

Evidence, strongest first: a party attached to the counted noun ("soldats
nord-coréens", "conteneurs russes", "3 000 Nord-Coréens"), a party after a
direction cue in the sentence ("vers la Russie", "from Pyongyang", "an Moskau"),
a party before a sending or receiving verb, then neighbouring sentences and the
document. The result must be a watched pair, else the figure is not a claim.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from extractors.lexicon import Lexicon, group_label

DEFAULT_WATCHLIST: tuple[tuple[str, str], ...] = (("KP", "RU"), ("RU", "KP"), ("IR", "RU"), ("BY", "RU"))
PEOPLE = frozenset({"troops", "workers", "casualties"})
_CUE_WINDOW = 45


@dataclass(frozen=True, slots=True)
class Mention:
    code: str
    start: int
    end: int
    role: str  # "to", "from" or "plain"


def find_mentions(low: str, start: int, end: int, lex: Lexicon) -> list[Mention]:
    """Parties named in low[start:end], each with the role its left context gives it."""
    out = []
    for m in lex.countries.finditer(low, start, end):
        code = group_label(m)
        left_start = max(start, m.start() - _CUE_WINDOW)
        left = low[left_start : m.start()]
        role = "plain"
        for name, rx in (("to", lex.to_cue), ("from", lex.from_cue)):
            cue = rx.search(left)
            # a cue word opening the sentence is an article ("A Coreia do Norte")
            if cue and not (left_start == start and cue.start() == 0):
                role = name
                if cue.group().strip() in lex.article_cues and lex.send.match(low, m.end() + 1):
                    role = "plain"  # "a Rússia forneceu": an article before the subject
                break
        out.append(Mention(code, m.start(), m.end(), role))
    return out


def _verb_roles(
    low: str, mentions: list[Mention], start: int, before: int, lex: Lexicon
) -> tuple[str | None, str | None]:
    """Supplier/recipient from plain mentions around the first send/receive verb before `before`."""
    send = lex.send.search(low, start, before)
    recv = lex.receive.search(low, start, before)
    sup = rec = None
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


def _sentence_evidence(
    low: str, mentions: list[Mention], start: int, fig: int, lex: Lexicon, watched: frozenset[str]
) -> tuple[str | None, str | None]:
    ms = [m for m in mentions if m.code in watched]
    sup = next((m.code for m in ms if m.role == "from"), None)
    rec = next((m.code for m in ms if m.role == "to"), None)
    vs, vr = _verb_roles(low, ms, start, fig, lex)
    sup = sup or vs
    rec = rec or vr
    if sup == rec:
        rec = None
    return sup, rec


@dataclass(slots=True)
class DirectionContext:
    """What the document says about parties, shared by all figures of one document."""

    low: str
    lex: Lexicon
    sentences: list[tuple[int, int]]
    mentions: list[list[Mention]]  # per sentence
    doc_counts: Counter[str]
    pairs: tuple[tuple[str, str], ...] = DEFAULT_WATCHLIST

    @property
    def watched(self) -> frozenset[str]:
        return frozenset(c for p in self.pairs for c in p)


def resolve(
    ctx: DirectionContext,
    si: int,
    fig_start: int,
    np_end: int,
    category: str,
    window: tuple[int, int] | None = None,
) -> tuple[str, str] | None:
    """(supplier, recipient) for a figure in sentence `si`, or None when it is not a watched transfer.

    `window` bounds the part of the sentence looked at (a sentence without end stays linear).
    """
    low, lex, watched = ctx.low, ctx.lex, ctx.watched
    s_start, s_end = window or ctx.sentences[si]
    mentions = ctx.mentions[si]
    if window and (mentions[:1] and mentions[0].start < s_start or mentions[-1:] and mentions[-1].end > s_end):
        mentions = [m for m in mentions if s_start <= m.start and m.end <= s_end]
    # the noun phrase and what directly follows it, up to punctuation
    zone_end = np_end
    for i in range(np_end, min(s_end, np_end + 48)):
        if low[i] in ',;:.()!?«»"“”':
            break
        zone_end = i + 1
    attached = [
        m
        for m in mentions
        if fig_start <= m.start < zone_end
        and (m.start < np_end or len(low[np_end : m.start].split()) <= (2 if m.role == "plain" else 5))
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
    e_sup, e_rec = _sentence_evidence(low, rest, s_start, fig_start, lex, watched)
    if sup is None and e_sup != rec:
        sup = e_sup
    if rec is None and e_rec != sup:
        rec = e_rec
    present = {m.code for m in mentions}
    # parties named in the figure's own clause decide whose forces or losses these are
    c_start = max((low.rfind(p, s_start, fig_start) for p in ",;:"), default=-1)
    c_start = s_start if c_start < 0 else c_start
    c_end = min((i for i in (low.find(p, np_end, s_end) for p in ",;:") if i >= 0), default=s_end)
    in_clause = {m.code for m in mentions if c_start <= m.start < c_end}
    if category == "casualties" and sup is None and rec is None and not (in_clause & (watched - {"RU", "UA"})) and in_clause & {"RU", "UA"}:
        return None  # own losses of Russia or Ukraine
    if (
        category in PEOPLE
        and sup is None
        and rec is None
        and not (in_clause & (watched - {"RU", "UA"}))
        and in_clause & {"RU", "UA"}
    ):
        return None  # "Russia lost 5,000 soldiers", "Ukraine mobilised 10,000 men"
    if sup is None and rec is None:
        for back in (1, 2):
            if si - back < 0:
                break
            ps, pe = ctx.sentences[si - back]
            ps = max(ps, pe - 2 * _CUE_WINDOW * 10)
            prev = [m for m in ctx.mentions[si - back] if m.start >= ps]
            sup, rec = _sentence_evidence(low, prev, ps, pe, lex, watched)
            if sup or rec:
                break
    if category in PEOPLE and sup == "RU" and rec != "KP":
        sup = None
    return _choose_pair(ctx, si, sup, rec, category, present)


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

    def score(p: tuple[str, str]) -> tuple[int, int]:
        s = 0
        for code in p:
            s += 100 * (code in present) + 10 * (near[code] > 0) + min(ctx.doc_counts[code], 9)
        return s, -pairs.index(p)

    best = max(cands, key=score)
    unknown = [c for c, known in zip(best, (sup, rec), strict=True) if known is None]
    if any(ctx.doc_counts[c] == 0 and not (c == "RU" and sup) for c in unknown):
        return None  # the other party is never named in the document
    return best
