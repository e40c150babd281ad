/* bench_console.c — the staff console's figures (PERF.md; issue 8 "console
 * key → screen rebuilt"), on the core API the console screens use:
 *
 *   console_page_40_at_random, console_jump_to_N
 *        next page of 40 rows from a random position in a 1M-row queue (a read
 *        snapshot, the total, store page(40), decrypt + mask of the 40
 *        identities), and jump to position N (entry_at + the same page), on a
 *        list built here through importer.h's import_batch_*.  Reference, same
 *        run: ORDER BY … LIMIT 40 OFFSET N-1 over the waiting index.
 *
 *   console key <screen> median / worst      (DEMO_DB given)
 *        On the 1M-household demo database (kioskctl demo --households
 *        1000000), logged in through console_input (login excluded) as an
 *        account with every role, --admin: for each screen (home, programs,
 *        queue, entry, beds, bed, kiosks, accounts, audit, check) the time
 *        from console_input(key) until console_view() has the new view, for
 *        45 arrow keys down and 45 back up (on the queue that crosses a page
 *        boundary both ways), and where the screen has a text prompt (queue
 *        g, entry reason, bed move, accounts a) 20 characters typed into it;
 *        the script is run 5 times over.  median = of every key; worst = the
 *        slowest key of the script (the median of its 5 runs, so one stall of
 *        a shared machine does not decide it).  Reference: opening the screen
 *        (its load), same run.  Target ≤ 2 ms per key.  A screen whose keys
 *        are slow stops after BENCH_CONSOLE_BUDGET_S (default 30) seconds of
 *        keys and says how many it measured (only above ~30 ms a key).
 *        Last, "console key all screens" median and worst over every screen.
 *
 *   console tty check arrow, console tty entry char      (KIOSK given too)
 *        The same through a real terminal: `kiosk --admin` on the demo
 *        database in forkpty + libvterm (tests/screen/vt.c), 80×24.
 *        The check screen shows nothing new for an arrow key, so: open it,
 *        send ↓ then Esc, time until the home menu is drawn; minus the
 *        median time of Esc → home menu from a screen that costs nothing to
 *        leave (kiosks): what the arrow key added.  The first sample is one
 *        arrow; while arrows are cheap, two more openings send 5 each (the
 *        check screen's own load is paid at every opening, so samples are
 *        few).  Reference: the home-menu draw it is measured against.
 *        entry char: a character typed into the entry's reason prompt until
 *        the terminal shows it; reference: a character typed into the login
 *        form (no database), same run.  Medians.
 *
 * Only public core calls: console.h, queue.h, importer.h, store.h, auth.h,
 * kiosk_status.h, secret.h (and raw SQLite for the OFFSET reference).
 * usage: bench_console N [DEMO_DB [KIOSK]] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/arena.h"
#include "kiosk/auth.h"
#include "kiosk/bureau_row.h"
#include "kiosk/config.h"
#include "kiosk/console/console.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/importer.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"
#include "kiosk/store/sqlite/store_sqlite.h"
#include "kiosk/store/store.h"
#include "tests/bench/bench_line.h"
#include "tests/screen/vt.h"

#define REPS 300
#define BENCH_USER "bench-admin"
#define BENCH_PW "bench-password-1"

static double now_us(void) { return bench_now_us(); }

static double median(double *v, int n) { return bench_median(v, n); }

static void line(const char *name, double value, double ref, double target)
{
    bench_line(name, value, "ms", ref, target, true, NULL);
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

struct page_ctx {
    const struct secret *sec;
    int n;
};

/* What view_queue does with each row: decrypt, mask, wipe. */
static int show_row(void *ctx, const struct entry_row *e)
{
    struct page_ctx *p = ctx;
    char id[19], name[257], idm[24], nm[96];
    if (queue_unseal(p->sec, e, id, name, sizeof name) == 0) {
        idnum_mask(id, idm, sizeof idm);
        name_mask(name, nm, sizeof nm);
    }
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
    p->n++;
    return 0;
}

