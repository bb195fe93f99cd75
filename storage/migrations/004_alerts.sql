-- claimwatch schema, version 4: the alerts outbox (alerts, deliveries) and each metric's alerting high.
-- Written by storage/outbox.py inside the ledger's write transaction; read and marked by storage/alerts.py.

-- alert_highs_of(keys): the current alerting high of each metric in `keys` (a list of
-- 'category|supplier|recipient'), with its evidence. A claim counts through its best mention that is not a
-- denial, in a kept document (reported before planned, then earliest publication, fetch, mention id); a
-- claim only ever quoted to be denied never raises a high. Ties between claims go to the earliest evidence.
-- A table macro rather than a view so the metric filter applies before the window functions.
CREATE MACRO alert_highs_of(keys) AS TABLE
SELECT * EXCLUDE (r, rr) FROM (
    SELECT *, row_number() OVER (PARTITION BY metric_key
                                 ORDER BY value DESC, published_at NULLS LAST, fetched_at, claim_id) AS rr
    FROM (
        SELECT c.id AS claim_id, c.category, c.supplier, c.recipient, c.value,
               c.category || '|' || coalesce(c.supplier, '') || '|' || coalesce(c.recipient, '') AS metric_key,
               m.id AS mention_id, m.low, m.qualifier, m.status, m.attribution, m.period, m.sentence,
               coalesce(m.lang, d.lang) AS lang, d.id AS document_id, d.title, d.uri, d.sitename,
               d.published_at, d.fetched_at,
               row_number() OVER (PARTITION BY c.id
                                  ORDER BY (m.status = 'planned'), d.published_at NULLS LAST, d.fetched_at, m.id) AS r
        FROM claims c
        JOIN mentions m ON m.claim_id = c.id
        JOIN documents d ON d.id = m.document_id
        WHERE m.status <> 'denied' AND d.duplicate_of IS NULL
          AND (c.category || '|' || coalesce(c.supplier, '') || '|' || coalesce(c.recipient, ''))
              IN (SELECT unnest(keys))
    ) WHERE r = 1
) WHERE rr = 1;

-- The high each metric had when the ledger last committed, with the evidence shown as "previous high"
-- in the next alert. Kept by the outbox; a metric without a qualifying claim has no row.
CREATE TABLE alert_metric_highs (
    metric_key   VARCHAR PRIMARY KEY,            -- category|supplier|recipient
    category     VARCHAR NOT NULL,
    supplier     VARCHAR,
    recipient    VARCHAR,
    high         DOUBLE NOT NULL,
    claim_id     VARCHAR NOT NULL,
    qualifier    VARCHAR,
    status       VARCHAR,
    claimant     VARCHAR,
    title        VARCHAR,
    uri          VARCHAR,
    published_at TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

INSERT INTO alert_metric_highs (metric_key, category, supplier, recipient, high, claim_id, qualifier, status,
                                claimant, title, uri, published_at)
SELECT metric_key, category, supplier, recipient, value, claim_id, qualifier, status, attribution, title, uri,
       coalesce(published_at, fetched_at)
FROM alert_highs_of((
    SELECT coalesce(list(DISTINCT category || '|' || coalesce(supplier, '') || '|' || coalesce(recipient, '')), [])
    FROM claims));

CREATE TABLE alerts (
    id                    VARCHAR PRIMARY KEY,   -- hash('alert', claim_id): a claim alerts at most once, ever
    claim_id              VARCHAR NOT NULL,
    kind                  VARCHAR NOT NULL,      -- new_high | new_metric
    category              VARCHAR NOT NULL,
    supplier              VARCHAR,
    recipient             VARCHAR,
    value                 DOUBLE NOT NULL,
    low                   DOUBLE,
    qualifier             VARCHAR NOT NULL,
    status                VARCHAR NOT NULL,      -- reported | planned
    attribution           VARCHAR,
    period                VARCHAR,
    sentence              VARCHAR,               -- in the original language
    lang                  VARCHAR,
    document_id           VARCHAR,
    title                 VARCHAR,
    uri                   VARCHAR,
    published_at          TIMESTAMP,
    previous_high         DOUBLE,                -- NULL for new_metric
    previous_claim_id     VARCHAR,
    previous_qualifier    VARCHAR,
    previous_status       VARCHAR,
    previous_claimant     VARCHAR,
    previous_title        VARCHAR,
    previous_uri          VARCHAR,
    previous_published_at TIMESTAMP,
    run_id                VARCHAR,
    created_at            TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per (alert, channel), created when a sender first sees the alert with that channel configured.
-- status: pending (to send at next_attempt_at) | sending (attempt started, outcome not recorded yet: a crash
-- leaves it here and the next run resends) | delivered | suppressed (policy: below the minimum increase)
-- | expired (older than max_age when the channel first saw it) | failed (gave up after max_attempts).
CREATE TABLE deliveries (
    alert_id        VARCHAR NOT NULL,
    channel         VARCHAR NOT NULL,            -- console | slack | email
    status          VARCHAR NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      VARCHAR,
    last_attempt_at TIMESTAMP,
    next_attempt_at TIMESTAMP,
    delivered_at    TIMESTAMP,
    response        VARCHAR,                     -- what the channel answered on success
    idempotency_key VARCHAR,                     -- sent with every attempt (Message-ID, header, footer)
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (alert_id, channel)
);
