/* bed_store.h — what a storage backend provides for 家庭养老床位 applications
 * (struct bed_store_ops; written once over the SQL executor in bed_engine.c,
 * tables of 003_eldercare.sql).  Rows carry only keyed hashes and sealed blobs for
 * personal and health data; eldercare.c seals and opens them. */
#ifndef KIOSK_BED_STORE_H
#define KIOSK_BED_STORE_H

#include <stdbool.h>

struct store;

#define BED_SEALED_MAX 512

struct entry_row;

struct bed_row {
    long long id;
    char ref[33];
    unsigned char elder_hash[32];
    unsigned char elder_sealed[BED_SEALED_MAX];     /* "ID\tNAME" */
    int elder_sealed_len;
    bool has_agent;
    unsigned char agent_hash[32];
    unsigned char agent_sealed[BED_SEALED_MAX];     /* "ID\tNAME\tPHONE" */
    int agent_sealed_len;
    unsigned char address_sealed[BED_SEALED_MAX];
    int address_sealed_len;
    unsigned services;
    char consent_at[32];
    char kiosk_id[64];
    int stage;
    char submitted_at[32];
    char updated_at[32];
    long provider_org_id;                           /* 0 = none */
    long built_by, built_org_id, accepted_by, assessed_by;
    unsigned char assessment[BED_SEALED_MAX];       /* sealed assessment_encode() text */
    int assessment_len;                             /* 0 = not assessed */
    char assessed_at[32];
    char reassess_due[16];                          /* "YYYY-MM-DD" or "" */
    char street[64];                                /* 街道 it belongs to, "" = not recorded (014) */
    char provider_name[128];                        /* list only: the provider org's name */
};

struct bed_hist {
    long long app_id;
    int stage;
    char at[32];
    char actor[64];
    char role[16];
    char reason[256];
};

typedef int (*bed_row_cb)(void *ctx, const struct bed_row *r);

/* What the console's search looks for (person_search; person.c fills it).
 * By receipt: receipt_no and ref (the text in upper case).  Otherwise any
 * of the hashes (NULL: not that way) and ref. */
struct person_seek {
    const char *receipt_no;             /* entries with this receipt (any case); NULL: no */
    const char *ref;                    /* the application with this reference; NULL: none */
    const unsigned char *id_hash;       /* entries and applications (elder or agent) of an ID */
    const unsigned char *name_hash;     /* entries by keyed name hash (the first 41 by id) */
    const unsigned char *index_hash;    /* applications by person-index hash (name, phone) */
    const char *street;                 /* the account's street (NULL: every street) */
    bool entries, beds;                 /* what the caller may show */
};

#define BED_STAGES 11   /* enum bed_stage's BS__COUNT (eldercare.h) */

/* The console home menu's counts (work_counts). */
struct work_count_query {
    const char *open_before[2];           /* offered, frozen: in it since before this date
                                           * is overdue ("" no deadline: 0) */
    const char *bed_before[BED_STAGES];   /* per stage: last moved before this date is
                                           * overdue ("" not counted) */
    const char *street;                   /* a street office's account: its street's
                                           * applications only; NULL every street */
};

struct bed_store_ops {
    int (*insert)(struct store *st, struct bed_row *r);                  /* sets id */
    int (*get)(struct store *st, const char *ref, struct bed_row *out);  /* NOTFOUND */
    /* writes stage, updated_at, provider/built/accepted/assessed ids, assessment, dates,
     * street */
    int (*update)(struct store *st, const struct bed_row *r);
    /* applications whose elder or agent hash is `hash`, newest first */
    int (*by_hash)(struct store *st, const unsigned char hash[32], bed_row_cb cb, void *ctx);
    /* every application (stage < 0) or those in one stage, oldest first;
     * street NULL: of every street, else of that street only ("" = the
     * applications with no street recorded) */
    int (*list)(struct store *st, int stage, const char *street, bed_row_cb cb, void *ctx);
    int (*history_add)(struct store *st, const struct bed_hist *h);
    /* the history of one application, oldest first */
    int (*history)(struct store *st, long long app_id,
                   int (*cb)(void *ctx, const struct bed_hist *h), void *ctx);
    /* the person index (kiosk/person.h, enum person_kind): one keyed hash
     * per application and kind, replaced when written again */
    int (*person_add)(struct store *st, long long app_id, int kind, const unsigned char hash[32]);
    /* up to n applications with id > after_id not yet in the person index */
    int (*unindexed)(struct store *st, long long after_id, int n, bed_row_cb cb, void *ctx);
    /* the console's search (kiosk/person.h) in ONE statement (issue 13):
     * the entries and applications pq points at and, when all are one
     * person's, that person's other entries and applications, in
     * person_find's order; each entry with its programme's code.
     * *unindexed: a name search met entries without a name hash. */
    int (*person_search)(struct store *st, const struct person_seek *pq,
                         int (*on_entry)(void *ctx, const struct entry_row *e, const char *code),
                         bed_row_cb on_bed, void *ctx, bool *unindexed);
    /* the console home menu's counts in ONE statement (issue 13): the
     * housing work queue's overdue offers and freezes (open_late[0] and
     * [1], each up to OPEN_LATE_CAP, as open_count) and the applications
     * overdue at their stage (*beds_late, exact) */
    int (*work_counts)(struct store *st, const struct work_count_query *wq,
                       long long open_late[2], long long *beds_late);
    /* remove every application and its history (kioskctl demo refills) */
    int (*clear)(struct store *st);
};

#endif
