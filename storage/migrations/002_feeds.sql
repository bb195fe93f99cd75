-- claimwatch schema, version 2: feed polling state and the entry registry (dedup at the door).
ALTER TABLE sources ADD COLUMN origin VARCHAR;            -- config | opml | adhoc (feeds); NULL for seed folders
ALTER TABLE sources ADD COLUMN title VARCHAR;             -- the feed's own title
ALTER TABLE sources ADD COLUMN last_bozo VARCHAR;         -- why the last body was not well-formed (it still parsed)
ALTER TABLE sources ADD COLUMN last_ok_at TIMESTAMP;      -- last poll that returned 200 or 304
ALTER TABLE sources ADD COLUMN last_entries INTEGER;      -- entries in the last parsed body
ALTER TABLE sources ADD COLUMN final_url VARCHAR;         -- where redirects led on the last poll

CREATE TABLE entries (
    feed_id       VARCHAR NOT NULL,                      -- sources.id of the feed
    entry_id      VARCHAR NOT NULL,                      -- guid, else link, else hash of title and date
    link          VARCHAR,                               -- as the feed gave it (resolved against the feed URL)
    canonical_url VARCHAR,                               -- canonical form of the link
    document_id   VARCHAR,                               -- the stored document this entry led to
    title         VARCHAR,
    published_at  TIMESTAMP,
    status        VARCHAR NOT NULL,                      -- stored | duplicate | unchanged | refused | skipped | failed
    reason        VARCHAR,
    attempts      INTEGER NOT NULL DEFAULT 0,
    first_seen_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_seen_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (feed_id, entry_id)
);

-- Every URL (canonical link from a feed, final URL after redirects, the page's rel=canonical) known to lead
-- to a stored document: an entry whose link is here is not fetched again.
CREATE TABLE url_aliases (
    url         VARCHAR PRIMARY KEY,
    document_id VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
