/* kiosk_status.h — what each resident kiosk last said about its devices,
 * shared through the database so a staff console can see which kiosks need
 * paper (SPEC §1: "sees which kiosks need paper").
 *
 * A kiosk's event loop reports its reader and printer state whenever one of
 * them changes (one upsert, its own short transaction); the console lists
 * them, the ones that need paper or help first.  Nothing personal is kept:
 * a kiosk id, two states and a time.  Not audited: a device state is not an
 * act on anyone's data, and a flapping USB cable must not flood the trail. */
#ifndef KIOSK_KIOSK_STATUS_H
#define KIOSK_KIOSK_STATUS_H

#include <stdbool.h>
#include <stddef.h>

struct store;

/* The version a kiosk reports in its heartbeat (and prints for --version). */
#define KIOSK_VERSION_STR "0.1.0"

/* Device states, numbered exactly like enum sess_dev (session.h), so the
 * resident loop can pass the values it already has.  NOT_ANSWERING: a
 * reader that is connected but silent (issue 12). */
enum kdev_state {
    KDEV_ABSENT = 0, KDEV_READY, KDEV_PAPER_OUT, KDEV_PAPER_LOW, KDEV_FAULT,
    KDEV_NOT_ANSWERING, KDEV__COUNT
};
/* "absent", "ready", "paper_out", "paper_low", "fault", "not_answering"
 * ("unknown" otherwise). */
const char *kdev_state_name(int state);

/* The reader's SAM as last asked (11 FF status at open). */
enum ksam_state { KSAM_UNKNOWN = 0, KSAM_OK, KSAM_FAULT, KSAM__COUNT };
const char *ksam_state_name(int state);   /* "unknown", "ok", "fault" */

/* The same states as words for people, in the language in force (gettext:
 * "not connected", "out of paper", …); the codes above stay what scripts
 * and the JSON read. */
const char *kdev_state_label(int state);
const char *ksam_state_label(int state);

#define KIOSK_SCREEN_MAX 32

struct kiosk_status_row {
    char kiosk_id[64];
    int reader_state;       /* enum kdev_state */
    int printer_state;
    char updated_at[32];    /* "YYYY-MM-DD HH:MM:SS" (store_now) */
    /* the heartbeat (007_heartbeat.sql); 0 / "" in a bare device report */
    int sam_state;          /* enum ksam_state */
    char sam_id[48];
    char screen[KIOSK_SCREEN_MAX];  /* the last screen drawn: its name only */
    long long screen_at;    /* Unix seconds it was drawn */
    char version[32];
    long long beat_at;      /* Unix seconds of the last heartbeat; 0: none yet */
    /* the last database outage the kiosk saw (013_db_outage.sql): from when
     * it could not reach the database until it could again, Unix seconds;
     * 0 / 0: none since it started.  Written by the first heartbeat after. */
    long long db_lost_from, db_lost_to;
};

/* The storage a backend provides (kiosk/store/status_engine.c); store.h's
 * store_ops.status points at it (NULL: this backend has none yet). */
struct status_store_ops {
    /* the device states and beat_at only (the rest of the row is kept) */
    int (*upsert)(struct store *st, const struct kiosk_status_row *r);
    /* the whole row: a heartbeat */
    int (*beat)(struct store *st, const struct kiosk_status_row *r);
    /* every kiosk, in kiosk_id order */
    int (*each)(struct store *st, int (*cb)(void *ctx, const struct kiosk_status_row *r),
                void *ctx);
};

/* Record a kiosk's device states now (insert or replace its row, in its own
 * transaction).  KERR_INPUT for an empty kiosk id or a state out of range;
 * KERR_UNSUPPORTED when the backend keeps no status. */
int kiosk_status_report(struct store *st, const char *kiosk_id, int reader_state,
                        int printer_state);

/* A heartbeat: the whole row (states, SAM, last screen, version), now.
 * KERR_INPUT for a bad kiosk id, a state out of range, or a screen name or
 * version that is not a short identifier ([A-Za-z0-9_.-], < 32 bytes): a
 * heartbeat carries names, never screen content or anyone's data. */
int kiosk_heartbeat(struct store *st, const struct kiosk_status_row *r);

/* Seconds since the kiosk's last heartbeat at Unix time now; -1: never. */
long long kiosk_status_age(const struct kiosk_status_row *r, long long now);
/* Silent: no heartbeat for more than silent_after seconds (or never). */
bool kiosk_status_silent(const struct kiosk_status_row *r, long long now, int silent_after);

/* Every kiosk's last report: those that need attention first (paper out,
 * then a fault or a missing device, then paper low), then the rest, each
 * group in kiosk_id order.  At most cap rows; *n gets how many. */
int kiosk_status_list(struct store *st, struct kiosk_status_row *out, int cap, int *n);

/* What the fleet says about a kiosk's database connection (issue 13):
 * KDB_WAS_AWAY — it reported an outage that ended within the last
 * KDB_RECENT_S; KDB_SILENT_AWAY — it is silent and its last heartbeat
 * reported an outage within KDB_RECENT_S before it, so the likelier cause is
 * the database link again, not a dead kiosk (said as a likelihood: a
 * silent kiosk cannot tell us). */
enum kdb_note { KDB_NONE = 0, KDB_WAS_AWAY, KDB_SILENT_AWAY };
#define KDB_RECENT_S (24 * 3600)
int kiosk_status_db_note(const struct kiosk_status_row *r, long long now, int silent_after);

/* A span of seconds in the current language: "45 s", "3 min", "2 h", "5 d";
 * "never" for a negative one.  Returns buf. */
const char *kiosk_age_text(long long seconds, char *buf, size_t cap);

/* The fleet's words for kiosk_status_db_note, in the current language — one
 * wording for `kioskctl kiosks` and the console's fleet panel, so the two
 * never say it differently:
 *   KDB_WAS_AWAY     "database unreachable 12-06 18:01:02 to 18:03:04, 2 min"
 *   KDB_SILENT_AWAY  "silent: database unreachable? (lost it 12-06 18:01:02 to
 *                     18:03:04, 2 min)"
 *   KDB_NONE         ""
 * Local time.  Returns buf; KDB_TEXT_MAX bytes hold either in any language. */
#define KDB_TEXT_MAX 192
const char *kiosk_status_db_text(const struct kiosk_status_row *r, long long now,
                                 int silent_after, char *buf, size_t cap);

/* Paper out or low: someone should bring paper. */
bool kiosk_status_needs_paper(const struct kiosk_status_row *r);
/* Anything wrong at all (paper, fault, a device missing or mute, the SAM). */
bool kiosk_status_needs_attention(const struct kiosk_status_row *r);

#endif
