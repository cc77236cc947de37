-- Callers are named by how they authenticated from now on: 'key:<API key name>' or 'jwt:<principal claim>', so an
-- API key and a token subject spelled alike share neither Idempotency-Keys nor a load share. A row written before
-- cannot tell which kind of caller sent it: it is marked 'legacy:<name>', a name no caller has. Its key is then
-- nobody's: a retry with it by a caller of that bare name is refused (409 idempotency-key-unattributed) rather
-- than replayed, resumed or run a second time. Rows without a principal (security off) stay as they are.
update bulkload.loads set principal = 'legacy:' || principal
where principal is not null;
