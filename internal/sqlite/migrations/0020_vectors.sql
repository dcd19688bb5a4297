-- Semantic search: one vector per paper and embedding model (the model string
-- names the vector space; several may coexist while a library is re-embedded).
-- vec is a little-endian float32 scale followed by dim int8 values
-- (value = int8 * scale): a quarter of float32's size, and no measurable loss
-- in retrieval. text_hash is a hash of the text that was embedded, so a
-- changed title or abstract is re-embedded and an unchanged one is not.
CREATE TABLE paper_vectors (
    model      TEXT    NOT NULL,
    paper_id   TEXT    NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    dim        INTEGER NOT NULL,
    vec        BLOB    NOT NULL,
    text_hash  TEXT    NOT NULL DEFAULT '',
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (model, paper_id)
) WITHOUT ROWID;

CREATE INDEX paper_vectors_paper ON paper_vectors(paper_id);

-- The approximate-nearest-neighbour index's trained state (IVF centroids),
-- so that a restart does not train it again. data's format belongs to
-- internal/vecindex.
CREATE TABLE vector_index_state (
    model      TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
