/* report.c — the staff reports (report.h): the store's aggregate reads
 * (kiosk/store/report_store.h) turned into labelled rows, small counts
 * suppressed, medians computed here (bed_history is thousands of rows, and
 * neither engine's SQL has one median both accept), and the CSV writer. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/bureau_row.h"
#include "kiosk/csv.h"
#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/report.h"
#include "kiosk/store/report_store.h"
#include "kiosk/store/store.h"

static const struct {
    const char *name, *title, *unit;
} reports[REP__COUNT] = {
    [REP_ALLOC] = {"allocations", N_("Households housed per month"), N_("Housed")},
    [REP_QUEUE] = {"queue", N_("Waiting households at each published list, and now"), N_("Waiting")},
    [REP_WAIT] = {"wait", N_("Waiting households by years since registration"), N_("Households")},
    [REP_FUNNEL] = {"funnel", N_("Bed applications that reached each stage"), N_("Applications")},
    [REP_STAGE_DAYS] = {"stage-days", N_("Median days in each stage (finished stays)"), N_("Days")},
    [REP_OVERDUE] = {"overdue", N_("Bed applications past their stage's deadline, by street"),
                     N_("Overdue")},
};

const char *report_name(int id) { return id >= 0 && id < REP__COUNT ? reports[id].name : "?"; }
const char *report_title(int id) { return id >= 0 && id < REP__COUNT ? reports[id].title : "?"; }
const char *report_unit(int id) { return id >= 0 && id < REP__COUNT ? reports[id].unit : "?"; }

int report_find(const char *name, int *id)
{
    for (int i = 0; i < REP__COUNT; i++)
        if (!strcmp(name, reports[i].name)) {
            *id = i;
            return 0;
        }
    return kerr(KERR_INPUT,
                "report %s: no such report (allocations, queue, wait, funnel, stage-days, overdue)",
                name);
}

/* ---- building rows ----------------------------------------------------------------- */

struct build {
    struct store *st;
    const struct report_opts *o;
    const char *street;     /* the bed reports of one street only; "" all */
    struct report *r;
    struct program prog[32];
    int n_prog;
    /* stage-days: the stays of each stage, and the row being walked */
    int *stay[BS__COUNT];
    int n_stay[BS__COUNT], cap_stay[BS__COUNT];
    long long app;
    int stage;
    int32_t since;
};

static struct report_row *row_add(struct report *r, const char *group, long long value)
{
    if (r->n >= REPORT_ROWS) {
        r->cut = true;
        return NULL;
    }
    struct report_row *w = &r->row[r->n++];
    memset(w, 0, sizeof *w);
    snprintf(w->group, sizeof w->group, "%s", group);
    w->value = w->basis = value;
    return w;
}

/* "YYYY-MM-DD…" → days since 1970-01-01; -1 when unreadable */
static int32_t day_of(const char *s)
{
    char d[11];
    int32_t n;
    snprintf(d, sizeof d, "%.10s", s);
    if (strlen(d) != 10 || date_parse(d, &n)) {
        kerr_clear();
        return -1;
    }
    return n;
}

/* month m months before "YYYY-MM" ym → out */
static void month_back(const char *ym, int m, char out[12])
{
    int y = atoi(ym), mo = atoi(ym + 5);
    int k = y * 12 + (mo - 1) - m;
    snprintf(out, 12, "%04d-%02d", k / 12 % 10000, k % 12 + 1);
}

/* allocations: rows come in (program, month) order; months with none are 0 */
struct alloc_cell {
    long long prog;
    char month[8];
    long long n;
};
struct alloc_acc {
    struct alloc_cell *cell;
    int n, cap;
};

static int alloc_row(void *ctx, const struct rep_raw *raw)
{
    struct alloc_acc *a = ctx;
    if (a->n == a->cap) {
        int cap = a->cap ? a->cap * 2 : 64;
        void *p = realloc(a->cell, (size_t)cap * sizeof *a->cell);
        if (!p)
            return KERR_NOMEM;
        a->cell = p;
        a->cap = cap;
    }
    struct alloc_cell *c = &a->cell[a->n++];
    c->prog = raw->i0;
    snprintf(c->month, sizeof c->month, "%.7s", raw->t1);
    c->n = raw->v;
    return 0;
}

