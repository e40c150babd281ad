/* console_int.h — inside the staff console: the console's state, the screen
 * ops table every screen file exports, and the helpers they share.
 *
 * Only the files in kiosk/console/ include this; callers use console.h.
 *
 * The shape (after tig's view_ops and htop's ScreenManager): console.c owns
 * the dispatch — which screen is current, entering and leaving, the prompt,
 * the key hints — and each screen is one file exporting one
 * `const struct con_screen_ops`.  A screen's work is split in two:
 *   load   the database work.  Runs when the screen opens, on F5, and after
 *          an action changed data (the screen asks with CR_LOAD, or the
 *          console sees that data changed since the screen last loaded).
 *   build  pure formatting of what load kept, into the view model.  Runs
 *          after every input, so it never calls the store: a cursor move or
 *          a typed character costs microseconds whatever the database size.
 * Screen state lives in struct console (one sub-struct per screen) because
 * screens hand things to each other: the programme list opens a queue, the
 * queue page opens an entry, the bed list opens an application. */
#ifndef KIOSK_CONSOLE_INT_H
#define KIOSK_CONSOLE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/assessment.h"
#include "kiosk/auth.h"
#include "kiosk/console/console.h"
#include "kiosk/eldercare.h"
#include "kiosk/kiosk_status.h"
#include "kiosk/next_steps.h"
#include "kiosk/notice.h"
#include "kiosk/person.h"
#include "kiosk/queue.h"
#include "kiosk/store/report_store.h"
#include "kiosk/store/store.h"
#include "kiosk/report.h"

#define AUDIT_TAIL 40           /* the audit screen shows a page of 40 records, newest first */
#define AUDIT_DETAIL_COLS 110   /* a terminal this wide shows the audit list's detail column */
#define AUDIT_PAGES 1024        /* pages PgUp can retrace (40,960 records; PgDn has no limit) */

/* Internal reaction flag: the current screen's data must be read again
 * (after a change, a new page, a new filter).  Never returned to callers. */
#define CR_LOAD (1u << 8)

/* Text prompts: what the typed line is for (the screen that opened the
 * prompt gets the text back through its prompt_done op). */
enum prompt_kind {
    PK_NONE = 0, PK_JUMP, PK_SEARCH, PK_QREASON,
    PK_BED_ASSESS, PK_BED_PROVIDER, PK_BED_REASON,
    PK_ACC_NAME, PK_ACC_NEW_ROLES, PK_ACC_NEW_PW, PK_ACC_ROLES, PK_ACC_PW,
    PK_ACC_NEW_STREET,   /* a new street account's street (issue 14; "" none) */
    /* what the resident is told (kiosk/notice.h): a reason picked from the
     * configured list, and an offer's deadline, place and contact */
    PK_PUB_REASON, PK_OFFER_DEADLINE, PK_OFFER_PLACE, PK_OFFER_CONTACT,
    /* `/`: PK_FIND moves the selection over the current list as the text is
     * typed (n/N repeat it); PK_PERSON searches everyone (kiosk/person.h) */
    PK_FIND, PK_PERSON,
    /* Esc on the home menu asks before logging out (Enter: yes, Esc: no) */
    PK_CONFIRM_LOGOUT,
    PK_REVEAL_PURPOSE,   /* `r` on an entry: why the full ID number is needed (a number) */
    PK_BED_ITEM,         /* one GB/T 42195 item score of the assessment form (bed.c) */
    /* the audit browser's filter form (audit.c): one field after another,
     * each holding its current value; Enter keeps it, an empty field is "any" */
    PK_AUDIT_ACTOR, PK_AUDIT_ACTION, PK_AUDIT_SINCE, PK_AUDIT_UNTIL, PK_AUDIT_ENTRY,
    PK_WORK_PICK,        /* `f` on the housing work queue: which list (housing.c) */
    PK_BED_SORT,         /* `s` on the bed list: a column from a numbered list (beds.c) */
    PK_BED_FILTER,       /* `f` on the bed list: stages from a numbered list with counts */
    PK_QUEUE_SORT,       /* `s` on the queue browser: an indexed order from a numbered list */
    PK_QUEUE_FILTER,     /* `f` on the queue browser: a status from a numbered list with counts */
    PK_FOUND_SORT,       /* `s` on a search's results: a column from a numbered list (found.c) */
};

/* A provider account (and nothing wider: street, district, admin see all):
 * the bed screens show only the applications assigned to c->my_org. */
