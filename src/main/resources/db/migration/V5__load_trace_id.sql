-- The trace a load ran in (W3C trace id, 32 hex digits): the traceId of its problem and of its log lines, so an SRE
-- goes from a load in the registry to its spans and back. Written with the row's first write and by each attempt
-- that resumes the load; null for loads recorded before, or run with tracing turned off.
alter table bulkload.loads add column trace_id text;
