package dev.bulkload.registry;

import java.util.List;

/**
 * One page of loads, newest first.
 * @param loads the loads
 * @param next the cursor for the next (older) page, passed back as {@code before}; null on the last page
 */
public record LoadPage(List<LoadView> loads, String next) {
}
