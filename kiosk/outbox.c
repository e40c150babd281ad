/* outbox.c — applications kept on the kiosk while the database is away
 * (see outbox.h). */
#include "kiosk/outbox.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/auth.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/followup.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

struct outbox {
    sqlite3 *db;
    char path[512];
};

#define SEP '\x1f'            /* between the form's fields (never in one: checked) */
#define FORM_MAX 2048

static const char schema[] =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = FULL;"
    "CREATE TABLE IF NOT EXISTS outbox ("
    "  ref    TEXT PRIMARY KEY,"          /* the application's reference: the idempotency key */
    "  at     TEXT NOT NULL,"             /* when the resident submitted it */
    "  sealed BLOB NOT NULL,"             /* the form, sealed with the site secret */
    "  state  TEXT NOT NULL DEFAULT 'pending',"   /* pending | filed | refused */
    "  note   TEXT NOT NULL DEFAULT ''"
    ");";

static int db_err(struct outbox *ob, const char *what)
{
    return kerr(KERR_IO, "%s: %s: %s", ob->path, what, sqlite3_errmsg(ob->db));
}

int outbox_open(const char *path, struct outbox **out)
{
    *out = NULL;
    struct outbox *ob = calloc(1, sizeof *ob);
    if (!ob)
        return KERR_NOMEM;
    snprintf(ob->path, sizeof ob->path, "%s", path);
    /* created 0600 before SQLite opens it: resident data, even sealed */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        free(ob);
        return kerr(KERR_IO, "%s: cannot create the outbox: %m", path);
    }
    close(fd);
    int err = 0;
    if (sqlite3_open_v2(path, &ob->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(ob->db, schema, NULL, NULL, NULL) != SQLITE_OK)
        err = db_err(ob, "opening the outbox");
    if (err) {
        sqlite3_close(ob->db);
        free(ob);
        return err;
    }
    sqlite3_busy_timeout(ob->db, 2000);
    *out = ob;
    return 0;
}

void outbox_close(struct outbox **ob)
{
    if (!*ob)
        return;
    sqlite3_close((*ob)->db);
    free(*ob);
    *ob = NULL;
}

/* ---- the sealed form ------------------------------------------------------ */

static int put(char *buf, size_t cap, size_t *len, const char *field, bool last)
{
    if (strchr(field, SEP))
        return kerr(KERR_INPUT, "a form field holds a control character");
    int n = snprintf(buf + *len, cap - *len, "%s%c", field, last ? '\0' : SEP);
    if (n < 0 || (size_t)n >= cap - *len)
        return kerr(KERR_INPUT, "the form is too long to keep");
    *len += (size_t)n;
    return 0;
}

static int form_text(const struct bed_form *f, const char *actor, char *buf, size_t cap)
{
    char svc[16];
    snprintf(svc, sizeof svc, "%u", f->services);
    size_t len = 0;
    int err;
    if ((err = put(buf, cap, &len, f->elder_id, false)) ||
        (err = put(buf, cap, &len, f->elder_name, false)) ||
        (err = put(buf, cap, &len, f->by_agent ? "1" : "0", false)) ||
        (err = put(buf, cap, &len, f->agent_id, false)) ||
        (err = put(buf, cap, &len, f->agent_name, false)) ||
        (err = put(buf, cap, &len, f->agent_phone, false)) ||
        (err = put(buf, cap, &len, f->address, false)) ||
        (err = put(buf, cap, &len, svc, false)) ||
        (err = put(buf, cap, &len, f->kiosk_id, false)) ||
        /* the street last: a form kept before it existed reads as "" */
        (err = put(buf, cap, &len, actor, false)) ||
        (err = put(buf, cap, &len, f->street, true)))
        return err;
    return 0;
}

/* The next field of text (cut at SEP) into out. */
static const char *take(const char *p, char *out, size_t cap)
{
    const char *e = strchr(p, SEP);
    size_t n = e ? (size_t)(e - p) : strlen(p);
    snprintf(out, cap, "%.*s", (int)n, p);
    return e ? e + 1 : p + n;
}

static void form_parse(const char *text, struct bed_form *f, char *actor, size_t actor_cap)
{
    char by[4], svc[16];
    memset(f, 0, sizeof *f);
    const char *p = text;
    p = take(p, f->elder_id, sizeof f->elder_id);
    p = take(p, f->elder_name, sizeof f->elder_name);
    p = take(p, by, sizeof by);
    p = take(p, f->agent_id, sizeof f->agent_id);
    p = take(p, f->agent_name, sizeof f->agent_name);
    p = take(p, f->agent_phone, sizeof f->agent_phone);
    p = take(p, f->address, sizeof f->address);
    p = take(p, svc, sizeof svc);
    p = take(p, f->kiosk_id, sizeof f->kiosk_id);
    p = take(p, actor, actor_cap);
    take(p, f->street, sizeof f->street);
    f->by_agent = by[0] == '1';
    f->services = (unsigned)strtoul(svc, NULL, 10);
    f->consent = true;    /* it was given at the kiosk, with the rest of the form */
}

/* ---- keeping and filing --------------------------------------------------- */