static int run_alloc(struct build *b)
{
    int months = b->o->months > 0 ? b->o->months : 12;
    char now[12], first[12];
    snprintf(now, sizeof now, "%.7s", b->o->today);
    month_back(now, months - 1, first);
    struct alloc_acc a = {0};
    int err = report_store_rows(b->st, RQ_ALLOC, 0, first, alloc_row, &a);
    for (int p = 0; !err && p < b->n_prog; p++)
        for (int m = months - 1; m >= 0; m--) {
            char ym[12];
            month_back(now, m, ym);
            long long n = 0;
            for (int i = 0; i < a.n; i++)
                if (a.cell[i].prog == b->prog[p].id && !strcmp(a.cell[i].month, ym))
                    n = a.cell[i].n;
            struct report_row *w = row_add(b->r, b->prog[p].code, n);
            if (w)
                snprintf(w->label, sizeof w->label, "%s", ym);
        }
    free(a.cell);
    return err;
}

/* queue: the 12 newest publications per programme, oldest first, then now */
#define QUEUE_PUBS 12
struct pub_acc {
    struct build *b;
    long long prog;
    struct rep_raw last[QUEUE_PUBS];   /* newest first as read */
    int n;
};

static int pub_row(void *ctx, const struct rep_raw *raw)
{
    struct pub_acc *a = ctx;
    if (raw->i0 == a->prog && a->n < QUEUE_PUBS)
        a->last[a->n++] = *raw;
    return 0;
}

static int run_queue(struct build *b)
{
    for (int p = 0; p < b->n_prog; p++) {
        struct pub_acc a = {.b = b, .prog = b->prog[p].id};
        int err = report_store_rows(b->st, RQ_PUBS, 0, NULL, pub_row, &a);
        long long now = 0;
        if (!err)
            err = store_queue(b->st)->total(b->st, b->prog[p].id, &now);
        if (err)
            return err;
        for (int i = a.n - 1; i >= 0; i--) {
            struct report_row *w = row_add(b->r, b->prog[p].code, a.last[i].v);
            if (w)
                snprintf(w->label, sizeof w->label, "%.10s", a.last[i].t1);
        }
        struct report_row *w = row_add(b->r, b->prog[p].code, now);
        if (w)
            snprintf(w->label, sizeof w->label, "%s", _("now"));
    }
    return 0;
}

/* wait: whole years waited, 0 … 9 and 10 or more, per programme: band y
 * holds today - (y+1)*365 < wait_since <= today - y*365; the first band also
 * takes a date after today, the last everything before its lower edge */
#define WAIT_YEARS 10
#define DAY_FAR (1LL << 40)

static int run_wait(struct build *b)
{
    int32_t today = day_of(b->o->today);
    if (today < 0)
        return kerr(KERR_INPUT, "report wait: today %.10s is not a date", b->o->today);
    for (int p = 0; p < b->n_prog; p++)
        for (int y = 0; y <= WAIT_YEARS; y++) {
            long long hi = y == 0 ? DAY_FAR : (long long)today - (long long)y * 365;
            long long lo = y == WAIT_YEARS ? -DAY_FAR : (long long)today - (long long)(y + 1) * 365;
            long long n = 0;
            int err = report_store_waiting_between(b->st, b->prog[p].id, lo, hi, &n);
            if (err)
                return err;
            struct report_row *w = row_add(b->r, b->prog[p].code, n);
            if (!w)
                return 0;
            if (y == 0)
                snprintf(w->label, sizeof w->label, "%s", _("under 1 year"));
            else if (y == WAIT_YEARS)
                snprintf(w->label, sizeof w->label, _("%d years or more"), y);
            else
                snprintf(w->label, sizeof w->label, _("%d to %d years"), y, y + 1);
        }
    return 0;
}

