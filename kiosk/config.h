/* config.h — the one INI configuration file (inih), every key with a default.
 *
 * SPEC §2 fixes the section and key names.  Unknown keys do not stop the
 * programs; they are collected so `kioskctl check` can report them. */
#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H

#include <stdbool.h>

#include "kiosk/keytab.h"

#define CONFIG_MAX_UNKNOWN 32

struct kiosk_config {
    /* [kiosk] */
    char database[512];        /* SQLite path or postgresql:// URL */
    int write_wait;            /* seconds a write waits for another writer (300) */
    char secret_file[512];     /* "" → DATABASE.key beside a SQLite file */
    char language[8];          /* "zh" or "en" */
    int idle_timeout;          /* seconds before the resident screen wipes */
    char followup_url[256];    /* base URL printed in the QR */
    char kiosk_id[64];         /* printed on receipts, used in audit actor names */
    int lookup_attempts;       /* typed look-ups before a pause (5) */
    int lookup_pause;          /* seconds of that pause (60) */
    char next_steps[512];      /* the next-step texts (docs/next_steps.md); "" → the built-in data/next_steps.ini */
    char database_read[512];   /* a hot standby for the resident look-ups; "" → database */
    char outbox[512];          /* applications kept while a PostgreSQL database is away
                                  (kiosk/outbox.h); "" → outbox.db beside secret_file */
    char street[64];           /* the street office (街道) the kiosk stands in: recorded on
                                  every application filed at it; "" = none (issue 14) */
    /* [district] */
    char streets[1024];        /* the district's streets, comma-separated ("" = not
                                  checked): every street name given anywhere must be one */
    /* [queue] */
    int refusal_limit;         /* refusals before removal, for programs added later (2) */
    /* [reader] */
    char reader_usb[16];       /* "VID:PID" or "" for the first known match */
    /* [printer] */
    char printer_usb[16];
    int paper_dots;            /* 384 or 576 */
    bool native_qr;            /* send GS ( k instead of a raster */
    /* [eldercare] */
    int reassess_months;       /* reassessment due after this many months (12) */
    char level_bands[128];     /* GB/T 42195 total-score bands, "90,66,46,30" */
    int min_age;               /* an elder younger than this cannot apply (60) */
    /* [deadlines]: STAGE = DAYS an application may stay in that stage before the
     * console marks it overdue (issue 14); 0 = no deadline.  Indexed by enum bed_stage. */
    int stage_deadline_days[16];
    /* [deadlines] offer_answer: days a household has to answer a flat offer (15);
     * frozen_review: days after which a frozen entry is due for review (90); 0 =
     * none.  The housing work queue (kiosk/console/housing.c) counts against them. */
    int offer_answer_days;
    int frozen_review_days;
    /* [console] reveal_purposes: why a clerk may see a full ID number, '|'-separated;
     * "" → the built-in list (kiosk/console/entry.c).  The one picked goes into the audit record. */
    char reveal_purposes[512];
    /* [reports] (issue 14 item 6; kiosk/report.h) */
    char report_dir[512];      /* where the console's `x` writes a report's CSV ("/tmp") */
    int report_min_count;      /* counts below this are shown and exported as "<N" (0: off) */
    /* [auth] */
    int max_failed_logins;     /* lock after this many (5) */
    /* [import] */
    double max_removal_share;  /* an import removing more of a program is refused (0.05) */

    /* [followup]: the follow-up page, build/kiosk-followup (docs/followup.md) */
    char followup_listen[64];  /* ADDR:PORT when --listen is not given ("127.0.0.1:8080") */
    int bad_codes_per_minute;  /* wrong codes per client address per minute before 429 (10) */
    int followup_threads;      /* server threads, each with its own connection (2) */
    int followup_page_cache;   /* pages each server thread keeps until the next commit (2048; 0 off) */
    int connections_per_address; /* open connections one client address may hold (256; 0: no
                                    limit, behind a proxy).  Well above the clients one address
                                    runs at once: a closed connection is counted until its
                                    worker thread cleans it up, and a client that reconnects
                                    at once would otherwise be refused (a reset) */

    /* [speech] (issue 9; docs/kiosk.md "Speech") */
    bool speech_enabled;       /* speak at all (yes) */
    bool speech_private;       /* headphones: personal content may be spoken (no) */
    char speech_chinese[4];    /* how Chinese is spoken: "zh" Mandarin or "yue" Cantonese */
    char voice_zh[64];         /* espeak-ng voices; "" = devices/speech.c's defaults */
    char voice_yue[64];
    char voice_en[64];
    int speech_volume;         /* 10..200, 100 normal */

    /* [console] */
    bool console_card_reader;  /* a card reader at the staff counter (issue 12) (no) */
    /* [fleet] (issue 12; docs/kiosk.md "Fleet health") */
    int fleet_heartbeat;       /* seconds between a kiosk's heartbeats (30) */
    int fleet_silent_after;    /* a kiosk silent longer than this is flagged (120) */

    /* [keys]: action = key names (kiosk/keytab.h); staff actions as staff.NAME */
    struct keytab keys;

    /* bookkeeping */
    char path[512];            /* the file read, "" when none */
    int n_unknown;
    char unknown[CONFIG_MAX_UNKNOWN][96];   /* "section.key" (line N) */
};

#define CONFIG_STREET_MAX 64   /* bytes of a street name, with its NUL */

/* A street name as given anywhere (the kiosk's [kiosk] street, an account's
 * or an application's street, a filter): "" always passes (none); else it
 * must be a name (no control characters or commas, < CONFIG_STREET_MAX
 * bytes) and, when [district] streets is set (cfg non-NULL), one of them.
 * KERR_INPUT naming the bad name and the allowed ones. */
int config_street_check(const struct kiosk_config *cfg, const char *street);

/* Fill cfg with the defaults. */
void config_defaults(struct kiosk_config *cfg);

/* Read path over the defaults.  A missing file is an error only when
 * required is true (an explicit --config); a bad value is KERR_CONFIG with a
 * detail "FILE:LINE: key: what is wrong". */
int config_load(struct kiosk_config *cfg, const char *path, bool required);

/* The secret file to use: secret_file, or DATABASE.key beside a SQLite file.
 * A PostgreSQL URL has no "beside": then secret_file must be set, and this
 * returns KERR_CONFIG with a detail saying so. */
int config_secret_path(const struct kiosk_config *cfg, char *out, unsigned long cap);

#endif