bool provider_only(const struct console *c);

/* How the bed list is sorted (`s` steps through). */
enum bed_sort { BSORT_AGE = 0, BSORT_DEADLINE, BSORT_STAGE, BSORT_SUBMITTED, BSORT_PROVIDER, BSORT_REF,
                BSORT__COUNT };
/* The stages whose next step forward these roles take (beds.c). */
unsigned bed_work_mask(unsigned roles);
/* Days an application may stay in stage ([deadlines]; 0 = none). */
int bed_deadline_days(const struct console *c, int stage);
/* Whole days from since to today ("YYYY-MM-DD…" both); 0 when either is unreadable. */
int bed_age_days(const char *today, const char *since);
/* The date `days` before today ("YYYY-MM-DD…"): a row in its state since
 * before it is more than `days` old.  "" when days <= 0 or today is unreadable. */
void days_before(const char *today, int days, char out[11]);

/* The housing work queue (housing.c): days an offer may wait for an answer
 * (status ST_OFFERED) or a freeze for its review (ST_FROZEN), from
 * [deadlines]; 0 = none.  housing_cutoff: the date before which an entry in
 * that status is overdue ("" = no deadline). */
int housing_deadline_days(const struct console *c, int status);
void housing_cutoff(const struct console *c, int status, const char *today, char out[11]);
/* An overdue count as shown: "12", or "1000+" when open_count stopped counting. */
void housing_late_text(long long n, char out[24]);

/* Streets the bed list's filter offers at most (Luohu has ten). */
#define BEDS_STREETS 32

/* Bed filters besides a single stage. */
#define BF_ACTIONABLE (-2)
#define BF_ALL (-1)

struct console;

/* One screen.  Every field documented; NULL where "may be NULL" says so. */
struct con_screen_ops {
    const char *name;          /* "queue": for logs and tests */
    int layout;                /* enum con_layout: which screens/staff_*.c lays it out */
    /* The screen is being opened (from another screen, not on return):
     * reset per-visit state such as the selection.  No store calls.  May be NULL. */
    void (*enter)(struct console *c);
    /* The screen is closed for good (Esc back up, logout): wipe and free
     * what load kept — masked data is still personal.  May be NULL. */
    void (*leave)(struct console *c);
    /* The database work: fill the screen's state.  0 or a kiosk_err (the
     * console shows the refusal and keeps the previous screen).  May be NULL
     * for screens with nothing to read. */
    int (*load)(struct console *c);
    /* Pure formatting of the screen's state into c->v (title, caption,
     * rows or lines and items, selection).  NEVER calls the store. */
    void (*build)(struct console *c);
    /* One action (ch: the character of a printable key, 0 otherwise) →
     * reaction flags CR_* (CR_LOAD to have load run again).  Navigation
     * goes through con_open / con_back.  Only actions the screen offers
     * arrive here (console.c filters with the actions op). */
    unsigned (*input)(struct console *c, enum con_action a, uint32_t ch);
    /* The text of a prompt this screen opened, confirmed with Enter.  May be
     * NULL for screens that never prompt. */
    unsigned (*prompt_done)(struct console *c, int kind, const char *text);
    /* The actions available NOW, most important first (the hint shows as
     * many as fit; help and touch list all).  Writes at most cap ids into
     * acts, returns the count.  Global ones (help, log out, quit) are
     * added by console.c. */
    int (*actions)(const struct console *c, int *acts, int cap);
    /* The list `/` searches as the clerk types, and n/N repeat: returns the
     * screen's selection and sets *n to its number of rows.  NULL: the
     * screen has no list to search. */
    int *(*find_sel)(struct console *c, int *n);
    /* The searchable text of row i (its cells, as shown).  With find_sel. */
    void (*row_text)(const struct console *c, int i, char *buf, size_t cap);
    /* Enter on a find with no match in the list searches everyone by
     * receipt, ID number, name or phone (con_find_person). */
    bool find_everyone;
};

extern const struct con_screen_ops con_login, con_home, con_programs, con_queue, con_entry,
    con_beds, con_bed, con_kiosks, con_accounts, con_audit, con_check, con_help, con_person,
    con_fleet, con_card,   /* fleet.c, card.c (issue 12) */
    con_reports,           /* reports.c (issue 14 item 6) */
    con_housing;           /* housing.c: the housing work queue (issue 14) */

