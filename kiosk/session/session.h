/* session.h — the resident session: a state machine in the core.
 *
 * Events go in (a card placed or taken away, an action from the keypad, the
 * clock ticking); reactions come out as flags (redraw, screen changed, print,
 * quit).  The session decides everything a resident sees: it looks people
 * up, masks and translates, and builds a VIEW MODEL — plain structs of
 * ready-to-draw strings — that screens/ only lays out.  It owns the idle
 * countdown and the wipe of everything personal, and the rate limit on typed
 * look-ups.  No terminal, no device: unit-testable (tests/unit/test_session.c).
 *
 * Time is passed in (now_ms, any monotonic origin) so tests drive the clock. */
#ifndef KIOSK_SESSION_H
#define KIOSK_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/card_event.h"
#include "kiosk/config.h"
#include "kiosk/keytab.h"
#include "kiosk/receipt_model.h"

struct store;
struct secret;
struct session;

/* What a key means.  The named actions come from the one key table
 * (kiosk/keytab.h: RESIDENT_ACTIONS, with their keys, labels and help);
 * digits and letters not bound to an action offered on the screen type. */
enum kiosk_action {
    ACT_NONE = 0,
    ACT_DIGIT_0, ACT_DIGIT_1, ACT_DIGIT_2, ACT_DIGIT_3, ACT_DIGIT_4,
    ACT_DIGIT_5, ACT_DIGIT_6, ACT_DIGIT_7, ACT_DIGIT_8, ACT_DIGIT_9,
    ACT_CHAR_A,                 /* ACT_CHAR_A + k: letter 'A' + k (receipt numbers) */
    ACT_CHAR_Z = ACT_CHAR_A + 25,
#define KT_ENUM(id, ...) id,
    RESIDENT_ACTIONS(KT_ENUM)
#undef KT_ENUM
    ACT_ANY,                    /* any other key: only wakes the idle countdown */
    ACT__COUNT
};

/* Reaction flags returned by every session_* event function. */
enum {
    SR_NONE = 0,
    SR_REDRAW = 1 << 0,         /* the view changed: draw it */
    SR_GOTO = 1 << 1,           /* a different screen: leave/enter, full repaint */
    SR_PRINT = 1 << 2,          /* print session_receipt(), then session_print_result() */
    SR_WORK = 1 << 3,           /* draw first, then call session_work() (a look-up) */
    SR_WIPE = 1 << 4,           /* personal data was wiped: clear the whole terminal */
    SR_QUIT = 1 << 5,
};

enum sess_screen {
    SS_ATTRACT = 0, SS_READING, SS_SUMMARY, SS_QUEUE, SS_BED, SS_WITHDRAW,
    SS_APPLY_WHO, SS_APPLY_PHONE, SS_APPLY_ELDER, SS_APPLY_CONSENT, SS_APPLY_SERVICES,
    SS_APPLY_CONFIRM, SS_APPLY_DONE, SS_QR, SS_END, SS_PICKER, SS_HELP,
    SS__COUNT
};
const char *sess_screen_name(int screen);

/* Device states as the core sees them (the loop maps devmgr's). */
enum sess_dev { SDEV_ABSENT = 0, SDEV_READY, SDEV_PAPER_OUT, SDEV_PAPER_LOW, SDEV_FAULT,
                SDEV_NOT_ANSWERING /* the reader is connected but silent (issue 12) */ };

/* ---- the view model --------------------------------------------------------- */
enum sv_kind {
    SVL_TEXT = 0,   /* plain line */
    SVL_HEAD,       /* a heading (bold) */
    SVL_ITEM,       /* a selectable item (reverse when selected) */
    SVL_NOTE,       /* secondary text */
    SVL_WARN,       /* a warning / error (stands out) */
    SVL_GOOD,       /* a success line */
};

#define SV_MAX_LINES 64
#define SV_TEXT 240
#define SV_CHART 12

struct sv_line {
    unsigned char kind;        /* enum sv_kind */
    unsigned char done;        /* timeline: 1 = stage reached, 2 = current */
    char text[SV_TEXT];
};

/* The on-screen pad a typing screen offers to touch (screens draw its keys). */
enum sv_pad {
    SVP_NONE = 0,
    SVP_RECEIPT,    /* letters A–Z and digits: a receipt number */
    SVP_ID_END,     /* digits and X: the last characters of an ID number */
    SVP_DIGITS,     /* digits only: a phone number */
};

#define SV_MAX_PICK 9

struct sv_field {
    char label[96];
    char value[48];            /* what was typed (digits of an ID are shown) */
    bool active;               /* the cursor is here */
};

struct sess_view {
    int screen;                /* enum sess_screen */
    char lang[4];
    char title[160];
    char hint[240];            /* the keys that do something here (keytab_hint of acts[]) */
    int n_acts;                /* the actions available now, in hint order (touch buttons) */
    int acts[KEYTAB_MAX_ACTIONS];
    char message[SV_TEXT];     /* one transient line: an error or a confirmation */
    bool message_warn;
    char status[200];          /* status line: reader and printer, kiosk id */
    bool device_trouble;       /* the status line says something is wrong */

