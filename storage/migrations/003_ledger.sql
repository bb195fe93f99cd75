-- claimwatch schema, version 3: near-duplicate signatures, claim status, and the analyst views.

-- Near-duplicates: MinHash of the cleaned text's word 4-shingles (storage/neardup.py),
-- how a duplicate was found ('content' = same normalised text, 'near' = MinHash),
-- and the estimated Jaccard similarity to the kept document.
ALTER TABLE documents ADD COLUMN minhash UINTEGER[];
ALTER TABLE documents ADD COLUMN duplicate_kind VARCHAR;
ALTER TABLE documents ADD COLUMN duplicate_similarity DOUBLE;
UPDATE documents SET duplicate_kind = 'content', duplicate_similarity = 1.0 WHERE duplicate_of IS NOT NULL;

-- LSH bands of each document's signature: documents sharing a (band, bucket) are candidates.
CREATE TABLE document_bands (
    document_id VARCHAR NOT NULL,
    band        SMALLINT NOT NULL,
    bucket      BIGINT NOT NULL
);

-- A claim's strongest status over its mentions: reported > planned > denied.
-- A claim only ever quoted to be denied does not count toward a high.
ALTER TABLE claims ADD COLUMN status VARCHAR;
ALTER TABLE claims ADD COLUMN denied_count INTEGER;
UPDATE claims SET
    status = coalesce((
        SELECT CASE WHEN bool_or(m.status = 'reported') THEN 'reported'
                    WHEN bool_or(m.status = 'planned') THEN 'planned'
                    ELSE 'denied' END
        FROM mentions m WHERE m.claim_id = claims.id), 'reported'),
    denied_count = coalesce((SELECT count(*) FROM mentions m WHERE m.claim_id = claims.id AND m.status = 'denied'), 0);

-- Each mention with the document it stands in (duplicates carry no mentions).
CREATE OR REPLACE VIEW claim_mentions AS
SELECT m.claim_id, m.id AS mention_id, m.category, m.supplier, m.recipient, m.value, m.low, m.qualifier,
       m.status, m.attribution, m.period, m.sentence, m.start_char, m.end_char, m.lang, m.extractor_version,
       d.id AS document_id, d.uri, d.title, d.sitename, d.published_at, d.fetched_at,
       coalesce(d.published_at, d.fetched_at) AS dated_at
FROM mentions m JOIN documents d ON d.id = m.document_id
WHERE d.duplicate_of IS NULL;

-- The first source of each claim: earliest publication, then earliest fetch, then mention order.
CREATE OR REPLACE VIEW claim_first_source AS
SELECT * EXCLUDE (r) FROM (
    SELECT claim_id, document_id, uri, title, published_at, qualifier, attribution, lang,
           row_number() OVER (PARTITION BY claim_id
                              ORDER BY published_at NULLS LAST, fetched_at, document_id, start_char) AS r
    FROM claim_mentions
) WHERE r = 1;

-- metric_highs: one row per metric (category, supplier, recipient); `high` is the largest value among
-- its claims that are not only denied; the claim, its first source and date; ties go to the earliest.
CREATE OR REPLACE VIEW metric_highs AS
WITH ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY c.category, c.supplier, c.recipient
                                   ORDER BY c.value DESC, c.first_published NULLS LAST, c.first_seen, c.id) AS r,
           count(*) OVER (PARTITION BY c.category, c.supplier, c.recipient) AS claims
    FROM claims c
    WHERE c.status <> 'denied'
)
SELECT r.category, r.supplier, r.recipient, r.value AS high, r.id AS claim_id, r.status,
       f.qualifier, f.attribution AS claimant, coalesce(f.title, f.uri) AS first_source, f.uri AS first_source_uri,
       f.document_id AS first_document_id, coalesce(r.first_published, r.first_seen) AS first_date,
       r.source_count, r.mention_count, r.claims
FROM ranked r LEFT JOIN claim_first_source f ON f.claim_id = r.id
WHERE r.r = 1;

-- claim_timeline: every claim of every metric in publication order, with the metric's running high
-- (denied-only claims are listed but never raise it) and whether the claim set a new high.
CREATE OR REPLACE VIEW claim_timeline AS
WITH ordered AS (
    SELECT c.*, coalesce(c.first_published, c.first_seen) AS dated_at,
           max(CASE WHEN c.status <> 'denied' THEN c.value END) OVER w AS running_high,
           max(CASE WHEN c.status <> 'denied' THEN c.value END) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
               AS previous_high,
           row_number() OVER w AS seq
    FROM claims c
    WINDOW w AS (PARTITION BY c.category, c.supplier, c.recipient
                 ORDER BY coalesce(c.first_published, c.first_seen), c.first_seen, c.value, c.id)
)
SELECT o.category, o.supplier, o.recipient, o.seq, o.dated_at, o.value, o.id AS claim_id, o.status,
       o.running_high, o.previous_high,
       (o.status <> 'denied' AND (o.previous_high IS NULL OR o.value > o.previous_high)) AS new_high,
       o.source_count, o.mention_count, coalesce(f.title, f.uri) AS first_source, f.uri AS first_source_uri
FROM ordered o LEFT JOIN claim_first_source f ON f.claim_id = o.id;

-- claim_sources: one row per (claim, document), with the document's language and who makes the claim.
CREATE OR REPLACE VIEW claim_sources AS
SELECT cm.claim_id, cm.category, cm.supplier, cm.recipient, cm.value, cm.document_id, cm.uri, cm.title,
       cm.sitename, cm.published_at, cm.lang,
       string_agg(DISTINCT cm.attribution, '; ' ORDER BY cm.attribution) AS claimants,
       string_agg(DISTINCT cm.qualifier, ', ' ORDER BY cm.qualifier) AS qualifiers,
       string_agg(DISTINCT cm.status, ', ' ORDER BY cm.status) AS statuses,
       count(*) AS mentions,
       min(cm.sentence) AS sentence
FROM claim_mentions cm
GROUP BY ALL;

-- disagreements: metrics where two or more documents published in the same month give different figures.
-- Each document's figure for a metric is the largest value it reports ('reported' mentions only: plans and
-- denials are not competing figures; a document giving a total and a part does not disagree with itself).
-- By publication month: documents without a publication date are left out.
CREATE OR REPLACE VIEW disagreements AS
WITH per_doc AS (
    SELECT category, supplier, recipient, date_trunc('month', published_at)::DATE AS month, document_id, title, uri,
           max(value) AS figure
    FROM claim_mentions
    WHERE status = 'reported' AND published_at IS NOT NULL
    GROUP BY ALL
)
SELECT category, supplier, recipient, month,
       count(DISTINCT figure) AS figures, min(figure) AS low, max(figure) AS high,
       list(DISTINCT figure ORDER BY figure) AS values,
       count(*) AS documents,
       list(struct_pack(figure, document_id, title, uri) ORDER BY figure, document_id) AS sources
FROM per_doc
GROUP BY ALL
HAVING count(DISTINCT figure) > 1;