/* kiosks.c: moving over the list of kiosks and its keys (the fleet panel too) */
unsigned con_kiosks_input(struct console *c, enum con_action a, uint32_t ch);
int con_kiosks_actions(const struct console *c, int *acts, int cap);

/* card.c: a card at the counter; console_card() wraps it and rebuilds the view. */
struct card_event;
unsigned con_card_event(struct console *c, const struct card_event *ev, int64_t now);

struct acc_line {
    char name[64];
    unsigned roles;
    bool disabled;
    char locked_until[32];
    char last_login[32];
    char street[64];                   /* a street office's street, "" none */
};

/* A row of the queue page: what the list shows, decrypted and masked at load. */
struct queue_line {
    struct entry_row e;
    char name_masked[96];
    char id_masked[24];
};

/* l from a stored entry: decrypted, masked (name 张*, ID 4403**…), the
 * plaintext wiped; "?" where the seal does not open (console_util.c). */
void queue_line_fill(const struct secret *sec, const struct entry_row *e, struct queue_line *l);
/* A page read in the other order (the previous page, the end) turned round. */
void queue_lines_reverse(struct queue_line *page, int n);

/* A line of the check screen, produced by its load. */
struct check_line {
    int kind;                  /* enum cv_kind */
    char text[CV_TEXT];
};

struct console {
    struct store *st;
    const struct secret *sec;
    const struct kiosk_config *cfg;
    struct console_opts opts;
    int64_t idle_ms, last_input;

    bool logged_in;
    struct actor me;
    /* a provider account's organisation (login): it sees only its own clients'
     * applications; "" for every other account */
    char my_org[128];
    char pw[AUTH_PASSWORD_MAX + 1];    /* only between keys and auth_login */
    int pw_len;

    struct ns_config *ns;              /* the resident-facing reasons (data/next_steps.ini) */
    struct notice pending_notice;      /* what the resident will be told, between prompts */
    char pending_note[256];            /* the internal note typed first */

    int screen;                        /* enum con_screen */
    /* data generation: bumped by every action that writes; a screen whose
     * data is older is loaded again when it becomes current again */
    unsigned gen;
    unsigned loaded_gen[CS__COUNT];
    int help_back;                     /* the screen the help screen explains */

    struct {
        int sel, n;
        int item[10];                  /* the screens the home menu offers */
        int overdue;                   /* applications in this account's queue past their deadline */
        long long offers_late, frozen_late;   /* the housing work queue's overdue (housing.c) */
    } home;

    struct {                           /* every programme, never cut */
        struct program *list;
        long long *total;
        int n, cap, sel;
    } progs;

    struct {                           /* the queue browser: one page from position pos */
        struct program prog;
        long long total, pos, want_pos;
        struct queue_line page[CONSOLE_PAGE];
        int n_page, sel;
        /* `f`: the status shown (ST_WAITING: the ranked list by position);
         * `s`: by position (waiting only) or by the date applied, oldest or
         * newest first — the orders an index serves (queue.c) */
        int status;
        bool by_date, desc;
        long long count[ST__COUNT];    /* per status, for the pick list (capped: QUEUE_COUNT_CAP) */
        long long off;                 /* by date: the page's first row (0-based) */
        int want;                      /* by date: which page load reads (queue.c QW_*) */
        bool have_first;
        int64_t first_wait;            /* by date: the page's first row's key, for F5 and a return */
        long long first_id;
    } queue;

    struct {                           /* the housing work queue (housing.c) */
        int kind;                      /* ST_OFFERED or ST_FROZEN: the list shown */
        bool desc;                     /* newest first */
        long long count[2], late[2];   /* offered, frozen: how many, how many overdue */
        long long total, off;          /* the list shown: its size, the page's first row (0-based) */
        int want;                      /* which page load reads (housing.c WANT_*) */
        char first_at[32];             /* the page's first row's key: F5 and a return */
        long long first_id;            /* read the page again from it (keyset) */
        bool have_first;
        struct queue_line page[CONSOLE_PAGE];
        char since[CONSOLE_PAGE][32];  /* status_at of each row ("" = not known) */
        char prog[CONSOLE_PAGE][16];   /* programme code of each row */
        int n_page, sel;               /* sel: within the page */
        char today[32];
    } work;

