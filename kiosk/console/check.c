/* check.c — the admin's check screen: schema version, the database's own
 * integrity check, the audit chain, each programme's rank counts against a
 * plain count, and configuration keys nobody reads.  All of that is load
 * (seconds on a large database): it runs when the screen opens and on F5,
 * never on a key that only scrolls. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/audit.h"
#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"

static void put(struct console *c, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(struct console *c, int kind, const char *fmt, ...)
{
    if (grow((void **)&c->check.line, &c->check.cap, c->check.n + 1, sizeof *c->check.line))
        return;   /* out of memory: the line is lost, the screen says nothing false */
    struct check_line *l = &c->check.line[c->check.n++];
    l->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
}

static int check_load(struct console *c)
{
    c->check.n = 0;
    int version = 0, latest = 0;
    int err = c->st->ops->schema_version(c->st, &version, &latest);
    if (err)
        put(c, CVK_WARN, _("schema: %s"), kiosk_strerror(err));
    else
        put(c, version == latest ? CVK_GOOD : CVK_WARN, _("schema: version %d of %d"), version, latest);
    char report[CV_TEXT] = "";
    err = c->st->ops->integrity(c->st, report, sizeof report);
    /* the backends' word for a sound database is "ok" (SQLite's integrity_check):
     * in the console's language; a problem's report stays as the engine wrote it */
    put(c, err ? CVK_WARN : CVK_GOOD, _("database: %s"),
        !err && !strcmp(report, "ok") ? _("ok") : report[0] ? report : kiosk_strerror(err));
    long long n = 0, bad = 0;
    kerr_clear();
    err = audit_verify(c->st, c->sec, &n, &bad);
    if (err)
        put(c, CVK_WARN, _("audit: FAILED: %s"), kerr_detail()[0] ? kerr_detail() : kiosk_strerror(err));
    else
        put(c, CVK_GOOD, _("audit: %lld records, chain verified"), n);
    /* every programme (the programme list's loader grows until all fit) */
    const struct queue_store_ops *q = store_queue(c->st);
    struct program *progs = NULL;
    int cap = 0, np = 0;
    for (int want = 16;; want *= 2) {
        if ((err = grow((void **)&progs, &cap, want, sizeof *progs)) ||
            (err = q->program_list(c->st, progs, cap, &np)) || np < cap)
            break;
    }
    if (err)
        put(c, CVK_WARN, _("ranks: cannot read the programmes: %s"), kiosk_strerror(err));
    for (int i = 0; !err && i < np; i++) {
        long long total = 0, counted = 0;
        if (q->total(c->st, progs[i].id, &total) || q->count_waiting(c->st, progs[i].id, &counted))
            put(c, CVK_WARN, _("ranks %s: cannot read"), progs[i].code);
        else
            put(c, total == counted ? CVK_GOOD : CVK_WARN, _("ranks %s: %lld waiting, counted %lld"),
                progs[i].code, total, counted);
    }
    free(progs);
    if (c->cfg)
        for (int i = 0; i < c->cfg->n_unknown; i++)
            put(c, CVK_WARN, _("config: unknown key %s"), c->cfg->unknown[i]);
    return 0;   /* every finding, good or bad, is on the screen */
}

static void check_build(struct console *c)
{
    snprintf(c->v.title, sizeof c->v.title, "%s", _("Check"));
    int room = CV_LINES, n = c->check.n;
    for (int i = 0; i < n && i < (n > room ? room - 1 : room); i++)
        add_line(c, c->check.line[i].kind, "%s", c->check.line[i].text);
    if (n > room)
        add_line(c, CVK_NOTE, _("%d more findings not shown (kioskctl check lists them all)."),
                 n - (room - 1));
}

static unsigned check_input(struct console *c, enum con_action a, uint32_t ch)
{
    (void)ch;
    return a == CA_ESCAPE ? con_back(c, CS_HOME) : CR_NONE;
}

static int check_actions(const struct console *c, int *acts, int cap)
{
    (void)c;
    static const int a[] = {CA_REFRESH, CA_ESCAPE, CA_PGDN, CA_PGUP};
    int n = 0;
    for (int i = 0; i < 4 && n < cap; i++)
        acts[n++] = a[i];
    return n;
}

const struct con_screen_ops con_check = {
    .name = "check",
    .layout = CL_DETAIL,
    .load = check_load,
    .build = check_build,
    .input = check_input,
    .actions = check_actions,
};
