/* session_int.h — inside the resident session: the state every screen
 * shares, the screen ops table each screen file exports, and the helpers
 * they use.  For kiosk/session/ only; everyone else includes session.h.
 *
 * The shape follows tig's view_ops and htop's ScreenManager: session.c
 * owns the public API and dispatch (clock, idle countdown, wipe, language,
 * help, and which key runs which action); each screen is one file
 * (sess_<screen>.c) exporting one `const struct sess_screen_ops`.  The
 * split that matters is load vs build: `load` is the only place a screen
 * talks to the store, and runs when the screen opens (or after an action
 * that changed what it shows); `build` formats what was loaded and runs
 * after every event, so moving the cursor or typing never touches the
 * database. */
#ifndef KIOSK_SESSION_INT_H
#define KIOSK_SESSION_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/eldercare.h"
#include "kiosk/next_steps.h"
#include "kiosk/notice.h"
#include "kiosk/queue.h"
#include "kiosk/heartbeat.h"
#include "kiosk/session/session.h"

#define MAX_QV 8
#define MAX_BV 4
/* The warning before any wipe: at least 20 s to ask for more time (WCAG 2.2
 * 2.2.1), whatever idle_timeout is. */
#define COUNTDOWN_S 20
#define END_SCREEN_MS 6000
#define PICKER_MAX 40
#define PHONE_MAX 15
#define SV_HINT_COLS 78      /* the hint line of an 80-column kiosk screen */

struct session {
    struct store *st;
    struct heartbeat hb;        /* fleet health: devices, SAM, last screen (issue 12) */
    bool beat_failing;          /* the last heartbeat write failed (logged once) */
    const struct secret *sec;
    struct kiosk_config cfg;    /* a copy: cfg.keys are the bindings in force */
    struct session_opts opts;
    char lang[4];

    int screen;                 /* enum sess_screen */
    int back_screen;            /* where Esc goes from the QR screen and the picker */
    int help_back;              /* the screen help was opened from (its actions are listed) */

    /* ---- personal: wiped by sess_wipe() ---- */
    bool has_holder;            /* a card was read (not a typed look-up) */
    char holder_id[CARD_ID_MAX];
    char holder_name[CARD_NAME_MAX];
    struct queue_view qv[MAX_QV];
    int n_qv;
    struct bed_view bv[MAX_BV];
    int n_bv;
    /* the resident-facing notice (reason, offer details) of each entry and
     * application, read when its detail opens (kiosk/notice.h) */
    struct notice qn[MAX_QV];
    struct notice bn[MAX_BV];
    int sel;                    /* summary selection */
    int cur_q, cur_b;           /* the detail being shown */
    char typed_receipt[33];
    char typed_last6[7];
    int field;                  /* 0 receipt, 1 last 6 */
    int pick_level;             /* letter picker: 0 closed, 1 the groups, 2 a group's letters */
    int pick_group;             /* the group chosen at level 2 (0..7: ABC … WXYZ; 8: X only) */
    struct bed_form form;       /* the application being filled in */
    int apply_sel;
    char self_refused[SV_TEXT]; /* why the holder cannot apply for themself ("" can) */
    char applied_ref[33];
    bool applied_kept;          /* kept in the outbox: registered when the database returns */
    bool wrote;                 /* this resident wrote (applied, withdrew): read the primary */
    bool lookup_offline;        /* the card's look-up found the records away (summary says so) */
    char qr_url[256];
    struct receipt_model receipt;
    bool receipt_kept;          /* a receipt that did not print, for a reprint */

    /* ---- not personal: survive the wipe ---- */
    struct ns_config *ns;       /* the next-step texts (kiosk/next_steps.h), owned */
    bool details;               /* the queue detail shows its details level */
    int failures;               /* typed look-ups that found nothing */
    int64_t locked_until;       /* the rate-limit pause */
    bool offline;               /* the database could not be reached (KERR_OFFLINE) */
    bool outbox_waiting;        /* applications kept on the kiosk wait to be filed */
    bool replica_down;          /* the read store failed: read the primary meanwhile */
    int64_t next_replica_probe;
    int64_t next_probe;         /* while offline: when to check it again */
    uint64_t demo_seed;
    long long demo_n;           /* 0: no demo data, no picker */
    int picker_sel;
    enum sess_dev reader, printer;

    int64_t last_input;
    int64_t countdown_until;    /* 0: no countdown running */
    bool card_present;          /* a card is on the reader: the idle limit doubles */
    bool countdown_card_gone;   /* the countdown runs because the card was taken away
                                   from a half-filled application */
    int64_t end_until;          /* the end screen goes back to attract then */
    int64_t message_until;      /* the transient message disappears then (0: stays) */
    char message[SV_TEXT];
    bool message_warn;
    bool pending_lookup;        /* the reading screen's load is still to run */

    bool access;                /* speech (issue 9): the accessibility key, until the wipe */

    struct sess_view view;
};

/* ---- the screen ops table ------------------------------------------------- */

struct sess_screen_ops {
    /* The screen's name in logs and tests ("summary"). */
    const char *name;
    /* Database work when the screen opens: reads what build will show into
     * the session.  sess_go() runs it before switching; on an error the
     * screen does not open and the one before says the service is
     * unavailable.  NULL: the screen shows only what is loaded already. */
    int (*load)(struct session *s);
    /* True when load is the slow card look-up: it does not run in
     * sess_go() but in session_work(), after the screen was drawn once. */
    bool load_after_draw;
    /* Pure formatting of what was loaded into the view model (title,
     * lines, fields, big digits, chart, QR).  No store calls.  The
     * dispatcher adds the message, status line, countdown and the hint. */
    void (*build)(const struct session *s, struct sess_view *v, int64_t now);
    /* One action → reaction flags (SR_*).  Help and language are handled
     * before this, for every screen.  A digit or letter arrives as typing
     * (ACT_DIGIT_n / ACT_CHAR_x) unless its key runs an action listed by
     * `actions`.  No store calls unless it submits (a typed look-up, a
     * withdrawal, an application) or opens a screen (sess_go → load). */
    unsigned (*input)(struct session *s, enum kiosk_action a, int64_t now);
    /* The actions available now, in hint order (their keys and labels
     * come from the key table); returns how many.  The hint, the touch
     * buttons and the help screen are made from this list. */
    int (*actions)(const struct session *s, int acts[KEYTAB_MAX_ACTIONS]);
};

