package dev.sluice.route;

import dev.sluice.metrics.CountsByKey;

/**
 * One subtask's count per route of one routing table, kept in a {@link CountsByKey} by job id: each
 * route's cell is found there once, then counted by the route's index. Counting per record by job
 * id looked the key up in a hash map every time, a twentieth of the router's time in the bench. The
 * array of cells, a reference per route (4 MB at a million jobs), is made at the first count, so a
 * count that never happens (no job filters or samples) takes no room.
 */
final class RouteCounts {

    private final CountsByKey counts;
    private final int routes;
    private CountsByKey.Count[] cells;

    RouteCounts(CountsByKey counts, RoutingTable table) {
        this.counts = counts;
        this.routes = table.routeCount();
    }

    /** Counts one record of the route. */
    void increment(RoutingTable.Route route) {
        if (cells == null) {
            cells = new CountsByKey.Count[routes];
        }
        CountsByKey.Count cell = cells[route.index()];
        if (cell == null) {
            cell = counts.cell(route.counterKey());
            cells[route.index()] = cell;
        }
        cell.increment();
    }
}
