/* migrate_engine.c — what migrating the schema is on every backend, once:
 * count the steps, refuse a database newer than this program, and apply the
 * missing steps followed by the data upgrades some steps need.  Where the
 * version is kept, how the transaction is opened and locked, and how the
 * version is recorded stay with each backend (SQLite: PRAGMA user_version;
 * PostgreSQL: the kiosk_schema table under an advisory lock). */
#include <stdio.h>

#include "kiosk/err.h"
#include "kiosk/store/store_engine.h"

int migrate_latest(const char *const *steps)
{
    int n = 0;
    while (steps[n])
        n++;
    return n;
}

int migrate_check(const char *where, int version, int latest)
{
    if (version > latest)
        return kerr(KERR_SCHEMA, "%s: schema version %d is newer than this program knows (%d)",
                    where, version, latest);
    return 0;
}

int migrate_apply(struct store *st, const char *const *steps, int version, int latest)
{
    const struct sql_exec_ops *x = sql_of(st);
    int err;
    for (int v = version; v < latest; v++) {
        char what[48];
        snprintf(what, sizeof what, "migration %d", v + 1);
        if ((err = x->exec(st, steps[v], what)))
            return err;
    }
    /* 005 added the change breakdown's structures: fill them in */
    if (version < 5 && latest >= 5 && (err = queue_engine_upgrade(st)))
        return err;
    return 0;
}
