-- Papers: one row per arXiv paper (the id without version). Dates are UTC:
-- timestamps as 'YYYY-MM-DDTHH:MM:SSZ', days as 'YYYY-MM-DD'.
CREATE TABLE papers (
    pk                INTEGER PRIMARY KEY,           -- stable row key (search indexes may use it)
    id                TEXT    NOT NULL UNIQUE,       -- normalised arXiv id: 2310.06110, hep-th/9901001
    version           INTEGER NOT NULL DEFAULT 0,    -- latest known version, 0 = unknown
    versions          TEXT    NOT NULL DEFAULT '[]', -- JSON [{"version":1,"created":"...Z"}], the whole history
    title             TEXT    NOT NULL,              -- as the source gave it (LaTeX, spacing)
    abstract          TEXT    NOT NULL DEFAULT '',
    authors           TEXT    NOT NULL DEFAULT '[]', -- JSON array, in order
    author_count      INTEGER NOT NULL DEFAULT 0,
    categories        TEXT    NOT NULL DEFAULT '',   -- space-separated, primary first
    submitter         TEXT    NOT NULL DEFAULT '',
    comments          TEXT    NOT NULL DEFAULT '',
    journal_ref       TEXT    NOT NULL DEFAULT '',
    doi               TEXT    NOT NULL DEFAULT '',
    license           TEXT    NOT NULL DEFAULT '',
    published         TEXT,                          -- v1 date
    updated           TEXT,                          -- last update
    listing_date      TEXT,                          -- arXiv update_date / listing day
    daily_date        TEXT,                          -- day featured on a Daily Papers list
    day               TEXT,                          -- feed day: daily_date, else published, else listing_date
    month             TEXT,                          -- feed month: day's month, else the id's month
    code_urls         TEXT    NOT NULL DEFAULT '[]', -- JSON array
    project_page      TEXT    NOT NULL DEFAULT '',
    source_upvotes    INTEGER NOT NULL DEFAULT 0,    -- imported (Hugging Face) upvotes, as counted at source_upvotes_at
    source_upvotes_at TEXT,
    -- Kept by the community layer in the same transaction as the vote or
    -- comment, so that feeds sort and count without joins.
    votes             INTEGER NOT NULL DEFAULT 0,    -- votes cast in Paperboy
    num_comments      INTEGER NOT NULL DEFAULT 0,    -- visible comments
    submitted_by      TEXT,                          -- username of the Paperboy user who submitted it
    upvotes           INTEGER GENERATED ALWAYS AS (source_upvotes + votes) VIRTUAL,
    added_at          TEXT    NOT NULL,
    seq               INTEGER NOT NULL               -- change sequence: raised on every write of the row
);

-- Feeds: a day or week is a range of days, a month is one value; both sorted by upvotes.
CREATE INDEX papers_day_upvotes ON papers(day, upvotes DESC);
CREATE INDEX papers_month_upvotes ON papers(month, upvotes DESC);
CREATE INDEX papers_seq ON papers(seq);
CREATE INDEX papers_submitted_by ON papers(submitted_by) WHERE submitted_by IS NOT NULL;
