package dev.bulkload.session;

/** A table privilege a load may need from the role it runs as. */
public enum TablePrivilege {

    /** Reading the table: the key match of upsert, ignore and update, and the checks of staged loads. */
    SELECT,

    /** Adding rows: every mode but update. */
    INSERT,

    /** Changing rows: upsert and update. */
    UPDATE
}
