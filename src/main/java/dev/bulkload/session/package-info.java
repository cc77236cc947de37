/**
 * Holds one pooled connection for a load: its transactions run one after the other on it, and nothing of the load
 * outlives one of them on the server, so each may reach another backend (behind a transaction pooler).
 */
package dev.bulkload.session;
