/* store_sqlite_queue.c — what the housing queue does differently on SQLite:
 * only the page cache around an import.  Everything else is the shared
 * engine (kiosk/store/queue_engine*.c), whose statement-per-row bulk paths
 * are the right ones here (a statement costs about a microsecond). */
#include "kiosk/store/queue_engine.h"
#include "kiosk/store/sqlite/store_sqlite.h"

/* A million rows land in four B-trees in random key order (id_hash,
 * receipt_no): with SQLite's default 2 MiB page cache every insert misses.
 * A big cache for the length of the bulk write keeps the import close to
 * the bare insert floor; the kiosk's own connections keep the default. */
static int sqlite_bulk_load(struct store *st, int program_id, const struct bulk_row *rows,
                            long long n, long long seq, long long existing, const char *at,
                            const char *actor, long long counts[4])
{
    struct sqlite_store *s = sq(st);
    sq_exec(s, "PRAGMA cache_size = -262144");
    int err = queue_engine_load_rows(st, program_id, rows, n, seq, existing, at, actor, counts);
    sq_exec(s, "PRAGMA cache_size = -2000");
    return err;
}

const struct queue_backend sqlite_queue_backend = {
    .bulk_load = sqlite_bulk_load,
};
