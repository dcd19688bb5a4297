-- Community: accounts, sessions, password resets, votes, comments and
-- submissions. The counters on papers (votes, num_comments, submitted_by;
-- migration 0001) are kept in the same transaction as these rows.

-- Usernames and emails are unique case-insensitively (NOCASE folds ASCII;
-- the service also lower-cases emails and restricts usernames to ASCII).
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    email               TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash       TEXT    NOT NULL,                -- argon2id PHC string, never the password
    role                TEXT    NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
    banned_at           TEXT,
    email_verified_at   TEXT,                            -- NULL until the sign-up link was followed
    created_at          TEXT    NOT NULL,
    password_changed_at TEXT    NOT NULL
);

-- Sessions are stored under the SHA-256 of the cookie's secret, so that the
-- database alone cannot be used to log in.
CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    user_agent TEXT    NOT NULL DEFAULT '',
    ip         TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Emailed single-use tokens (password reset, email verification), by hash.
CREATE TABLE user_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('reset', 'verify')),
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT
) WITHOUT ROWID;
CREATE INDEX user_tokens_user ON user_tokens(user_id, purpose);

-- One vote per user per paper: the primary key makes a double click harmless.
CREATE TABLE votes (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    paper_id   TEXT    NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, paper_id)
) WITHOUT ROWID;
CREATE INDEX votes_paper ON votes(paper_id);
CREATE INDEX votes_user_time ON votes(user_id, created_at);

-- Threaded comments. A deleted comment keeps its row (empty body) so that
-- its replies keep their place in the thread.
CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    paper_id   TEXT    NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    parent_id  INTEGER REFERENCES comments(id),
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    edited_at  TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0,
    hidden     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comments_paper ON comments(paper_id, id);
CREATE INDEX comments_user ON comments(user_id, id);

-- Who submitted a paper to Paperboy (one submitter per paper: the first).
CREATE TABLE submissions (
    paper_id   TEXT    PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX submissions_user ON submissions(user_id, created_at);
