-- Where a load's records came from, so its rejects can be downloaded as a file to fix and load again: the name of
-- the uploaded file (multipart; null for a body sent as it is) and, for CSV with a header row, that row as received
-- (decoded to UTF-8, without byte-order mark and line break). Null for loads recorded before, or without them.
alter table bulkload.loads add column source_name text, add column source_header text;

-- Whether a stored reject's raw text was cut at bulkload.load.reject-raw-bytes: such a record is left out of the
-- file of rejected records to fix (form=records), which must not hold a record cut short.
alter table bulkload.load_rejects add column raw_truncated boolean not null default false;