static int page_at(struct store *st, const struct secret *sec, int pid, long long pos)
{
    const struct queue_store_ops *q = store_queue(st);
    long long total;
    struct page_ctx pc = {sec, 0};
    int err = st->ops->begin_read(st);
    if (!err && !(err = q->total(st, pid, &total)))
        err = q->page(st, pid, pos, 40, show_row, &pc);
    if (err) {
        store_rollback(st);
        return err;
    }
    return store_commit(st) ? -1 : pc.n;
}

/* ---- next page of 40 / jump to N on a 1M-row list ------------------------------ */

static int bench_pages(long long n)
{
    char dir[] = "/tmp/bench_console.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char db[64], key[64];
    snprintf(db, sizeof db, "%s/b.db", dir);
    snprintf(key, sizeof key, "%s/b.db.key", dir);
    struct store *st = NULL;
    struct secret *sec = NULL;
    int from, to, err;
    struct program p;
    if ((err = secret_create(key)) || (err = secret_load(key, &sec)) ||
        (err = store_open(db, 1, &st)) || (err = st->ops->migrate(st, &from, &to)) ||
        (err = store_queue(st)->program_get(st, "prh", &p))) {
        kerr_print("bench_console", err);
        return 1;
    }
    /* the list, through the importer's batch (validated rows → sealed, keyed, ranked) */
    double t0 = now_us();
    struct arena ar;
    arena_init(&ar, 1 << 20);
    struct import_batch b;
    if ((err = import_batch_init(&b, &p, sec, &ar))) {
        kerr_print("bench_console", err);
        return 1;
    }
    uint64_t s = 42;
    for (long long i = 0; i < n; i++) {
        struct bureau_row r;
        memset(&r, 0, sizeof r);
        snprintf(r.receipt_no, sizeof r.receipt_no, "BHJ%08lld", i);
        char first17[24];
        snprintf(first17, sizeof first17, "4403%02d19%02d%02d%02d%03d", (int)(3 + i / 10000000 % 7),
                 (int)(50 + i / 336000 % 50), (int)(1 + i / 1000 % 12), (int)(1 + i / 12000 % 28),
                 (int)(i % 1000));
        memcpy(r.id_number, first17, 17);
        r.id_number[17] = idnum_check_char(first17);
        snprintf(r.name, sizeof r.name, "测试%lld", i % 997);
        r.household_size = 1 + (int)(i % 5);
        snprintf(r.hukou_district, sizeof r.hukou_district, "罗湖区");
        r.tier = rnd(&s) % 10 == 0 ? 0 : 1;
        r.wait_since = 14000 + (int32_t)(rnd(&s) % 6000);
        r.insured_since = r.hukou_since = DATE_NONE;
        r.lottery_no = (int64_t)(rnd(&s) % 100000);
        r.status = ST_WAITING;
        if ((err = import_batch_add(&b, &r))) {
            kerr_print("bench_console", err);
            return 1;
        }
    }
    struct actor admin = {.name = "bench", .roles = ROLE__ALL};
    struct import_result res;
    if ((err = import_batch_commit(st, &b, &admin, "bench", &res))) {
        kerr_print("bench_console", err);
        return 1;
    }
    import_batch_free(&b);
    arena_release(&ar);
    fprintf(stderr, "bench_console: %lld waiting entries built in %.1f s\n", n, (now_us() - t0) / 1e6);

    long long total = 0;
    store_queue(st)->total(st, p.id, &total);
    static double pg[REPS], jp[REPS], ref[REPS];
    uint64_t rs = 7;
    struct entry_row e;
    for (int i = 0; i < REPS; i++) {
        long long pos = 1 + (long long)(rnd(&rs) % (uint64_t)(total - 40));
        double a = now_us();
        if (page_at(st, sec, p.id, pos) != 40)
            return 1;
        pg[i] = (now_us() - a) / 1000;
        pos = 1 + (long long)(rnd(&rs) % (uint64_t)(total - 40));
        a = now_us();
        if (store_queue(st)->entry_at(st, p.id, pos, &e) || page_at(st, sec, p.id, pos) != 40)
            return 1;
        jp[i] = (now_us() - a) / 1000;
    }
    /* reference: OFFSET paging over the waiting index (first the same decrypt work) */
    sqlite3 *raw = sq(st)->db;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(raw, "SELECT receipt_no, sealed FROM entry WHERE program_id = ?1 AND "
                                "status = 0 ORDER BY slot, skey LIMIT 40 OFFSET ?2", -1, &q,
                           NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_console: %s\n", sqlite3_errmsg(raw));
        return 1;
    }
    int nref = REPS / 10;
    for (int i = 0; i < nref; i++) {
        long long pos = 1 + (long long)(rnd(&rs) % (uint64_t)(total - 40));
        double a = now_us();
        sqlite3_bind_int(q, 1, p.id);
        sqlite3_bind_int64(q, 2, pos - 1);
        int rows = 0;
        while (sqlite3_step(q) == SQLITE_ROW)
            rows++;
        sqlite3_reset(q);
        ref[i] = (now_us() - a) / 1000;
        if (rows != 40)
            return 1;
    }
    sqlite3_finalize(q);
    double refm = median(ref, nref);
    line("console_page_40_at_random", median(pg, REPS), refm, 2);
    line("console_jump_to_N", median(jp, REPS), refm, 5);
    store_close(&st);
    secret_free(&sec);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}

