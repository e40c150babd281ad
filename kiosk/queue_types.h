/* queue_types.h — the plain vocabulary of the housing queue: entry statuses,
 * ordering keys and staff roles.  No functions that touch storage live here,
 * so every layer (importer, screens, devices) can include it. */
#ifndef KIOSK_QUEUE_TYPES_H
#define KIOSK_QUEUE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* SPEC §3 statuses; the numeric values are stored in the database. */
enum entry_status {
    ST_WAITING = 0,   /* 轮候中: holds a position */
    ST_FROZEN,        /* 暂停轮候 */
    ST_OFFERED,       /* 已通知选房 */
    ST_HOUSED,        /* 已配租/已签约 */
    ST_WITHDRAWN,     /* 放弃 */
    ST_REMOVED,       /* 取消轮候资格 */
    ST__COUNT
};

/* "waiting", "frozen", … (the names SPEC §3 and the CSV use). */
const char *entry_status_name(int status);
/* Parse a status name; returns 0 or KERR_INPUT. */
int entry_status_parse(const char *s, int *status);

/* The keys a program's ordering rule is made of (SPEC §3). */
enum order_key {
    OK_TIER = 0, OK_WAIT_SINCE, OK_INSURED_SINCE, OK_HUKOU_SINCE, OK_LOTTERY_NO, OK__COUNT
};
const char *order_key_name(int key);
int order_key_parse(const char *s, int *key);

/* A program (SPEC §3): the ordering rule is a list of order_key values. */
struct program {
    int id;
    char code[16];
    char name_zh[64];
    char name_en[64];
    int rule[OK__COUNT];
    int n_rule;
    int refusal_limit;
};

#define QUEUE_SKEY_MAX 96      /* 5 keys × 9 bytes + a 32-byte receipt_no */
#define NONE_I64 INT64_MIN     /* an empty integer or date key */

/* One stored entry, as the storage layer hands it back (no plaintext). */
struct entry_row {
    long long id;
    int program_id;
    char receipt_no[33];
    unsigned char id_hash[32];
    unsigned char sealed[400];
    int sealed_len;
    int household_size;
    char hukou_district[129];
    int64_t key[OK__COUNT];    /* by enum order_key; NONE_I64 when empty (dates in days) */
    int status;
    int refusals;
    unsigned char skey[QUEUE_SKEY_MAX];
    int skey_len;
    long long slot;
    long long changed_seq;
};

/* Staff roles (SPEC §2), a bit each. */
enum role {
    ROLE_STREET   = 1 << 0,  /* 街道 */
    ROLE_DISTRICT = 1 << 1,  /* 区民政 */
    ROLE_ASSESSOR = 1 << 2,  /* 评估机构 */
    ROLE_PROVIDER = 1 << 3,  /* 服务机构 */
    ROLE_HOUSING  = 1 << 4,  /* 住房轮候 */
    ROLE_ADMIN    = 1 << 5,
};
#define ROLE__ALL 0x3f
const char *role_name(unsigned role_bit);
/* Parse "street,district" into a mask; returns 0 or KERR_INPUT (kerr detail names the bad word). */
int roles_parse(const char *list, unsigned *mask);
/* Format a mask as "street,district" into out. */
void roles_format(unsigned mask, char *out, unsigned long cap);

/* Who is acting: a logged-in staff member, the resident at the kiosk, or the
 * system itself (imports, demo).  The core checks roles against this. */
struct actor {
    char name[64];      /* account name, "resident@KIOSK-ID" or "system" */
    unsigned roles;     /* enum role bits */
    long user_id;       /* staff account id, 0 for resident/system */
    char street[64];    /* a street-office account's street (街道), "" = none (migration 015) */
};

#endif