/* funnel: every stage in SPEC order, 0 where none reached it */
static int funnel_row(void *ctx, const struct rep_raw *raw)
{
    long long *n = ctx;
    if (raw->i0 >= 0 && raw->i0 < BS__COUNT)
        n[raw->i0] = raw->v;
    return 0;
}

static int run_funnel(struct build *b)
{
    long long n[BS__COUNT] = {0};
    int err = report_store_rows(b->st, RQ_FUNNEL, 0, b->street, funnel_row, n);
    for (int s = 0; !err && s < BS__COUNT; s++) {
        struct report_row *w = row_add(b->r, "", n[s]);
        if (w)
            snprintf(w->label, sizeof w->label, "%s", bed_stage_label(s, i18n_lang()));
    }
    return err;
}

/* stage-days: a stay runs from one history row to the app's next one */
static int stay_add(struct build *b, int stage, int days)
{
    if (stage < 0 || stage >= BS__COUNT || days < 0)
        return 0;
    if (b->n_stay[stage] == b->cap_stay[stage]) {
        int cap = b->cap_stay[stage] ? b->cap_stay[stage] * 2 : 64;
        void *p = realloc(b->stay[stage], (size_t)cap * sizeof(int));
        if (!p)
            return KERR_NOMEM;
        b->stay[stage] = p;
        b->cap_stay[stage] = cap;
    }
    b->stay[stage][b->n_stay[stage]++] = days;
    return 0;
}