/* ---- every screen, one key at a time (core API) ------------------------------------ */

#define ARROWS 45          /* down, then as many up */
#define CHARS 20
#define PASSES 5
#define KEYS (2 * ARROWS + CHARS)

static struct console *con;
static int64_t clock_ms;
static int failures;

static int64_t tick(void) { return clock_ms += 10; }

static void type(const char *s)
{
    for (; *s; s++)
        console_input(con, CA_CHAR, (unsigned char)*s, tick());
}

static int screen_now(void) { return console_view(con)->screen; }

/* One key, timed: console_input, then read the view it rebuilt.  Milliseconds. */
static double timed_key(enum con_action a, uint32_t ch, int screen)
{
    double t0 = now_us();
    console_input(con, a, ch, tick());
    const struct con_view *v = console_view(con);
    volatile int sink = v->n_rows + v->n_lines + v->title[0] + v->prompt_value[0];
    (void)sink;
    double ms = (now_us() - t0) / 1000;
    if (v->screen != screen) {
        fprintf(stderr, "bench_console: a key left screen %d for %d (%s)\n", screen, v->screen,
                v->message);
        failures++;
    }
    return ms;
}

/* From any screen back to home (Esc climbs one level; never Esc on home: that logs out). */
static int go_home(void)
{
    for (int i = 0; i < 6 && screen_now() != CS_HOME; i++) {
        if (console_view(con)->prompting)
            console_input(con, CA_ESCAPE, 0, tick());
        console_input(con, CA_ESCAPE, 0, tick());
    }
    return screen_now() == CS_HOME ? 0 : -1;
}

static int home_digit[CS__COUNT];   /* which digit opens a screen from home */

static int find_home_digits(void)
{
    for (int d = 1; d <= 9; d++) {
        if (go_home())
            return -1;
        console_input(con, CA_CHAR, (uint32_t)('0' + d), tick());
        int s = screen_now();
        if (s != CS_HOME && !home_digit[s])
            home_digit[s] = d;
    }
    return go_home();
}

/* Bring the console to the screen's parent; the opening key is then timed. */
struct screen_spec {
    const char *name;
    int screen;
    int parent;                 /* CS_HOME or the screen opened by Enter from */
    enum con_action prompt;     /* opens a text prompt; CA_NONE: no prompt */
    const char *text;           /* what is typed into it */
};

static const struct screen_spec specs[] = {
    {"home", CS_HOME, -1, CA_NONE, NULL},
    {"programs", CS_PROGRAMS, CS_HOME, CA_NONE, NULL},
    {"queue", CS_QUEUE, CS_PROGRAMS, CA_JUMP, "12345678901234567890"},
    {"entry", CS_ENTRY, CS_QUEUE, CA_ENTER, "flat offered at 3-1201"},
    {"beds", CS_BEDS, CS_HOME, CA_NONE, NULL},
    {"bed", CS_BED, CS_BEDS, CA_ENTER, "documents complete ok"},
    {"kiosks", CS_KIOSKS, CS_HOME, CA_NONE, NULL},
    {"accounts", CS_ACCOUNTS, CS_HOME, CA_ADD, "new-account-name-abc"},
    {"audit", CS_AUDIT, CS_HOME, CA_NONE, NULL},
    {"check", CS_CHECK, CS_HOME, CA_NONE, NULL},
};

