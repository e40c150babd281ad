/* notice.c — the resident-facing notices (notice.h) over the store's SQL
 * executor: one upsert and one select, the same text on SQLite and
 * PostgreSQL (ON CONFLICT … DO UPDATE is spelt the same on both). */
#include "kiosk/notice.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/next_steps.h"
#include "kiosk/store/sql_exec.h"
#include "kiosk/store/store.h"

static const char *const kind_name[] = {"entry", "bed"};

void notice_entry_ref(const char *program_code, const char *receipt_no, char *out, unsigned long cap)
{
    snprintf(out, cap, "%s/%s", program_code, receipt_no);
}

static bool real_date(const char *s)
{
    int y, m, d;
    char extra;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
        return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

int notice_check(const struct notice *n)
{
    if (n->offer_deadline[0] && !real_date(n->offer_deadline))
        return kerr(KERR_INPUT, "offer deadline: must be a date YYYY-MM-DD (got \"%s\")", n->offer_deadline);
    if (!memchr(n->reason_text, 0, sizeof n->reason_text) ||
        !memchr(n->offer_place, 0, sizeof n->offer_place) ||
        !memchr(n->offer_contact, 0, sizeof n->offer_contact) ||
        !memchr(n->reason_code, 0, sizeof n->reason_code))
        return kerr(KERR_INPUT, "notice: a field is too long");
    return 0;
}

int notice_reason(struct notice *n, const struct ns_config *ns, const char *code, const char *text)
{
    if (!code || !next_steps_reason_lookup(ns, code, "en")) {
        char known[512] = "";
        size_t len = 0;
        for (int i = 0; i < next_steps_reason_count(ns) && len < sizeof known; i++)
            len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
                                    next_steps_reason_code(ns, i));
        return kerr(KERR_INPUT, "reason for the resident \"%s\": not one of the configured "
                    "reasons (%s)", code ? code : "", known);
    }
    if (text && strlen(text) >= sizeof n->reason_text)
        return kerr(KERR_INPUT, "text for the resident: at most %zu bytes (got %zu)",
                    sizeof n->reason_text - 1, strlen(text));
    snprintf(n->reason_code, sizeof n->reason_code, "%s", code);
    snprintf(n->reason_text, sizeof n->reason_text, "%s", text ? text : "");
    return 0;
}

int notice_set(struct store *st, int kind, const char *ref, struct notice *n)
{
    if (kind != NOTICE_ENTRY && kind != NOTICE_BED)
        return KERR_USAGE;
    int err = notice_check(n);
    if (err)
        return err;
    const struct sql_exec_ops *x = sql_of(st);
    if (!x)
        return kerr(KERR_UNSUPPORTED, "the %s store keeps no notices", st->ops->name);
    if (!n->at[0])
        store_now(n->at);
    static const char sql[] =
        "INSERT INTO resident_notice (kind, ref, status, at, reason_code, reason_text,"
        " offer_deadline, offer_place, offer_contact) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (kind, ref) DO UPDATE SET status = excluded.status, at = excluded.at,"
        " reason_code = excluded.reason_code, reason_text = excluded.reason_text,"
        " offer_deadline = excluded.offer_deadline, offer_place = excluded.offer_place,"
        " offer_contact = excluded.offer_contact";
    /* one upsert that decides nothing on what it read: beside other writers
     * (it follows every staff action at the console; issue 13) */
    if ((err = store_begin_as(st, STORE_WRITE_SHARED)))
        return err;
    struct sql_stmt *q = x->prepare(st, sql);
    if (!q) {
        store_rollback(st);
        return KERR_DB;
    }
    x->bind_text(q, 1, kind_name[kind]);
    x->bind_text(q, 2, ref);
    x->bind_int64(q, 3, n->status);
    x->bind_text(q, 4, n->at);
    x->bind_text(q, 5, n->reason_code);
    x->bind_text(q, 6, n->reason_text);
    x->bind_text(q, 7, n->offer_deadline);
    x->bind_text(q, 8, n->offer_place);
    x->bind_text(q, 9, n->offer_contact);
    err = x->step(q, "save the resident notice");
    x->reset(q);
    if (err < 0 || (err = store_commit(st))) {
        store_rollback(st);
        return err;
    }
    return 0;
}

int notice_get(struct store *st, int kind, const char *ref, int current_status, struct notice *out)
{
    memset(out, 0, sizeof *out);
    if (kind != NOTICE_ENTRY && kind != NOTICE_BED)
        return KERR_USAGE;
    const struct sql_exec_ops *x = sql_of(st);
    if (!x)
        return KERR_NOTFOUND;
    static const char sql[] =
        "SELECT status, at, reason_code, reason_text, offer_deadline, offer_place, offer_contact"
        " FROM resident_notice WHERE kind = $1 AND ref = $2";
    struct sql_stmt *q = x->prepare(st, sql);
    if (!q)
        return KERR_DB;
    x->bind_text(q, 1, kind_name[kind]);
    x->bind_text(q, 2, ref);
    int rc = x->step(q, "read the resident notice");
    if (rc == SQL_ROW) {
        out->status = (int)x->col_int64(q, 0);
        x->col_text(q, 1, out->at, sizeof out->at);
        x->col_text(q, 2, out->reason_code, sizeof out->reason_code);
        x->col_text(q, 3, out->reason_text, sizeof out->reason_text);
        x->col_text(q, 4, out->offer_deadline, sizeof out->offer_deadline);
        x->col_text(q, 5, out->offer_place, sizeof out->offer_place);
        x->col_text(q, 6, out->offer_contact, sizeof out->offer_contact);
    }
    x->reset(q);
    if (rc < 0)
        return rc;
    if (rc != SQL_ROW || out->status != current_status) {
        memset(out, 0, sizeof *out);
        return KERR_NOTFOUND;
    }
    return 0;
}