static int hist_row(void *ctx, const struct rep_raw *raw)
{
    struct build *b = ctx;
    int32_t at = day_of(raw->t1);
    int err = 0;
    if (raw->i0 == b->app && b->since >= 0 && at >= 0 && (int)raw->i1 != b->stage)
        err = stay_add(b, b->stage, (int)(at - b->since));
    if (raw->i0 != b->app || (int)raw->i1 != b->stage) {   /* a reassessment keeps the stay */
        b->app = raw->i0;
        b->stage = (int)raw->i1;
        b->since = at;
    }
    return err;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int run_stage_days(struct build *b)
{
    b->app = -1;
    int err = report_store_rows(b->st, RQ_HISTORY, 0, b->street, hist_row, b);
    for (int s = 0; !err && s < BS__COUNT; s++) {
        int n = b->n_stay[s];
        if (!n)
            continue;   /* a stage nobody has left yet has no finished stay */
        qsort(b->stay[s], (size_t)n, sizeof(int), cmp_int);
        /* the lower median for an even count: a whole number of days, never invented */
        struct report_row *w = row_add(b->r, "", b->stay[s][(n - 1) / 2]);
        if (w) {
            w->basis = n;
            snprintf(w->label, sizeof w->label, "%s", bed_stage_label(s, i18n_lang()));
        }
    }
    for (int s = 0; s < BS__COUNT; s++)
        free(b->stay[s]);
    return err;
}

/* overdue: per street (the application's), in street order (the read is
 * sorted by street; '' — none recorded — sorts first) */
static int open_row(void *ctx, const struct rep_raw *raw)
{
    struct build *b = ctx;
    const char *street = raw->t1[0] ? raw->t1 : _("no street recorded");
    struct report *r = b->r;
    if (!r->n || strcmp(r->row[r->n - 1].group, street)) {
        struct report_row *w = row_add(r, street, 0);
        if (!w)
            return 0;
        snprintf(w->label, sizeof w->label, "%s", "");
    }
    int s = (int)raw->i0;
    int limit = s >= 0 && s < BS__COUNT && b->o->deadline_days ? b->o->deadline_days[s] : 0;
    int32_t today = day_of(b->o->today), since = day_of(raw->t2);
    if (limit > 0 && today >= 0 && since >= 0 && today - since > limit) {
        r->row[r->n - 1].value++;
        r->row[r->n - 1].basis++;
    }
    return 0;
}

int report_run(struct store *st, int id, const struct report_opts *o, struct report *out)
{
    memset(out, 0, sizeof *out);
    out->id = id;
    out->min_count = o->min_count > 0 ? o->min_count : 0;
    struct build b = {.st = st, .o = o, .r = out, .street = o->street ? o->street : ""};
    int err = store_queue(st)->program_list(st, b.prog, 32, &b.n_prog);
    if (err)
        return err;
    switch (id) {
    case REP_ALLOC: err = run_alloc(&b); break;
    case REP_QUEUE: err = run_queue(&b); break;
    case REP_WAIT: err = run_wait(&b); break;
    case REP_FUNNEL: err = run_funnel(&b); break;
    case REP_STAGE_DAYS: err = run_stage_days(&b); break;
    case REP_OVERDUE: err = report_store_rows(st, RQ_OPEN, 0, b.street, open_row, &b); break;
    default: return kerr(KERR_INPUT, "report %d: no such report", id);
    }
    if (err)
        return err;
    for (int i = 0; i < out->n; i++) {
        struct report_row *w = &out->row[i];
        /* a count (or a median's stays) of 1 … min_count-1 could single someone out */
        w->suppressed = w->basis > 0 && w->basis < out->min_count;
        if (!w->suppressed && w->value > out->max)
            out->max = w->value;
    }
    return 0;
}

/* ---- CSV ------------------------------------------------------------------------------ */

int report_write_csv(const struct report *r, FILE *out)
{
    bool days = r->id == REP_STAGE_DAYS;
    fputs(days ? "report,group,label,median_days,stays\r\n" : "report,group,label,value\r\n", out);
    for (int i = 0; i < r->n; i++) {
        const struct report_row *w = &r->row[i];
        char v[32], n[32];
        if (w->suppressed)
            snprintf(v, sizeof v, "<%d", r->min_count);
        else
            snprintf(v, sizeof v, "%lld", w->value);
        if (w->suppressed)
            snprintf(n, sizeof n, "<%d", r->min_count);
        else
            snprintf(n, sizeof n, "%lld", w->basis);
        csv_write_cell(out, report_name(r->id));
        fputc(',', out);
        csv_write_cell(out, w->group);
        fputc(',', out);
        csv_write_cell(out, w->label);
        fputc(',', out);
        csv_write_cell(out, v);   /* "<3" is text: through the neutraliser like every cell */
        if (days) {
            fputc(',', out);
            csv_write_cell(out, n);
        }
        fputs("\r\n", out);
    }
    return ferror(out) ? kerr(KERR_IO, "writing the %s report: %s", report_name(r->id), strerror(errno))
                       : 0;
}

int report_save_csv(const struct report *r, const char *path)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return kerr(KERR_INPUT, "%s: path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return kerr(KERR_IO, "%s: %s", tmp, strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return kerr(KERR_IO, "%s: %s", tmp, strerror(e));
    }
    int err = report_write_csv(r, f);
    if (!err && (fflush(f) || fsync(fileno(f))))
        err = kerr(KERR_IO, "%s: %s", tmp, strerror(errno));
    if (fclose(f) && !err)
        err = kerr(KERR_IO, "%s: %s", tmp, strerror(errno));
    if (!err && rename(tmp, path))
        err = kerr(KERR_IO, "%s: %s", path, strerror(errno));
    if (err)
        unlink(tmp);
    return err;
}

/* ---- the audit browser's entry/reference filter ---------------------------------------- */

static void obj_add(struct audit_filter *f, const char *s)
{
    for (int i = 0; i < f->n_object; i++)
        if (!strcmp(f->object[i], s))
            return;
    if (f->n_object < AUDIT_OBJ_ALT)
        snprintf(f->object[f->n_object++], sizeof f->object[0], "%s", s);
}