static const struct screen_spec *spec_of(int screen)
{
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
        if (specs[i].screen == screen)
            return &specs[i];
    return NULL;
}

/* Go to the screen's parent (untimed), then open the screen (timed, ms); < 0 on failure. */
static double open_screen(const struct screen_spec *sp)
{
    if (sp->screen == CS_HOME) {
        /* home is opened by Esc from a screen that costs nothing to leave */
        if (go_home() || !home_digit[CS_KIOSKS])
            return -1;
        console_input(con, CA_CHAR, (uint32_t)('0' + home_digit[CS_KIOSKS]), tick());
        double t0 = now_us();
        console_input(con, CA_ESCAPE, 0, tick());
        double ms = (now_us() - t0) / 1000;
        return screen_now() == CS_HOME ? ms : -1;
    }
    if (sp->parent == CS_HOME) {
        if (go_home() || !home_digit[sp->screen])
            return -1;
        double t0 = now_us();
        console_input(con, CA_CHAR, (uint32_t)('0' + home_digit[sp->screen]), tick());
        double ms = (now_us() - t0) / 1000;
        return screen_now() == sp->screen ? ms : -1;
    }
    if (screen_now() != sp->parent && open_screen(spec_of(sp->parent)) < 0)
        return -1;
    if (sp->screen == CS_BED) {
        /* an application with a move this account may make (the bench types into the
         * move's prompt): the list filtered to the stages it can act on has them */
        for (int f = 1; f <= 13 && console_view(con)->n_rows == 0; f++) {
            console_input(con, CA_FILTER, 'f', tick());   /* the pick list: 1, 2, each stage */
            if (f >= 10)
                console_input(con, CA_CHAR, '1', tick());
            console_input(con, CA_CHAR, (uint32_t)('0' + f % 10), tick());
            console_input(con, CA_ENTER, 0, tick());
        }
        for (int row = 0; row < CONSOLE_PAGE && console_view(con)->n_rows > 0; row++) {
            double t0 = now_us();
            console_input(con, CA_ENTER, 0, tick());
            double ms = (now_us() - t0) / 1000;
            if (screen_now() != CS_BED)
                return -1;
            if (console_view(con)->n_items > 0)
                return ms;
            console_input(con, CA_ESCAPE, 0, tick());
            console_input(con, CA_DOWN, 0, tick());
        }
        return -1;
    }
    double t0 = now_us();
    console_input(con, CA_ENTER, 0, tick());
    double ms = (now_us() - t0) / 1000;
    return screen_now() == sp->screen ? ms : -1;
}

struct screen_result {
    double med, worst, open;
    int keys;
    bool capped;
};

