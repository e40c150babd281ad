/* store.c — pick the backend for a database URL; small shared helpers.
 *
 * The PostgreSQL backend (kiosk/store/pg/) is a plugin, kiosk-store-pg.so, loaded
 * here only when the URL is postgresql://: a SQLite-only kiosk then never maps
 * libpq and its dependency tree (OpenSSL, Kerberos, LDAP, GnuTLS, …), which cost
 * about a third of its start.  The plugin calls back into the program for the
 * core (err, the queue engine, …): the Makefile exports exactly the symbols the
 * plugin's objects use (--dynamic-list), so there is one copy of each. */
#include "kiosk/store/store.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/err.h"
#include "kiosk/store/sql_exec.h"

static int write_wait_ms = 5000;
static void (*write_wait_notice)(int seconds);

void store_set_write_wait(int seconds, void (*notice)(int seconds))
{
    write_wait_ms = seconds > 0 ? seconds * 1000 : 5000;
    write_wait_notice = notice;
}

int store_write_wait_ms(void) { return write_wait_ms; }

void store_write_wait_notice(void)
{
    if (write_wait_notice)
        write_wait_notice(write_wait_ms / 1000);
}

int store_sqlite_open(const char *path, int create, struct store **out);
int store_sqlite_open_mode(const char *path, int mode, struct store **out);

/* Programs that link the backend's objects directly (the PostgreSQL contract
 * tests and benchmarks) define store_pg_open; in the product it stays NULL and
 * the plugin is loaded instead. */
int store_pg_open(const char *url, int create, struct store **out) __attribute__((weak));

/* Where `make install` puts the plugin (Makefile: -DKIOSK_PLUGINDIR). */
#ifndef KIOSK_PLUGINDIR
#define KIOSK_PLUGINDIR "/usr/local/lib/kiosk"
#endif
#define PG_PLUGIN "kiosk-store-pg.so"

typedef int (*store_open_fn)(const char *url, int create, struct store **out);

/* Find and load the plugin: $KIOSK_STORE_PG_PLUGIN if set (tests), else lib/
 * beside the binary (build/lib for build/kiosk, so an uninstalled build works),
 * else KIOSK_PLUGINDIR.  A file that exists but does not load (libpq missing, a
 * plugin from another build) is reported as is, not skipped.  The handle stays
 * open for the life of the process: the store's ops point into it. */
static int pg_plugin(store_open_fn *fn)
{
    static store_open_fn loaded;
    if (loaded) {
        *fn = loaded;
        return 0;
    }
    char cand[2][PATH_MAX];
    int n = 0;
    const char *env = getenv("KIOSK_STORE_PG_PLUGIN");
    if (env && *env) {
        snprintf(cand[n++], PATH_MAX, "%s", env);
    } else {
        char exe[PATH_MAX];
        ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
        char *slash = NULL;
        if (len > 0) {
            exe[len] = '\0';
            slash = strrchr(exe, '/');
        }
        if (slash) {
            *slash = '\0';
            if (snprintf(cand[n], PATH_MAX, "%s/lib/" PG_PLUGIN, exe) < PATH_MAX)
                n++;
        }
        snprintf(cand[n++], PATH_MAX, "%s/" PG_PLUGIN, KIOSK_PLUGINDIR);
    }
    for (int i = 0; i < n; i++) {
        if (access(cand[i], F_OK) != 0)
            continue;
        void *h = dlopen(cand[i], RTLD_NOW | RTLD_LOCAL);
        if (!h)
            return kerr(KERR_UNSUPPORTED, "PostgreSQL plugin %s does not load: %s", cand[i],
                        dlerror());
        void *sym = dlsym(h, "store_pg_open");
        if (!sym) {
            int err = kerr(KERR_UNSUPPORTED, "PostgreSQL plugin %s has no store_pg_open", cand[i]);
            dlclose(h);
            return err;
        }
        *(void **)&loaded = sym;   /* POSIX: dlsym's object pointer is the function */
        *fn = loaded;
        return 0;
    }
    return kerr(KERR_UNSUPPORTED,
                "PostgreSQL support is a plugin and it is not installed: no %s%s%s "
                "(make install puts it in %s)",
                cand[0], n > 1 ? ", no " : "", n > 1 ? cand[1] : "", KIOSK_PLUGINDIR);
}

int store_url_is_pg(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

int store_open(const char *url, int create, struct store **out)
{
    *out = NULL;
    if (!url || !*url)
        return kerr(KERR_USAGE, "no database given (--db FILE or [kiosk] database)");
    if (store_url_is_pg(url)) {
        store_open_fn pg_open = store_pg_open;
        int err = pg_open ? 0 : pg_plugin(&pg_open);
        return err ? err : pg_open(url, create, out);
    }
    if (strncmp(url, "file:", 5) == 0)
        url += 5;
    return store_sqlite_open(url, create, out);
}

int store_open_readonly(const char *url, struct store **out)
{
    *out = NULL;
    if (!url || !*url)
        return kerr(KERR_USAGE, "no database given (--db FILE or [kiosk] database)");
    if (store_url_is_pg(url)) {
        /* every transaction of the session read-only on the server: a
         * session setting the plugin keeps across reconnections, not the
         * URL's `options` startup parameter, which pgbouncer refuses
         * ("unsupported startup parameter: options", issue 13's load
         * through pgbouncer) */
        int err = store_open(url, 0, out);
        if (!err && (*out)->ops->set_read_only && (err = (*out)->ops->set_read_only(*out)))
            store_close(out);
        return err;
    }
    if (strncmp(url, "file:", 5) == 0)
        url += 5;
    return store_sqlite_open_mode(url, STORE_OPEN_RO, out);
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

long long store_lock_key(const void *p, size_t n)
{
    const unsigned char *b = p;
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return (long long)h;
}

int store_ping(struct store *st)
{
    return st->ops->sql->exec(st, "SELECT 1", "checking the database");
}

int store_set_statement_timeout(struct store *st, int ms)
{
    return st->ops->set_statement_timeout ? st->ops->set_statement_timeout(st, ms) : 0;
}
