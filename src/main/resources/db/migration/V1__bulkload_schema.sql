-- The service owns the schema "bulkload" (Flyway creates it and keeps its history here).
-- Nothing outside it is ever created or changed by migrations.
comment on schema bulkload is 'Owned by bulk-loader; managed by Flyway. Never loadable through the API.';