/* The whole script on one screen. */
static int bench_screen(const struct screen_spec *sp, double budget_s, struct screen_result *out,
                        double *all, int *n_all)
{
    static double t[PASSES][KEYS];
    static double every[PASSES * KEYS];
    int done[KEYS] = {0}, n = 0;
    double opens[3];
    int n_open = 0;
    memset(out, 0, sizeof *out);
    /* opened up to three times while opening is quick; the last opening stays */
    for (int i = 0; i < 3; i++) {
        double ms = open_screen(sp);
        if (ms < 0) {
            fprintf(stderr, "bench_console: cannot open the %s screen (%s)\n", sp->name,
                    console_view(con)->message);
            return 1;
        }
        opens[n_open++] = ms;
        if (ms > 200)
            break;
    }
    out->open = median(opens, n_open);
    bool has_prompt = sp->prompt != CA_NONE;
    double start = now_us();
    for (int p = 0; p < PASSES && !out->capped; p++) {
        for (int k = 0; k < KEYS && !out->capped; k++) {
            if (n > 0 && now_us() - start > budget_s * 1e6) {
                out->capped = true;
                break;
            }
            if (k < 2 * ARROWS) {
                t[p][k] = timed_key(k < ARROWS ? CA_DOWN : CA_UP, 0, sp->screen);
            } else if (has_prompt) {
                int c = k - 2 * ARROWS;
                if (c == 0) {   /* open the prompt, untimed */
                    console_input(con, sp->prompt, sp->prompt == CA_ADD ? 'a' : 0, tick());
                    if (!console_view(con)->prompting) {
                        fprintf(stderr, "bench_console: no prompt on the %s screen (%s)\n",
                                sp->name, console_view(con)->message);
                        return 1;
                    }
                }
                t[p][k] = timed_key(CA_CHAR, (unsigned char)sp->text[c % (int)strlen(sp->text)],
                                    sp->screen);
                if (c == CHARS - 1) {   /* cancel it, untimed */
                    console_input(con, CA_ESCAPE, 0, tick());
                    if (console_view(con)->prompting || screen_now() != sp->screen)
                        failures++;
                }
            } else {
                continue;
            }
            every[n++] = t[p][k];
            done[k]++;
        }
    }
    if (console_view(con)->prompting)
        console_input(con, CA_ESCAPE, 0, tick());
    /* worst: the slowest key of the script, each key's median over the passes */
    for (int k = 0; k < KEYS; k++) {
        if (!done[k])
            continue;
        double v[PASSES];
        for (int p = 0; p < done[k]; p++)
            v[p] = t[p][k];
        double m = median(v, done[k]);
        if (m > out->worst)
            out->worst = m;
    }
    for (int i = 0; i < n; i++)
        all[(*n_all)++] = every[i];
    out->keys = n;
    out->med = median(every, n);
    return failures ? 1 : 0;
}

static int bench_screens(struct store *st, const struct secret *sec)
{
    struct kiosk_config cfg;
    config_defaults(&cfg);
    snprintf(cfg.language, sizeof cfg.language, "en");
    struct console_opts o = {.admin = true, .idle_seconds = 3600};
    int err = console_new(st, sec, &cfg, &o, &con);
    if (err) {
        kerr_print("bench_console", err);
        return 1;
    }
    type(BENCH_USER);
    console_input(con, CA_ENTER, 0, tick());
    type(BENCH_PW);
    console_input(con, CA_ENTER, 0, tick());
    if (!console_logged_in(con) || find_home_digits()) {
        fprintf(stderr, "bench_console: cannot log in (%s)\n", console_view(con)->message);
        return 1;
    }
    double budget = getenv("BENCH_CONSOLE_BUDGET_S") ? atof(getenv("BENCH_CONSOLE_BUDGET_S")) : 30;
    size_t ns = sizeof specs / sizeof *specs;
    double *all = malloc(sizeof *all * ns * PASSES * KEYS);
    int n_all = 0, rc = 0;
    double worst = 0, open_all[16];
    for (size_t i = 0; i < ns && !rc; i++) {
        struct screen_result r;
        double t0 = now_us();
        if ((rc = bench_screen(&specs[i], budget, &r, all, &n_all)))
            break;
        open_all[i] = r.open;
        char name[64], note[128];
        snprintf(note, sizeof note, "%d keys%s; %.1f s", r.keys,
                 r.capped ? ", time cap reached" : "", (now_us() - t0) / 1e6);
        snprintf(name, sizeof name, "console key %s median", specs[i].name);
        bench_line(name, r.med, "ms", r.open, 2, true, "%s", note);
        snprintf(name, sizeof name, "console key %s worst", specs[i].name);
        bench_line(name, r.worst, "ms", r.open, 2, true, "%s", note);
        if (r.worst > worst)
            worst = r.worst;
    }
    if (!rc) {
        double ref = median(open_all, (int)ns);
        int n = n_all;
        bench_line("console key all screens median", median(all, n_all), "ms", ref, 2, true,
                   "%d keys on %zu screens; ref: median opening", n, ns);
        bench_line("console key all screens worst", worst, "ms", ref, 2, true,
                   "the slowest key of any screen");
    }
    free(all);
    console_free(&con);
    return rc;
}

/* ---- the same through a real terminal --------------------------------------------- */

#define TTY_WAIT 120000   /* ms: the check screen's own load at 1M may take long */

