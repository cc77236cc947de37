/** The load use case: a LoadRequest becomes a transaction of chunked writes and a LoadReport; and its controller. */
package dev.bulkload.ingest;

import dev.bulkload.options.LoadRequest;