int outbox_add(struct outbox *ob, const struct secret *sec, const char *actor,
               const struct bed_form *form, char ref[33], char at[32])
{
    char text[FORM_MAX];
    unsigned char sealed[FORM_MAX + SECRET_SEAL_OVERHEAD];
    int err = form_text(form, actor, text, sizeof text);
    if (err)
        return err;
    size_t n = strlen(text);
    store_now(at);
    sqlite3_stmt *q = NULL;
    for (int tries = 0; tries < 8; tries++) {
        followup_ref_new(ref);
        /* bound to its reference, like the database's fields to their row */
        char ad[48];
        snprintf(ad, sizeof ad, "outbox/%s", ref);
        secret_seal(sec, text, n, ad, sealed);
        if (sqlite3_prepare_v2(ob->db, "INSERT INTO outbox(ref, at, sealed) VALUES (?1, ?2, ?3)",
                               -1, &q, NULL) != SQLITE_OK)
            return db_err(ob, "keeping an application");
        sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, at, -1, SQLITE_STATIC);
        sqlite3_bind_blob(q, 3, sealed, (int)(n + SECRET_SEAL_OVERHEAD), SQLITE_STATIC);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc == SQLITE_DONE || rc != SQLITE_CONSTRAINT) {
            secure_wipe(text, sizeof text);
            return rc == SQLITE_DONE ? 0 : db_err(ob, "keeping an application");
        }
    }
    secure_wipe(text, sizeof text);
    return kerr(KERR_IO, "%s: cannot find an unused reference", ob->path);
}

int outbox_count(struct outbox *ob, long long *pending, long long *refused)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db, "SELECT sum(state = 'pending'), sum(state = 'refused') "
                                   "FROM outbox", -1, &q, NULL) != SQLITE_OK)
        return db_err(ob, "counting");
    *pending = *refused = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        *pending = sqlite3_column_int64(q, 0);
        *refused = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    return 0;
}

static int mark(struct outbox *ob, const char *ref, const char *state, const char *note)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db, "UPDATE outbox SET state = ?2, note = ?3 WHERE ref = ?1", -1,
                           &q, NULL) != SQLITE_OK)
        return db_err(ob, "marking an application");
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, note, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : db_err(ob, "marking an application");
}

struct kept {
    char ref[33], at[32];
    unsigned char sealed[FORM_MAX + SECRET_SEAL_OVERHEAD];
    int len;
};

/* The oldest pending one; KERR_NOTFOUND when none. */
static int oldest(struct outbox *ob, struct kept *k)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db, "SELECT ref, at, sealed FROM outbox WHERE state = 'pending' "
                                   "ORDER BY at, ref LIMIT 1", -1, &q, NULL) != SQLITE_OK)
        return db_err(ob, "reading the outbox");
    int rc = sqlite3_step(q), err = KERR_NOTFOUND;
    if (rc == SQLITE_ROW) {
        snprintf(k->ref, sizeof k->ref, "%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(k->at, sizeof k->at, "%s", (const char *)sqlite3_column_text(q, 1));
        k->len = sqlite3_column_bytes(q, 2);
        if (k->len > (int)sizeof k->sealed)
            err = kerr(KERR_IO, "%s: application %s is damaged", ob->path, k->ref);
        else {
            memcpy(k->sealed, sqlite3_column_blob(q, 2), (size_t)k->len);
            err = 0;
        }
    } else if (rc != SQLITE_DONE) {
        err = db_err(ob, "reading the outbox");
    }
    sqlite3_finalize(q);
    return err;
}

int outbox_deliver(struct outbox *ob, struct store *st, const struct secret *sec, int *filed,
                   int *refused)
{
    *filed = *refused = 0;
    struct kept *k = calloc(1, sizeof *k);
    struct bed_form *f = calloc(1, sizeof *f);
    char *text = calloc(1, FORM_MAX + 1);
    int err = !k || !f || !text ? KERR_NOMEM : 0;
    while (!err && !(err = oldest(ob, k))) {
        size_t n = 0;
        char actor[64], ref[33];
        char ad[48];
        snprintf(ad, sizeof ad, "outbox/%s", k->ref);
        if (secret_open(sec, k->sealed, (size_t)k->len, ad, text, FORM_MAX + 1, &n) != 0) {
            err = mark(ob, k->ref, "refused", "cannot be decrypted with this site secret");
            ++*refused;
            continue;
        }
        form_parse(text, f, actor, sizeof actor);
        struct actor who = {0};
        snprintf(who.name, sizeof who.name, "%s", actor);
        snprintf(ref, sizeof ref, "%s", k->ref);
        int serr = bed_submit_as(st, sec, &who, f, ref, k->at);
        if (kerr_is_offline(serr)) {
            err = serr;                   /* away again: the rest waits */
        } else if (serr) {
            char note[256];
            snprintf(note, sizeof note, "%s", kerr_detail());
            err = mark(ob, k->ref, "refused", note);
            ++*refused;
        } else {
            char now[32];
            store_now(now);
            err = mark(ob, k->ref, "filed", now);
            ++*filed;
        }
    }
    if (err == KERR_NOTFOUND)
        err = 0;
    if (text)
        secure_wipe(text, FORM_MAX + 1);
    if (f)
        secure_wipe(f, sizeof *f);
    free(text);
    free(f);
    free(k);
    return err;
}

int outbox_each(struct outbox *ob, int (*cb)(void *ctx, const struct outbox_item *it), void *ctx)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db, "SELECT ref, at, state, note FROM outbox ORDER BY at, ref", -1,
                           &q, NULL) != SQLITE_OK)
        return db_err(ob, "listing the outbox");
    int rc, err = 0;
    while (!err && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct outbox_item it;
        snprintf(it.ref, sizeof it.ref, "%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(it.at, sizeof it.at, "%s", (const char *)sqlite3_column_text(q, 1));
        snprintf(it.state, sizeof it.state, "%s", (const char *)sqlite3_column_text(q, 2));
        snprintf(it.note, sizeof it.note, "%s", (const char *)sqlite3_column_text(q, 3));
        err = cb(ctx, &it);
    }
    sqlite3_finalize(q);
    return err;
}