/* The digit in front of a home-menu label on the screen, or 0. */
static int menu_digit(struct vt *t, const char *label)
{
    const char *text = vt_text(t), *s = strstr(text, label);
    if (!s)
        return 0;
    for (const char *p = s - 1; p >= text && *p != '\n'; p--)
        if (*p >= '1' && *p <= '9')
            return *p - '0';
    return 0;
}

/* Until the terminal has been quiet for 100 ms (a frame fully drawn). */
static void settle(struct vt *t)
{
    double end = vt_now_ms() + TTY_WAIT;
    char *before = strdup(vt_text(t));
    while (vt_now_ms() < end) {
        vt_pump(t, 100);
        if (!strcmp(before, vt_text(t)))
            break;
        free(before);
        before = strdup(vt_text(t));
    }
    free(before);
}

static bool gone_home(struct vt *t) { return vt_wait(t, "Check (admin)", TTY_WAIT); }

static int bench_tty(const char *kiosk, const char *db)
{
    char *args[] = {(char *)kiosk, "--admin", "--db", (char *)db, "--lang", "en", NULL};
    struct vt *t = vt_start(24, 80, args, NULL);
    int rc = 1;
    if (!vt_wait(t, "User name:", TTY_WAIT))
        goto out;
    settle(t);
    /* reference for a typed character: the login form (no database behind it) */
    static double login_ch[CHARS], entry_ch[CHARS], esc[20], arrow[8];
    const char *word = "abcdefghijklmnopqrst";
    char shown[CHARS + 1] = "";
    for (int i = 0; i < CHARS; i++) {
        char k[2] = {word[i], 0};
        shown[i] = word[i];
        shown[i + 1] = 0;
        double t0 = vt_now_ms();
        vt_send(t, k);
        if (!vt_wait(t, shown, TTY_WAIT))
            goto out;
        login_ch[i] = vt_now_ms() - t0;
    }
    vt_send(t, VT_ESC);   /* clears the form */
    if (!vt_wait_gone(t, shown, TTY_WAIT))
        goto out;
    vt_send(t, BENCH_USER "\r" BENCH_PW "\r");
    if (!gone_home(t)) {
        fprintf(stderr, "bench_console tty: no home menu after login\n");
        goto out;
    }
    settle(t);
    int d_check = menu_digit(t, "Check (admin)"), d_kiosks = menu_digit(t, "Kiosks needing paper");
    int d_queues = menu_digit(t, "Housing queues");
    if (!d_check || !d_kiosks || !d_queues) {
        fprintf(stderr, "bench_console tty: home menu items not found\n");
        goto out;
    }
    /* Esc → home drawn, from the kiosks screen */
    int n_esc = 0;
    for (int i = 0; i < 20; i++) {
        char k[2] = {(char)('0' + d_kiosks), 0};
        vt_send(t, k);
        if (!vt_wait(t, "kiosks need paper", TTY_WAIT) && !vt_wait(t, "No kiosk has reported", 10))
            goto out;
        settle(t);
        double t0 = vt_now_ms();
        vt_send(t, VT_ESC);
        if (!gone_home(t))
            goto out;
        esc[n_esc++] = vt_now_ms() - t0;
        settle(t);
    }
    double esc_ms = median(esc, n_esc);
    /* check: open, k arrows, Esc → home drawn */
    double budget = getenv("BENCH_CONSOLE_BUDGET_S") ? atof(getenv("BENCH_CONSOLE_BUDGET_S")) : 30;
    double start = vt_now_ms();
    int n_arrow = 0, arrows_sent = 0;
    for (int i = 0; i < 3; i++) {
        if (i > 0 && (vt_now_ms() - start > budget * 1000 || arrow[0] > 100))
            break;
        int k = i == 0 ? 1 : 5;
        char d[2] = {(char)('0' + d_check), 0};
        vt_send(t, d);
        if (!vt_wait(t, "chain verified", TTY_WAIT) && !vt_wait(t, "audit:", 10)) {
            fprintf(stderr, "bench_console tty: the check screen did not come up\n");
            goto out;
        }
        settle(t);
        double t0 = vt_now_ms();
        for (int a = 0; a < k; a++)
            vt_send(t, VT_DOWN);
        vt_send(t, VT_ESC);
        if (!gone_home(t))
            goto out;
        double per = (vt_now_ms() - t0 - esc_ms) / k;
        arrow[n_arrow++] = per > 0 ? per : 0;
        arrows_sent += k;
        settle(t);
    }
    double arrow_ms = median(arrow, n_arrow);
    /* entry: the first entry of the first queue, its reason prompt */
    char d[2] = {(char)('0' + d_queues), 0};
    vt_send(t, d);
    if (!vt_wait(t, "Waiting", TTY_WAIT))
        goto out;
    vt_send(t, "\r");
    if (!vt_wait(t, "Positions 1–", TTY_WAIT))
        goto out;
    settle(t);
    vt_send(t, "\r");
    if (!vt_wait(t, "History", TTY_WAIT))
        goto out;
    settle(t);
    vt_send(t, "\r");
    if (!vt_wait(t, "reason:", TTY_WAIT))
        goto out;
    settle(t);
    const char *reason = "klmnopqrstuvwxyzabcd";
    for (int i = 0; i < CHARS; i++) {
        char k[2] = {reason[i], 0};
        shown[i] = reason[i];
        shown[i + 1] = 0;
        double t0 = vt_now_ms();
        vt_send(t, k);
        if (!vt_wait(t, shown, TTY_WAIT))
            goto out;
        entry_ch[i] = vt_now_ms() - t0;
    }
    vt_send(t, VT_ESC);
    double login_ms = median(login_ch, CHARS);
    bench_line("console tty check arrow", arrow_ms, "ms", esc_ms, 2, true,
               "%d arrows in %d openings; ref: Esc to the home menu drawn", arrows_sent, n_arrow);
    bench_line("console tty entry char", median(entry_ch, CHARS), "ms", login_ms, 2, true,
               "%d characters into the reason prompt; ref: a character into the login form", CHARS);
    rc = 0;
out:
    if (rc) {
        fprintf(stderr, "bench_console tty: the screen was:\n%s\n", vt_text(t));
        printf("%-40s FAIL (the terminal run did not finish; see stderr)\n", "console tty");
    }
    vt_stop(t);
    return rc;
}