extern const struct sess_screen_ops sess_attract_ops;    /* sess_attract.c */
extern const struct sess_screen_ops sess_reading_ops;    /* sess_reading.c */
extern const struct sess_screen_ops sess_summary_ops;    /* sess_summary.c */
extern const struct sess_screen_ops sess_queue_ops;      /* sess_queue.c */
extern const struct sess_screen_ops sess_bed_ops;        /* sess_bed.c */
extern const struct sess_screen_ops sess_withdraw_ops;   /* sess_bed.c */
extern const struct sess_screen_ops sess_apply_who_ops;  /* sess_apply.c: the apply steps */
extern const struct sess_screen_ops sess_apply_phone_ops;
extern const struct sess_screen_ops sess_apply_elder_ops;
extern const struct sess_screen_ops sess_apply_consent_ops;
extern const struct sess_screen_ops sess_apply_services_ops;
extern const struct sess_screen_ops sess_apply_confirm_ops;
extern const struct sess_screen_ops sess_apply_done_ops;
extern const struct sess_screen_ops sess_qr_ops;         /* sess_qr.c */
extern const struct sess_screen_ops sess_end_ops;        /* sess_end.c */
extern const struct sess_screen_ops sess_picker_ops;     /* sess_picker.c */
extern const struct sess_screen_ops sess_help_ops;       /* sess_help.c */

/* The ops of a screen (enum sess_screen). */
const struct sess_screen_ops *sess_ops(int screen);

/* ---- transitions (session.c) ------------------------------------------------ */

/* Open a screen: its load (unless load_after_draw), then build. */
unsigned sess_go(struct session *s, int screen, int64_t now);
/* Rebuild the view of the screen shown. */
unsigned sess_redraw(struct session *s, int64_t now);
/* Wipe everything personal and show the attract screen. */
unsigned sess_wipe_to_attract(struct session *s, int64_t now);
/* Everything personal goes (rate-limit counters stay). */
void sess_wipe(struct session *s);

/* ---- helpers (sess_common.c) ------------------------------------------------ */

__attribute__((format(printf, 3, 4))) void sess_fmt(char *out, size_t cap, const char *f, ...);
/* Append a line to the view; NULL when it is full. */
__attribute__((format(printf, 3, 4))) struct sv_line *sv_add(struct sess_view *v, int kind,
                                                            const char *f, ...);
/* The transient message (for_ms 0: until cleared). */
__attribute__((format(printf, 5, 6))) void sess_message(struct session *s, bool warn, int64_t now,
                                                       int64_t for_ms, const char *f, ...);
void sess_clear_message(struct session *s);
/* The same warning for every store failure a resident can meet. */
/* A store call failed with err: say so in plain words (KERR_OFFLINE: the
 * records cannot be reached, and the attract screen says so until a probe
 * finds the database again). */
void sess_unavailable(struct session *s, int err, int64_t now);
#define OFFLINE_PROBE_MS 2000   /* a probe only polls a reconnection: it never waits */
/* The store to read from: the standby (opts.read_store) unless there is
 * none, it is down, or this resident wrote something (read your writes). */
struct store *sess_rd(const struct session *s);
/* A read on sess_rd() failed with err: when that was the standby being
 * away, note it (probed again later) and return true — read the primary. */
bool sess_replica_failed(struct session *s, int err, int64_t now);
#define REPLICA_PROBE_MS 30000
/* File what the outbox kept (between residents, on the attract screen). */
void sess_deliver_outbox(struct session *s, int64_t now);

const char *sess_program_name(const struct session *s, const struct queue_view *q);
/* A phone number for the screen: the first 3 and last 4 digits. */
void sess_phone_mask(const char *p, char *out, size_t cap);
/* The status line: both devices and the kiosk id. */
void sess_fill_status(const struct session *s, struct sess_view *v);

/* Append an action to acts[] (bounded); returns the new count. */
int sess_acts_add(int *acts, int n, int id);
/* Help and language, offered on every screen but the reading one. */
int sess_acts_common(int *acts, int n);
/* True when act is in the list. */
bool sess_acts_has(const int *acts, int n, int act);

/* Why this elder cannot apply (younger than [eldercare] min_age, or an open
 * application), into msg; false when they can (sess_apply.c). */
bool sess_apply_elder_refused(struct session *s, const char *elder_id, char *msg, size_t cap);

/* Store work shared by screens. */
int sess_lookup_beds(struct session *s);   /* the holder's applications, in s->lang */

/* The next steps of queue entry i / application i, in s->lang. */
void sess_next_steps_queue(const struct session *s, int i, struct next_steps *out);
void sess_next_steps_bed(const struct session *s, int i, struct next_steps *out);
/* Append next-step lines ("label: text") to the view. */
void sess_add_next_steps(struct sess_view *v, const char *lang, const struct next_steps *ns);

/* Receipt and follow-up code of the detail shown (queue entry, application). */
unsigned sess_start_print(struct session *s, int64_t now);
unsigned sess_open_qr(struct session *s, int64_t now);
void sess_make_followup(struct session *s, const char *ref);

#endif
