-- claimwatch schema, version 1: sources, documents, mentions, claims, runs, failures.
CREATE TABLE sources (
    id                 VARCHAR PRIMARY KEY,      -- "seeds:<abs dir>" or the feed URL
    kind               VARCHAR NOT NULL,         -- seeds | feed
    uri                VARCHAR NOT NULL,
    name               VARCHAR,
    lang_hint          VARCHAR,
    poll_interval_s    INTEGER,
    etag               VARCHAR,
    last_modified      VARCHAR,
    last_status        VARCHAR,
    last_polled_at     TIMESTAMP,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    last_error         VARCHAR,
    next_poll_at       TIMESTAMP,
    created_at         TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE documents (
    id                VARCHAR PRIMARY KEY,       -- stable hash of the canonical identity
    source_id         VARCHAR,
    uri               VARCHAR NOT NULL,          -- canonical URL or file URI
    guid              VARCHAR,
    title             VARCHAR,
    author            VARCHAR,
    sitename          VARCHAR,
    published_at      TIMESTAMP,
    fetched_at        TIMESTAMP NOT NULL,
    lang              VARCHAR,
    lang_prob         DOUBLE,
    raw_hash          VARCHAR,                   -- sha256 of the raw bytes: unchanged input is skipped
    raw_ref           VARCHAR,                   -- where the raw input lives (path or URL)
    content_hash      VARCHAR,                   -- sha256 of the normalised cleaned text
    text              VARCHAR,
    duplicate_of      VARCHAR,
    extractor_version VARCHAR,
    error             VARCHAR
);

CREATE TABLE mentions (
    id                VARCHAR PRIMARY KEY,       -- hash(document, span, category)
    document_id       VARCHAR NOT NULL,
    claim_id          VARCHAR NOT NULL,
    category          VARCHAR NOT NULL,
    value             DOUBLE NOT NULL,
    low               DOUBLE,
    qualifier         VARCHAR NOT NULL,
    supplier          VARCHAR,
    recipient         VARCHAR,
    status            VARCHAR NOT NULL,
    attribution       VARCHAR,
    period            VARCHAR,
    sentence          VARCHAR NOT NULL,
    start_char        INTEGER NOT NULL,
    end_char          INTEGER NOT NULL,
    lang              VARCHAR,
    extractor_version VARCHAR NOT NULL,
    created_at        TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE claims (
    id              VARCHAR PRIMARY KEY,         -- hash(category, supplier, recipient, value)
    category        VARCHAR NOT NULL,
    supplier        VARCHAR,
    recipient       VARCHAR,
    value           DOUBLE NOT NULL,
    first_published TIMESTAMP,
    first_seen      TIMESTAMP,
    last_seen       TIMESTAMP,
    mention_count   INTEGER NOT NULL,
    source_count    INTEGER NOT NULL
);

CREATE TABLE runs (
    id          VARCHAR PRIMARY KEY,
    flow        VARCHAR NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL,                -- running | completed | failed
    counts      JSON,
    errors      JSON
);

CREATE TABLE failures (
    id          VARCHAR PRIMARY KEY,             -- hash(run, uri, stage)
    run_id      VARCHAR,
    source_id   VARCHAR,
    uri         VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL,                -- read | fetch | parse | clean | extract | store
    reason      VARCHAR NOT NULL,
    occurred_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE VIEW metric_highs AS
SELECT category, supplier, recipient, max(value) AS high, count(*) AS claims
FROM claims
GROUP BY ALL;