    struct {                           /* one entry */
        struct entry_row e;
        struct queue_view *qv;         /* position, order keys (load) */
        char name[257];                /* the full name (a clerk calls the household by it) */
        bool opened;                   /* name decrypted */
        char id[19];                   /* only after an audited reveal */
        bool revealed;
        struct entry_event *ev;        /* history, oldest first, never cut */
        int n_ev, cap_ev;
        int back;                      /* the screen Esc returns to */
        int acts[QA__COUNT], n_acts;   /* queue actions allowed now (load) */
        int sel, pending_action;
        char err[CV_TEXT];             /* a load problem shown in the body */
    } entry;

    struct {                           /* what a search found (person.c) */
        char query[128];               /* the text typed: may be a name, wiped on leave */
        struct person_hit *hits;
        int n, sel, kind, back;
        bool unindexed, more;
        int sort;                      /* `s`: 0 as found, else the FSORT_* column (found.c) */
        bool desc;                     /* the column picked again: the other way round */
    } person;

    struct {                           /* `/` over the current list, n/N */
        char text[128];                /* the last text searched for (wiped on logout) */
        int from;                      /* the selection when the prompt opened */
        bool matched;
    } find;

    struct {                           /* bed applications: every one, never cut */
        struct bed_summary *list;
        int n, cap, sel, filter;
        int sort;                      /* enum bed_sort (`s` picks the column from a list) */
        bool desc;                     /* the column's order turned round (picked again) */
        int stage_n[BS__COUNT];        /* per stage, for the filter's pick list */
        int n_mine, n_all;             /* the stages this account acts on; every stage */
        int overdue;                   /* past their stage's deadline, in the list */
        char today[32];                /* store_now at load: ages are counted to it */
        /* streets (issue 14): a street account's list is its street's only
         * (bed_actor_street); district and admin may pick one street from
         * the filter's list, which counts each street in the data */
        bool by_street;                /* a street picked: only its applications */
        char street[64];               /* the one picked ("" = no street recorded) */
        char streets[BEDS_STREETS][64];/* the streets in the data, by name */
        int street_n[BEDS_STREETS];    /* how many applications each */
        int n_streets;
    } beds;

    struct {                           /* one application */
        char ref[33];
        struct bed_detail *d;
        int stage;
        int moves[BS__COUNT], n_moves;
        int sel, mv_to;
        struct assessment assess;
        bool have_assess;
        char provider[128];
        int back;                      /* the screen Esc returns to */
        char phone[32];                /* the family member's phone, after an audited `c` */
        unsigned filled;               /* assessment form: bit i = item i typed (kept until
                                          the application is left, Esc included) */
        int item;                      /* the item the form asks now */
        struct org_row orgs[12];       /* the provider pick list, while it is open */
        int n_orgs;
        bool phone_shown;
    } bed;

    struct {
        struct kiosk_status_row *list;
        int n, cap, sel;
    } kiosks;

    struct {                           /* card.c: a card read at the counter */
        bool have;
        unsigned char hash[32];        /* the holder's keyed hash, never the ID */
        char id_masked[24];
        struct entry_row *entries;     /* CARD_MAX_ENTRIES */
        int n_entries;
        struct bed_view apps[8];       /* CARD_MAX_APPS */
        int n_apps, sel;
    } card;

    struct {
        struct acc_line *list;
        int n, cap, sel;
        char pending_name[64];
        unsigned pending_roles;
        char pending_street[64];       /* the new account's street, kept while the form asks on */
    } acc;

    struct {
        struct audit_rec *list;        /* one page: AUDIT_TAIL records, newest first */
        int n, sel;
        struct audit_filter f;         /* the filters in force ("" = any) */
        char entry[64];                /* the entry/reference as typed (f.object: what it means) */
        struct audit_filter edit;      /* the form being filled: applied at its last field */
        char edit_entry[64];
        /* where each page ends, so PgUp goes back without another kind of query:
         * page k (k ≥ 1) starts after bound[(k-1) % AUDIT_PAGES]; a ring, so PgDn
         * never stops — PgUp further back than AUDIT_PAGES pages returns to the newest */
        struct audit_bound bound[AUDIT_PAGES];
        long long page;                /* 0: the newest page */
        long long deepest;             /* the deepest page opened since the filter changed */
        bool detail;                   /* Enter: the selected record in full, as stored */
    } audit;

    struct {                           /* reports.c */
        struct report *r;              /* the report shown (aggregates only) */
        int id, sel;
        char today[32];
    } rep;

    struct {
        struct check_line *line;
        int n, cap;
    } check;

