/** Who may call: JWT bearer tokens and API keys, their per-table grants, and the security filter chain. */
package dev.bulkload.security;
