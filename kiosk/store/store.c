/* store.c — pick the backend for a database URL; small shared helpers. */
#include "kiosk/store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/err.h"

int store_sqlite_open(const char *path, int create, struct store **out);
int store_pg_open(const char *url, int create, struct store **out);

int store_open(const char *url, int create, struct store **out)
{
    *out = NULL;
    if (!url || !*url)
        return kerr(KERR_USAGE, "no database given (--db FILE or [kiosk] database)");
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return store_pg_open(url, create, out);
    if (strncmp(url, "file:", 5) == 0)
        url += 5;
    return store_sqlite_open(url, create, out);
}

void store_close(struct store **st)
{
    if (*st)
        (*st)->ops->close(*st);
    *st = NULL;
}

void store_now(char out[32])
{
    const char *fixed = getenv("KIOSK_NOW");
    if (fixed && *fixed) {
        snprintf(out, 32, "%s", fixed);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}
