/* stmt_log.h — count the statements a PostgreSQL server really ran for one
 * piece of work, from its own log (issue 13: "count statements", not
 * transactions — xact_commit swings with unrelated traffic).
 *
 * The store's connection turns on log_statement = all for itself only, runs
 * a marker statement, the work, and an end marker; the count is the
 * "statement:" / "execute" lines between the markers in the server log
 * (tests/pg/cluster.sh writes it to $KIOSK_TEST_PGDATA/server.log).  Other
 * connections log nothing, so parallel tests do not disturb the count.
 * Header-only, for tests/unit/test_lookup_facts.c and tests/bench/pg_load.c. */
#ifndef TESTS_PG_STMT_LOG_H
#define TESTS_PG_STMT_LOG_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/store/sql_exec.h"
#include "kiosk/store/store.h"

struct stmt_log {
    char path[512];
    char begin[64], end[64];
};

/* Start counting on st's connection; -1 when there is no server log. */
static inline int stmt_log_start(struct store *st, const char *tag, struct stmt_log *l)
{
    const char *d = getenv("KIOSK_TEST_PGDATA");
    if (!d)
        return -1;
    snprintf(l->path, sizeof l->path, "%s/server.log", d);
    snprintf(l->begin, sizeof l->begin, "kiosk-mark-%s-begin-%ld", tag, (long)getpid());
    snprintf(l->end, sizeof l->end, "kiosk-mark-%s-end-%ld", tag, (long)getpid());
    /* two strings: a simple query is logged (or not) as a whole, before
     * its SET takes effect */
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT '%s'", l->begin);
    return st->ops->sql->exec(st, "SET log_statement = 'all'", "logging statements") ||
           st->ops->sql->exec(st, sql, "marking the server log") ? -1 : 0;
}

/* Stop counting; the statements between the markers, or -1. */
static inline int stmt_log_stop(struct store *st, struct stmt_log *l)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT '%s'; SET log_statement = 'none'", l->end);
    if (st->ops->sql->exec(st, sql, "marking the server log"))
        return -1;
    FILE *f = fopen(l->path, "r");
    if (!f)
        return -1;
    char line[8192];
    int n = -1;
    bool done = false;
    while (!done && fgets(line, sizeof line, f)) {
        if (!strstr(line, "LOG:  statement: ") && !strstr(line, "LOG:  execute "))
            continue;
        if (strstr(line, l->begin))
            n = 0;
        else if (strstr(line, l->end))
            done = true;
        else if (n >= 0)
            n++;
    }
    fclose(f);
    return done ? n : -1;
}

#endif
