/* next_steps.h — what a resident is told to do next, for every housing-queue
 * status and every home-care-bed stage: what it means, what to do and by
 * when, whom to contact, what happens next and how long that usually takes,
 * the resident-facing reason a clerk chose, the refusal count and the appeal
 * route.  One model for every front end (the kiosk screens, the receipt, the
 * spoken text, the follow-up web page): each calls next_steps_queue() or
 * next_steps_bed() with the facts it knows and gets the same lines back.
 *
 * Every word, contact, deadline and duration is configuration, not code:
 * data/next_steps.ini (both languages), compiled in as the default and
 * replaceable per site with `[kiosk] next_steps = FILE` (docs/next_steps.md
 * describes the format).  The module is pure: no store, no gettext, no
 * global language — the language is a fact passed in, so a web server can
 * answer in Chinese and English side by side. */
#ifndef KIOSK_NEXT_STEPS_H
#define KIOSK_NEXT_STEPS_H

#include <stdbool.h>

#define NS_TEXT 400        /* one line of text (UTF-8 bytes, NUL included) */
#define NS_LABEL 64
#define NS_MAX_LINES 10
#define NS_CODE 32
#define NS_MAX_REASONS 24

struct ns_config;          /* the parsed configuration (opaque) */

/* The kinds of line, in the order they are produced. */
enum ns_kind {
    NSL_MEANS = 0,   /* what this status or stage means */
    NSL_REASON,      /* the resident-facing reason (+ the clerk's free text) */
    NSL_REFUSALS,    /* refusals so far, the limit and what happens at it */
    NSL_TODO,        /* what the resident must do (with the deadline if any) */
    NSL_PLACE,       /* an offer: where to go */
    NSL_CONTACT,     /* whom to contact: office, offer contact or provider */
    NSL_NEXT,        /* what happens next, and its usual duration */
    NSL_APPEAL,      /* how to appeal, and by when */
};

struct ns_line {
    int kind;                 /* enum ns_kind */
    char label[NS_LABEL];     /* "您需要做什么" / "What to do" */
    char text[NS_TEXT];
};

struct next_steps {
    int n;
    struct ns_line line[NS_MAX_LINES];
    /* the short forms a receipt prints */
    char status[NS_TEXT];     /* one-line meaning ("轮候中：…") */
    char todo[NS_TEXT];       /* the step itself ("" when nothing is asked) */
    char deadline[16];        /* "YYYY-MM-DD" by which to act, "" none */
    char contact[NS_TEXT];    /* "name · phone" of whom to contact */
};

/* What the caller knows about the entry or application.  Unknown strings
 * may be NULL or "". */
struct ns_facts {
    const char *lang;             /* "zh" or "en" (anything else: "en") */
    const char *since;            /* when the status/stage began, "YYYY-MM-DD…" */
    int refusals, refusal_limit;  /* queue only */
    const char *reason_code;      /* a code of [reasons], chosen by staff */
    const char *reason_text;      /* the clerk's optional free text for the resident */
    const char *offer_deadline;   /* "YYYY-MM-DD": overrides since + deadline_days */
    const char *offer_place;
    const char *offer_contact;
    const char *provider_name;    /* bed: the assigned provider */
    const char *provider_phone;
};

/* Parse a configuration file.  Errors are KERR_CONFIG with the detail
 * "FILE:LINE: what is wrong"; a missing section or text is an error too
 * (every status and stage must say something in both languages). */
int next_steps_load(const char *path, struct ns_config **out);
/* The compiled-in data/next_steps.ini. */
int next_steps_load_default(struct ns_config **out);
/* Parse text (name is used in error details). */
int next_steps_parse(const char *name, const char *text, struct ns_config **out);
void next_steps_free(struct ns_config **cfg);

/* status: enum entry_status; a waiting or offered entry with refusals > 0
 * also gets the [queue.refused] lines.  Returns 0 or KERR_USAGE. */
int next_steps_queue(const struct ns_config *cfg, int status, const struct ns_facts *f,
                     struct next_steps *out);
/* stage: enum bed_stage. */
int next_steps_bed(const struct ns_config *cfg, int stage, const struct ns_facts *f,
                   struct next_steps *out);

/* A bed stage not reached yet, in words that say it is still to come
 * ("上门评估" / "home assessment"): the [bed.STAGE] future text. */
const char *next_steps_bed_future(const struct ns_config *cfg, int stage, const char *lang);

/* The configured resident-facing reasons, in file order (console pickers). */
int next_steps_reason_count(const struct ns_config *cfg);
/* Code and text of reason i in lang; NULL when i is out of range. */
const char *next_steps_reason_code(const struct ns_config *cfg, int i);
const char *next_steps_reason_text(const struct ns_config *cfg, int i, const char *lang);
/* The text of a reason code; NULL when the code is not configured. */
const char *next_steps_reason_lookup(const struct ns_config *cfg, const char *code,
                                     const char *lang);

/* The street office, for a help or contact line: "name · address · hours · phone". */
void next_steps_office(const struct ns_config *cfg, const char *lang, char *out, unsigned long cap);

#endif
