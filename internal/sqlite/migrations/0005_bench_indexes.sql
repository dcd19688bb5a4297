-- Feed indexes that give a page's order, found with `paperboy bench` (issue 2,
-- item 11; EXPLAIN QUERY PLAN on 20k-1M papers, about 1,000 a day). They
-- replace 0001's papers_day_upvotes and papers_month_upvotes, whose columns
-- they begin with, so writes keep the same number of feed indexes but one.
--
-- papers_day_feed: a day page sorted by upvotes (day = ?) reads its first
-- rows in order; a week's pages sort index entries, not rows; month is there
-- for the trending score.
DROP INDEX IF EXISTS papers_day_upvotes;
CREATE INDEX papers_day_feed ON papers(day, upvotes DESC, id DESC, month);
-- papers_month_feed: a month sorted by upvotes (the default) reads its first rows in order.
DROP INDEX IF EXISTS papers_month_upvotes;
CREATE INDEX papers_month_feed ON papers(month, upvotes DESC, day DESC, id DESC);
-- papers_month_newest: a month sorted by newest is 30,000 rows to sort without it.
CREATE INDEX papers_month_newest ON papers(month, day, coalesce(published, day), id, upvotes);
