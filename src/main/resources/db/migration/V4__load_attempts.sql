-- Each run of a load under its id is an attempt: 1 for a new load, one more for each retry with its
-- Idempotency-Key that resumes it. Every write of the row names its attempt, and a write of an older attempt
-- (a final state written late through the pool) never changes the row of a newer one.
alter table bulkload.loads add column attempt integer not null default 1;