    int n_lines;
    struct sv_line line[SV_MAX_LINES];
    int selected;              /* index into line[] of the selected SVL_ITEM, -1 none */

    int n_fields;
    struct sv_field field[2];
    int pad;                   /* enum sv_pad: the touch pad for the active field */
    /* The keypad's letter picker while it is open (n_pick > 0): what to press
     * for each choice ("2" → "ABC", then "1" → "A"); a keypad of digits,
     * Enter and Cancel can then type every receipt number. */
    char pick_title[SV_TEXT];
    int n_pick;
    struct { char key[4]; char label[16]; } pick[SV_MAX_PICK];

    /* queue detail: big block digits with the same number in plain digits */
    bool big;
    char big_digits[24];       /* "168" */
    char big_caption[160];     /* "Position 168 of 919" */
    /* the small monthly-allocation chart */
    bool chart;
    int chart_val[SV_CHART];
    char chart_label[SV_CHART][8];
    char chart_title[120];

    /* the follow-up QR ("" = none) and its caption */
    char qr_url[256];
    char qr_caption[SV_TEXT];

    /* the warning before a wipe, drawn over everything: seconds left (0 = none),
     * the text with the seconds, and the same warning without the ticking
     * number (what to speak, once, when it appears) */
    int countdown;
    char countdown_text[200];
    char countdown_speak[200];

    /* ---- speech (issue 9) ---- the accessibility key is on for this
     * resident: personal details are spoken (headphones), and the layout
     * should use its largest type.  Off again at the wipe. */
    bool access_mode;
};

struct outbox;
struct session_opts {
    bool sim;                  /* enables the demo-resident picker */
    /* applications kept while the database is away (kiosk/outbox.h;
     * borrowed; NULL: none — a SQLite kiosk has its database on board) */
    struct outbox *outbox;
    /* a hot standby for look-ups ([kiosk] database_read; borrowed); NULL:
     * everything on the store.  Writes always go to the store, and after a
     * resident's own write the rest of that session reads there too. */
    struct store *read_store;
};

/* Create a session over an open store and secret (borrowed, not owned). */
int session_new(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                const struct session_opts *opts, struct session **out);
/* Wipes everything personal, then frees. */
void session_free(struct session **s);

/* A card event from the reader; the event is wiped before returning. */
unsigned session_card(struct session *s, struct card_event *ev, int64_t now_ms);
/* An action from the keypad.  A typed digit or letter (ACT_DIGIT_n /
 * ACT_CHAR_x) whose key is bound (cfg->keys) to an action the screen
 * offers now (view.acts[]) runs that action — "0" is the QR code on a
 * detail screen by default — otherwise it types; the named action itself
 * (ACT_SHOW_QR…) is accepted too.  Moving the cursor or typing never
 * touches the store: only opening a screen that loads (an entry's detail)
 * or submitting (a typed look-up, a withdrawal, an application) does, and
 * the language switch re-reads the applications, which the core words in
 * one language. */
unsigned session_action(struct session *s, enum kiosk_action act, int64_t now_ms);
/* The clock: the idle countdown, the rate-limit pause, the end screen. */
unsigned session_tick(struct session *s, int64_t now_ms);
/* The look-up announced by SR_WORK (after the "reading" screen was drawn). */
unsigned session_work(struct session *s, int64_t now_ms);
/* Milliseconds until session_tick wants to run (-1: nothing pending). */
int session_next_timeout_ms(const struct session *s, int64_t now_ms);

unsigned session_devices(struct session *s, enum sess_dev reader, enum sess_dev printer);
/* ---- fleet health (issue 12) ---- The reader's SAM (enum ksam_state, id ""
 * when unknown) for the heartbeat; and that the current screen was just
 * drawn at Unix time wall_s (the heartbeat carries its name and time, proof
 * the UI is alive).  session_tick writes the heartbeat when due. */
void session_sam(struct session *s, int sam_state, const char *sam_id);
void session_drawn(struct session *s, long long wall_s);
/* After SR_PRINT: the result of printing session_receipt() (0 or a kiosk_err). */
unsigned session_print_result(struct session *s, int err, int64_t now_ms);

const struct sess_view *session_view(const struct session *s);
const struct receipt_model *session_receipt(const struct session *s);
const char *session_lang(const struct session *s);

/* ---- speech (issue 9) ---- The accessibility key (ACT_ACCESS, handled by
 * the loop with the speech device): switch view.access_mode on or off until
 * the next wipe.  Returns SR_REDRAW (the layout changes). */
unsigned session_set_access(struct session *s, bool on, int64_t now_ms);

/* True while anything personal is held (for tests of the wipe). */
bool session_holds_personal(const struct session *s);

#endif
