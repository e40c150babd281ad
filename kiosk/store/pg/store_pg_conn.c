/* store_pg_conn.c — the PostgreSQL connection: opened with bounded waits,
 * and re-opened with back-off when the server goes away.
 *
 * A kiosk must never hang on a district database that is down or cut off
 * (issue 13): connect_timeout bounds a connection attempt, TCP keepalives
 * and tcp_user_timeout notice a server that vanished without closing the
 * connection while we wait on it, and an optional statement_timeout bounds
 * a statement.  When the connection is lost, every call fails at once with
 * KERR_OFFLINE (no network wait) until the next retry is due — 1 s, then
 * doubling up to 30 s.  The reconnection itself is non-blocking
 * (PQresetStart, then one PQresetPoll per call, abandoned after 5 s), so a
 * kiosk polling from its UI loop never freezes while the server is away;
 * once connected, the session settings are sent again and the statement
 * cache is emptied (the server forgot the prepared statements with the old
 * connection).  A
 * transaction in progress when the connection broke is lost (the server
 * rolled it back); the caller sees the error and nothing half-done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>

#include "kiosk/err.h"
#include "kiosk/secret.h"
#include "kiosk/store/pg/store_pg.h"

#define CONNECT_TIMEOUT_MS 5000   /* a reconnection, as connect_timeout=5 for the first */
#define RETRY_FIRST_MS 1000
#define STEP_MS 50                /* the longest one call waits for the server */
#define RETRY_MAX_MS 30000

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Our bounds come first: whatever the URL itself sets wins over them
 * (expand_dbname: later keywords override earlier ones). */