int audit_filter_object(struct store *st, const char *typed, struct audit_filter *f)
{
    f->n_object = 0;
    if (!typed[0])
        return 0;
    if (strlen(typed) > 60)
        return kerr(KERR_INPUT, "entry/reference %.20s…: too long", typed);
    char up[64], buf[96];
    snprintf(up, sizeof up, "%s", typed);
    char *slash = strchr(up, '/');
    for (char *p = slash ? slash + 1 : up; *p; p++)   /* a programme code stays as typed */
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    obj_add(f, typed);
    if (slash) {
        snprintf(buf, sizeof buf, "entry %s", up);
        obj_add(f, buf);
        return 0;
    }
    snprintf(buf, sizeof buf, "bed %s", up);
    obj_add(f, buf);
    struct program prog[8];
    int n = 0;
    int err = store_queue(st)->program_list(st, prog, 8, &n);
    for (int i = 0; !err && i < n; i++) {
        snprintf(buf, sizeof buf, "entry %s/%s", prog[i].code, up);
        obj_add(f, buf);
    }
    return err;
}

/* ---- the audit trail in the reader's language ---------------------------------------- */

/* Every action code audit_append is called with (grep audit_append): a new
 * code shows as itself until it is added here and to zh.po. */
static const struct {
    const char *code, *label;
} action_labels[] = {
    {"login", N_("log in")},
    {"login-failed", N_("login failed")},
    {"login-refused", N_("login refused")},
    {"find", N_("search a person")},
    {"reveal", N_("full ID shown")},
    {"contact", N_("phone shown")},
    {"card_lookup", N_("ID card read")},
    {"report-export", N_("report exported")},
    {"import", N_("list imported")},
    {"export", N_("list exported")},
    {"publish", N_("list published")},
    {"init", N_("database set up")},
    {"offer", N_("offered a flat")},
    {"accept", N_("offer accepted")},
    {"refuse", N_("offer refused")},
    {"freeze", N_("frozen")},
    {"unfreeze", N_("unfrozen")},
    {"withdraw", N_("withdrawn")},
    {"remove", N_("removed")},
    {"reinstate", N_("reinstated")},
    {"program-add", N_("programme added")},
    {"program-set", N_("programme changed")},
    {"bed-submit", N_("bed: applied")},
    {"bed-advance", N_("bed: moved on")},
    {"bed-reassess", N_("bed: reassessed")},
    {"bed-withdraw", N_("bed: withdrawn")},
    {"bed-clear", N_("bed: demo reset")},
    {"bed-street", N_("bed: moved to another street")},
    {"user-add", N_("account added")},
    {"user-passwd", N_("password set")},
    {"user-roles", N_("roles changed")},
    {"user-street", N_("street changed")},
    {"user-disable", N_("account disabled")},
    {"user-enable", N_("account enabled")},
};

const char *audit_action_label(const char *code)
{
    for (size_t i = 0; i < sizeof action_labels / sizeof action_labels[0]; i++)
        if (!strcmp(code, action_labels[i].code))
            return _(action_labels[i].label);
    return code;
}

void audit_object_label(const char *object, char *out, size_t cap)
{
    /* whole objects that are words (first: "bed applications" is not a bed) */
    static const struct {
        const char *word, *label;
    } words[] = {{"person", N_("a person")},
                 {"login", N_("login")},
                 {"database", N_("the database")},
                 {"bed applications", N_("all bed applications")}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(object, words[i].word)) {
            snprintf(out, cap, "%s", _(words[i].label));
            return;
        }
    /* kind words before a receipt or reference ("entry prh/BHJ1", "bed 7K…") */
    static const struct {
        const char *prefix, *label;
    } kinds[] = {{"entry ", N_("entry")}, {"bed ", N_("bed")}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (!strncmp(object, kinds[i].prefix, n)) {
            snprintf(out, cap, "%s %s", _(kinds[i].label), object + n);
            return;
        }
    }
    int id = -1;
    if (report_find(object, &id) == 0) {   /* a report exported */
        snprintf(out, cap, "%s", _(report_title(id)));
        return;
    }
    kerr_clear();
    snprintf(out, cap, "%s", object);   /* a programme code, an account name, … */
}

const char *audit_actor_label(const char *actor)
{
    return !strcmp(actor, "auth") ? _("(login check)") : actor;
}