    bool quit_armed;                   /* Esc on the empty login form once: a second Esc quits */
    int prompt;                        /* enum prompt_kind */
    bool prompt_secret;
    char prompt_buf[256];
    int prompt_len;

    struct con_view v;
};

/* ---- helpers every screen uses (console_util.c) ------------------------------------ */

void say(struct console *c, bool warn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The core's own words for a refusal: its detail line when it set one. */
void say_err(struct console *c, const char *what, int err);
void add_line(struct console *c, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void add_item(struct console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Column titles are N_() strings, translated here. */
void set_cols(struct console *c, int n, const struct cv_col *cols);
struct cv_row *add_row(struct console *c, int kind);   /* NULL when the page is full */
/* Cut a cell at its buffer's end on a character boundary. */
void cell(struct cv_row *r, int i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Drop a UTF-8 character cut off at the end of s (a byte cut elsewhere). */
void utf8_trim(char *s);
/* The longest head of s that fits maxcols terminal columns (CJK count 2),
 * whole characters only, into out. */
void cut_cols(const char *s, int maxcols, char *out, size_t cap);
bool has_role(const struct console *c, unsigned roles);
bool admin_screens(const struct console *c);
const char *con_lang(const struct console *c);

/* Move a selection within n items by a navigation action; false when a is
 * not one.  page = rows per PgUp/PgDn. */
bool move_sel(int *sel, int n, enum con_action a, int page);
/* Append the navigation actions (Up … End) to acts; returns the new count. */
int nav_actions(int *acts, int n, int cap, bool pages);
/* A list screen's actions after its own: Esc, F5, and moving over its rows. */
int list_actions(int *acts, int n, int cap, int rows);
/* The same for a list shown in pages of `page` rows (list_actions: CONSOLE_PAGE). */
int list_actions_paged(int *acts, int n, int cap, int rows, int page);
/* A detail screen's actions after its own: Esc, Up/Down to choose among
 * n_items actions, PgDn/PgUp to scroll the detail, F5. */
int detail_actions(int *acts, int n, int cap, int n_items);

/* Grow *p (of *cap items of size sz) to hold at least need; 0 or KERR_NOMEM. */
int grow(void **p, int *cap, int need, size_t sz);

void prompt_open(struct console *c, int kind, bool secret, const char *label);
/* The same, holding text already (a field refused: the clerk corrects what
 * was typed instead of typing it again).  Never for a secret. */
void prompt_reopen(struct console *c, int kind, const char *label, const char *text);
/* The resident-facing reason list, numbered, while PK_PUB_REASON is open. */
void pub_reason_lines(struct console *c);
/* Open the reason picker. */
void pub_reason_prompt(struct console *c);
/* "N [free text]" → c->pending_notice's reason; false (and a message) when N
 * is not a number of the list. */
bool pub_reason_parse(struct console *c, const char *text);
void prompt_close(struct console *c);
void text_append(char *buf, int *len, int cap, uint32_t ch);
void text_backspace(char *buf, int *len);

/* ---- navigation (console.c) -------------------------------------------------------------- */

/* Open screen s (deeper or sideways): its enter, then its load; on a load
 * error the refusal is shown and the current screen stays. */
unsigned con_open(struct console *c, int s);
/* Close the current screen (its leave) and return to s, which kept its
 * state; s loads again only if data changed since it last loaded. */
unsigned con_back(struct console *c, int s);
/* The actions available now on screen s (the prompt's while one is open;
 * help, log out and quit added): for help.c. */
int con_actions(const struct console *c, int s, int *acts, int cap);
/* The login screen hands over once auth_login accepted: the home menu. */
unsigned con_logged_in(struct console *c, const struct actor *a, int64_t now);
/* An action wrote to the database: every screen's data is now stale. */
void con_changed(struct console *c);

/* Search everyone: receipt (any case), full ID number, name or phone
 * (kiosk/person.h); the result screen, or the one row found opened (person.c). */
unsigned con_find_person(struct console *c, const char *text);
/* Backspace on an empty item prompt: the assessment form's previous item (bed.c). */
void con_bed_item_back(struct console *c);
/* Open a bed application by reference; Esc returns to back (bed.c). */
unsigned con_open_bed(struct console *c, const char *ref, int back);
/* Open an entry from the queue page or a search (entry.c). */
unsigned con_open_entry(struct console *c, const struct entry_row *e, int back);

#endif