/* The demo database, with an account that may use every screen and a few kiosks reporting. */
static int prepare_demo(const char *db, struct store **st, struct secret **sec)
{
    char key[600];
    snprintf(key, sizeof key, "%s.key", db);
    int err = store_open(db, 0, st);
    if (!err)
        err = secret_load(key, sec);
    if (err) {
        kerr_print("bench_console", err);
        return 1;
    }
    struct actor root = {.name = "bench", .roles = ROLE__ALL};
    long id;
    err = auth_user_add(*st, *sec, &root, BENCH_USER, ROLE__ALL, BENCH_PW, "bench org", "0755-1",
                        &id);
    if (err)   /* already there from an earlier run on this file: its password is ours */
        err = auth_user_passwd(*st, *sec, &root, BENCH_USER, BENCH_PW);
    static const int states[][2] = {{KDEV_READY, KDEV_READY}, {KDEV_READY, KDEV_PAPER_LOW},
                                    {KDEV_READY, KDEV_PAPER_OUT}, {KDEV_ABSENT, KDEV_READY}};
    for (int i = 0; i < 12 && !err; i++) {
        char k[32];
        snprintf(k, sizeof k, "LH-%02d", i);
        err = kiosk_status_report(*st, k, states[i % 4][0], states[i % 4][1]);
    }
    if (err) {
        kerr_print("bench_console: preparing the demo database", err);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long long n = argc > 1 ? atoll(argv[1]) : 1000000;
    const char *demo = argc > 2 ? argv[2] : NULL, *kiosk = argc > 3 ? argv[3] : NULL;
    int rc = bench_pages(n);
    if (rc || !demo)
        return rc;
    struct store *st = NULL;
    struct secret *sec = NULL;
    if (prepare_demo(demo, &st, &sec))
        return 1;
    rc = bench_screens(st, sec);
    store_close(&st);
    secret_free(&sec);
    if (!rc && kiosk)
        rc = bench_tty(kiosk, demo);
    return rc;
}