static PGconn *connect_url(const char *url)
{
    const char *const keys[] = {"connect_timeout", "keepalives", "keepalives_idle",
                                "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                "dbname", NULL};
    const char *const vals[] = {"5", "1", "5", "2", "3", "10000", url, NULL};
    return PQconnectdbParams(keys, vals, 1);
}

/* The per-connection settings, sent on every (re)connect.  lock_timeout:
 * how long a write waits for another writer ([kiosk] write_wait).  Generic plans:
 * every statement is prepared once per connection and is an index walk
 * whatever its parameters, but the server re-plans a statement for its
 * first five runs by default, and the one-statement look-up (~20 sub-plans)
 * takes 8–20 ms to plan against ~1.5 ms to run — a new kiosk connection
 * would pay that five times. */
static int configure(struct pg_store *s)
{
    char sql[460];
    snprintf(sql, sizeof sql,
             "SET client_encoding = 'UTF8'; SET client_min_messages = warning; "
             "SET synchronous_commit = on; SET lock_timeout = '%dms'; "
             "SET idle_in_transaction_session_timeout = '10min'; "
             "SET plan_cache_mode = force_generic_plan; SET statement_timeout = %d%s",
             store_write_wait_ms(), s->statement_timeout_ms,
             s->read_only ? "; SET default_transaction_read_only = on" : "");
    return pg_exec_raw(s, sql, "configuring the session");
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void forget_statements(struct pg_store *s)
{
    for (int i = 0; i < s->n_cache; i++) {
        PQclear(s->q[i].res);
        s->q[i].res = NULL;
    }
    s->n_cache = 0;
}

static int connection_error(struct pg_store *s)
{
    char msg[300];
    snprintf(msg, sizeof msg, "%s", s->conn ? PQerrorMessage(s->conn) : "out of memory");
    msg[strcspn(msg, "\n")] = '\0';
    /* never echo the URL: it may carry a password */
    return kerr(KERR_OFFLINE, "cannot connect to PostgreSQL: %s", msg);
}

/* Connected (first or again): where to, for messages — with a list of hosts
 * (a failover URL) the one that answered, which may differ from the last
 * time — and the session settings. */
static int connected(struct pg_store *s)
{
    snprintf(s->where, sizeof s->where, "postgresql://%s:%s/%s", PQhost(s->conn),
             PQport(s->conn), PQdb(s->conn));
    PQsetNoticeProcessor(s->conn, quiet_notice, NULL);
    return configure(s);
}

int pg_connect(struct pg_store *s, const char *url)
{
    s->url = strdup(url);
    if (!s->url)
        return KERR_NOMEM;
    s->conn = connect_url(url);
    if (!s->conn)
        return KERR_NOMEM;
    if (PQstatus(s->conn) != CONNECTION_OK)
        return connection_error(s);
    return connected(s);
}

void pg_disconnect(struct pg_store *s)
{
    forget_statements(s);
    PQfinish(s->conn);
    s->conn = NULL;
    if (s->url) {
        secure_wipe(s->url, strlen(s->url));
        free(s->url);
        s->url = NULL;
    }
}

/* One step of a reconnection in progress (non-blocking: PQresetPoll never
 * waits, so the caller's UI does not either); KERR_OFFLINE until it is done. */
static int reconnect_step(struct pg_store *s, long long now)
{
    /* libpq's rule: poll again only when the socket is ready the way the
     * last poll asked.  A handshake is several exchanges (TLS offer, start-up,
     * authentication, settings), each answered in well under a millisecond
     * by a live server: advance through as many as answer within STEP_MS, so
     * a probe every few seconds completes it, and never wait longer. */
    PostgresPollingStatusType ps = s->poll_want;
    long long until = now + STEP_MS;
    while (ps == PGRES_POLLING_READING || ps == PGRES_POLLING_WRITING) {
        struct pollfd pfd = {.fd = PQsocket(s->conn),
                             .events = ps == PGRES_POLLING_READING ? POLLIN : POLLOUT};
        long long left = until - now_ms();
        if (pfd.fd >= 0 && poll(&pfd, 1, left > 0 ? (int)left : 0) == 0)
            break;                          /* not yet: the next call goes on */
        ps = s->poll_want = PQresetPoll(s->conn);
    }
    if (ps == PGRES_POLLING_FAILED)
        goto failed;
    if (ps == PGRES_POLLING_OK) {
        s->connecting_since_ms = 0;
        int err = connected(s);
        if (!err) {
            s->backoff_ms = 0;
            s->retry_at_ms = 0;
            s->reconnects++;
            return 0;
        }
    } else if (ps != PGRES_POLLING_FAILED && now - s->connecting_since_ms < CONNECT_TIMEOUT_MS) {
        return kerr(KERR_OFFLINE, "%s: the database cannot be reached (reconnecting)", s->where);
    }
failed:;
    /* failed or timed out: try again later, backing off */
    int err = connection_error(s);
    s->connecting_since_ms = 0;
    s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2 : RETRY_FIRST_MS;
    if (s->backoff_ms > RETRY_MAX_MS)
        s->backoff_ms = RETRY_MAX_MS;
    s->retry_at_ms = now_ms() + s->backoff_ms;
    return err;
}

int pg_ready(struct pg_store *s)
{
    if (!s->connecting_since_ms && PQstatus(s->conn) == CONNECTION_OK)
        return 0;
    long long now = now_ms();
    if (s->connecting_since_ms)
        return reconnect_step(s, now);
    if (s->retry_at_ms && now < s->retry_at_ms)
        return kerr(KERR_OFFLINE, "%s: the database cannot be reached (next try in %lld s)",
                    s->where, (s->retry_at_ms - now + 999) / 1000);
    /* the server rolled back whatever transaction was open */
    pg_txn_over(s);
    forget_statements(s);
    /* a start that fails at once makes the first poll report it */
    s->poll_want = PQresetStart(s->conn) ? PGRES_POLLING_WRITING : PGRES_POLLING_FAILED;
    s->connecting_since_ms = now;
    return reconnect_step(s, now);
}

void pg_lost(struct pg_store *s)
{
    if (!s->retry_at_ms)
        s->retry_at_ms = now_ms() + RETRY_FIRST_MS;   /* one quick retry after a drop */
}

int pg_set_read_only(struct store *st)
{
    struct pg_store *s = pgs(st);
    s->read_only = true;   /* configure() sets it again after a reconnection */
    return pg_exec(s, "SET default_transaction_read_only = on", "making the session read-only");
}

int pg_set_statement_timeout(struct store *st, int ms)
{
    struct pg_store *s = pgs(st);
    s->statement_timeout_ms = ms < 0 ? 0 : ms;
    char sql[64];
    snprintf(sql, sizeof sql, "SET statement_timeout = %d", s->statement_timeout_ms);
    return pg_exec(s, sql, "setting the statement timeout");
}
