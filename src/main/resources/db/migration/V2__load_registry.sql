-- The load registry: every load, its progress and outcome, its stored rejects, the ledger of the chunks
-- a non-atomic load committed, and the Idempotency-Key it was sent with. Shared by every replica.

create table bulkload.loads (
    id                  uuid primary key,
    table_name          text        not null,            -- schema.name as reported
    principal           text,                            -- the caller's name when authentication is on
    format              text        not null,
    mode                text        not null,
    method              text        not null,
    atomic              boolean     not null,
    dry_run             boolean     not null,
    options             jsonb       not null default '{}', -- the other request options as given
    status              text        not null check (status in ('running', 'succeeded', 'failed', 'cancelled')),
    rows_received       bigint      not null default 0,
    rows_inserted       bigint      not null default 0,
    rows_updated        bigint      not null default 0,
    rows_skipped        bigint      not null default 0,
    rows_rejected       bigint      not null default 0,
    rows_committed      bigint      not null default 0,  -- non-atomic: rows in committed chunks
    -- transactions of the load that committed data (1 for an atomic load that succeeded; a non-atomic load's
    -- committed chunks), written only inside those transactions: after a COMMIT whose answer was lost, this
    -- says whether it committed even when the chunk changed no row (all skipped or rejected)
    chunks_committed    integer     not null default 0,
    batches             integer     not null default 0,
    bytes_read          bigint      not null default 0,
    rows_per_second     bigint      not null default 0,  -- the current rate while running, the load's when done
    started_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(), -- the last progress write (a heartbeat while running)
    finished_at         timestamptz,
    problem             jsonb,                           -- the RFC 9457 problem when failed or cancelled
    replica             text        not null,            -- the instance that ran it (host name)
    backend_pid         integer,                         -- the load's database backend, for pg_cancel_backend
    cancel_requested    boolean     not null default false,
    idempotency_key     text,
    fingerprint         text,                            -- hex SHA-256 of the body bytes, the table and the options
    response_status     integer,                         -- what was answered, replayed for a retry with the key
    response_body       jsonb,
    resumed_from_record bigint
);

create index loads_newest on bulkload.loads (started_at desc, id desc);
create index loads_table_newest on bulkload.loads (table_name, started_at desc, id desc);
create index loads_running on bulkload.loads (status) where status = 'running';
-- one load per key and caller; '' stands for "no authentication"
create unique index loads_idempotency_key on bulkload.loads (coalesce(principal, ''), idempotency_key)
    where idempotency_key is not null;

create table bulkload.load_rejects (
    load_id         uuid   not null references bulkload.loads on delete cascade,
    record          bigint not null,
    line            bigint,
    column_name     text,
    sql_state       text,
    constraint_name text,
    message         text   not null,
    raw             text,
    primary key (load_id, record)
);

create table bulkload.load_chunks (
    load_id       uuid        not null references bulkload.loads on delete cascade,
    chunk         integer     not null,                -- 1-based
    first_record  bigint      not null,
    last_record   bigint      not null,
    byte_from     bigint      not null,                -- offsets in the body as received (before gunzip)
    byte_to       bigint      not null,
    sha256        bytea       not null,
    rows_received bigint      not null,
    rows_inserted bigint      not null,
    rows_updated  bigint      not null,
    rows_skipped  bigint      not null,
    rows_rejected bigint      not null,
    committed_at  timestamptz not null default now(),
    primary key (load_id, chunk)
);
