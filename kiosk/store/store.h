/* store.h — the storage interface: one ops table, shaped by what callers
 * need (positions, transitions, audit appends), not by SQL.
 *
 * A backend embeds `struct store` as its first member and fills the ops.
 * SQLite (store_sqlite*.c) is the embedded default; a PostgreSQL backend
 * slots in behind the same table.  Domain modules keep their own sub-tables
 * (queue, bed applications, staff accounts) so each file stays small.
 *
 * Transactions: every write happens between store_begin() (BEGIN IMMEDIATE
 * on SQLite) and store_commit(); an error means store_rollback().  Audit
 * records are appended inside the same transaction as the change.
 *
 * On PostgreSQL store_begin() keeps every other writer out (the contract
 * was written against SQLite's single writer); the hot paths of a district
 * (staff actions on queue entries, bed submissions, kiosk heartbeats) say
 * instead what they share with store_begin_as() and store_lock(), so they
 * run side by side (issue 13; the lock order is in store_pg.c). */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stddef.h>

#include "kiosk/queue_types.h"

struct store;

/* One audit record as stored (kiosk/audit.c computes the hash).  seq is the
 * global order (the browser, `audit tail`; on PostgreSQL it may have gaps
 * where a transaction rolled back); lane and lane_seq place the record in
 * its hash chain, one chain per lane, numbered 1, 2, 3 … with no gap
 * (SQLite: lane 0 only, lane_seq == seq). */
struct audit_rec {
    long long seq;
    char at[32];
    char actor[64];
    char action[48];
    char object[96];
    char detail[512];
    unsigned char hash[32];
    int lane;
    long long lane_seq;
};

/* One entry event (status history). */
struct entry_event {
    long long entry_id;
    int program_id;
    char at[32];
    char actor[64];
    char action[32];
    int from_status, to_status;   /* -1 when not a status change */
    char reason[256];
};

/* The change of one waiting entry's position since the last published
 * list, by cause (queue.c turns it into the resident's explanation). */
struct change_counts {
    long long left_housed;      /* ahead on the list, now offered or housed */
    long long left_withdrawn;   /* ahead on the list, now withdrawn or removed */
    long long left_frozen;      /* ahead on the list, now frozen */
    long long new_ahead;        /* waiting ahead now, not on the list (new or reinstated) */
};

/* Everything a resident's view of one entry needs from the store, read for
 * all of a card holder's entries in ONE statement (queue_store_ops.facts):
 * on PostgreSQL a look-up is then one round trip, whatever the number of
 * programs (issue 13).  queue.c turns facts into a queue_view. */
#define STORE_FACT_MONTHS 12
struct entry_facts {
    struct entry_row e;
    struct program p;
    long long total;
    long long position;             /* 0 unless waiting */
    int has_pub;                    /* the program has a published list */
    long long pub_change_seq;
    char pub_at[32];
    long long position_then;        /* on that list; 0 when not on it */
    struct change_counts counts;    /* for a waiting entry on the list; else 0 */
    int monthly[STORE_FACT_MONTHS]; /* housed per month from first_month on */
};

/* Which entries facts() reads: a card holder's (hash), a receipt number's
 * (any program), or one entry (entry_id).  first_month "YYYY-MM" starts the
 * housed-per-month window. */
enum facts_by { FACTS_BY_HASH, FACTS_BY_RECEIPT, FACTS_BY_ENTRY };
struct facts_query {
    enum facts_by by;
    const unsigned char *hash;      /* 32 bytes */
    const char *receipt_no;
    long long entry_id;
    char first_month[16];
    /* FACTS_BY_ENTRY only, optional: the entry's history too, in the same
     * statement (the console's entry page, issue 13), oldest first, each to
     * event_cb after the facts callback */
    int (*event_cb)(void *ctx, const struct entry_event *ev);
};

struct publication {
    long long id;
    int program_id;
    char at[32];
    char actor[64];
    long long total;
    long long change_seq;
};

/* One row of a bulk list replacement (import, demo): pointers into the
 * caller's arena, so a million rows stay compact. */
struct bulk_row {
    const char *receipt_no;
    const unsigned char *id_hash;     /* 32 bytes */
    const unsigned char *name_hash;   /* 32 bytes: the person index (kiosk/person.h); may be NULL */
    const unsigned char *sealed;
    int sealed_len;
    int household_size;
    int status;
    const char *hukou_district;
    int64_t key[OK__COUNT];
    const unsigned char *skey;
    int skey_len;
    long long slot;                   /* set by the backend */
    unsigned char mac[32];            /* the row seal (row_seal.h), set by the engine */
};

typedef int (*entry_cb)(void *ctx, const struct entry_row *e);

/* open_count counts the overdue up to this many (a count of tens of
 * thousands of index entries would cost milliseconds; "1000+" says enough). */
#define OPEN_LATE_CAP 1000

/* A page of the housing work queue with both lists' counts (open_view). */
struct open_view_query {
    int status;                 /* ST_OFFERED or ST_FROZEN: the list paged */
    bool desc;                  /* newest first */
    const char *from_at;        /* the key's status_at; NULL = from the start */
    long long from_id;
    bool inclusive;             /* the key's row too */
    int n;
    const char *before[2];      /* overdue cut-offs (offered, frozen), "YYYY-MM-DD" or "" */
};

/* ---- the housing queue ---------------------------------------------------- */
struct queue_store_ops {
    int (*program_get)(struct store *st, const char *code, struct program *out);   /* KERR_NOTFOUND */
    int (*program_by_id)(struct store *st, int id, struct program *out);
    int (*program_list)(struct store *st, struct program *out, int cap, int *n);
    /* add (p->id == 0) or update a program; a changed rule re-keys its entries
     * and rebuilds its ranks in the same transaction */
    int (*program_save)(struct store *st, struct program *p);
    /* all entries of a card holder / with a receipt number, any program */
    int (*entries_by_hash)(struct store *st, const unsigned char hash[32], entry_cb cb, void *ctx);
    /* receipt numbers match case-insensitively (ASCII: `bhj0000031` finds BHJ0000031) */
    int (*entries_by_receipt)(struct store *st, const char *receipt_no, entry_cb cb, void *ctx);
    /* up to n entries with no name hash yet and id > after_id, in id order
     * (rows stored before migration 7: person_index_sync fills them) */
    int (*entries_unindexed)(struct store *st, long long after_id, int n, entry_cb cb, void *ctx);
    int (*set_name_hash)(struct store *st, long long entry_id, const unsigned char hash[32]);
    int (*entry_get)(struct store *st, int program_id, const char *receipt_no, struct entry_row *out);
    /* the facts of the entries fq selects, in (program, receipt) order, from
     * one statement; cb gets each (the statement is done before the first) */
    int (*facts)(struct store *st, const struct facts_query *fq,
                 int (*cb)(void *ctx, const struct entry_facts *f), void *ctx);
    /* exact position of a waiting entry (1-based) and the program's total */
    int (*position)(struct store *st, const struct entry_row *e, long long *position);
    int (*total)(struct store *st, int program_id, long long *total);
    /* the waiting entry at position pos (1-based), for "jump to N" */
    int (*entry_at)(struct store *st, int program_id, long long pos, struct entry_row *out);
    /* up to n waiting entries from position pos on, in order */
    int (*page)(struct store *st, int program_id, long long pos, int n, entry_cb cb, void *ctx);
    /* the console's page in one statement: the total, the position used
     * (pos clamped into the list; past the end: the last n) and up to n
     * waiting entries from it, in one snapshot */
    int (*page_at)(struct store *st, int program_id, long long pos, int n, long long *total,
                   long long *pos_used, entry_cb cb, void *ctx);
    /* the housing work queue (migration 011): the entries in status (ST_OFFERED
     * or ST_FROZEN only) by since when they are in it (status_at; '' = not
     * known, first), then id — oldest first, or newest first when desc — up
     * to n of them from the key (from_at, from_id) on: rows after it, or the
     * key's row too when inclusive; from_at NULL = from the start.  Keyset
     * paging on the index entry_open: a page reads n index entries wherever
     * it is in the list, never the waiting rows. */
    int (*open_page)(struct store *st, int status, bool desc, const char *from_at, long long from_id,
                     bool inclusive, int n,
                     int (*cb)(void *ctx, const struct entry_row *e, const char *since), void *ctx);
    /* The console's work queue page in one statement: open_page's page
     * (with each row's programme code) and open_count's counts of both
     * lists, count[0]/late[0] offered, [1] frozen (issue 13). */
    int (*open_view)(struct store *st, const struct open_view_query *oq, long long count[2],
                     long long late[2],
                     int (*cb)(void *ctx, const struct entry_row *e, const char *since,
                               const char *program_code),
                     void *ctx);
    /* How many entries are in status (ST_OFFERED or ST_FROZEN): kept by
     * triggers (entry_open_n), O(1); and how many of them have a known date
     * before `before` (overdue against a deadline), counted up to
     * OPEN_LATE_CAP (*n_before == OPEN_LATE_CAP: that many or more). */
    int (*open_count)(struct store *st, int status, const char *before, long long *n,
                      long long *n_before);
    /* One programme's entries in one status (any: the console's queue
     * browser filter) by the date they applied — wait_since, no date first
     * — then id; desc the other way round.  Keyset paging on the index
     * entry_wait (status, program_id, wait_since) of migration 011: up to n
     * rows after the key (key_wait NONE_I64: the key has no date), the
     * key's row too when inclusive; have_key false: from the start.  A page
     * reads n index entries wherever it is (rows sharing one date are read
     * by id after a seek to that date). */
    int (*status_page)(struct store *st, int program_id, int status, bool desc, bool have_key,
                       int64_t key_wait, long long key_id, bool inclusive, int n, entry_cb cb,
                       void *ctx);
    /* How many of a programme's entries are in status: waiting from the rank
     * tree and offered/frozen from entry_open_n (both O(1)); the others
     * counted on entry_wait up to cap (*n == cap: that many or more). */
    int (*status_count)(struct store *st, int program_id, int status, long long cap, long long *n);
    /* write: change status/refusals of e (positions kept exact); bumps changed_seq
     * and sets since when the entry is in its status (status_at: now) */
    int (*set_status)(struct store *st, struct entry_row *e, int status, int refusals);
    int (*event_add)(struct store *st, const struct entry_event *ev);
    /* events of an entry, oldest first */
    int (*events)(struct store *st, long long entry_id,
                  int (*cb)(void *ctx, const struct entry_event *ev), void *ctx);
    /* housed events per calendar month, months[0] = first_month ("YYYY-MM") */
    int (*housed_by_month)(struct store *st, int program_id, const char *first_month, int n_months,
                           int *counts);
    /* snapshot the current positions; fills pub */
    int (*publish)(struct store *st, int program_id, const char *at, const char *actor,
                   struct publication *pub);
    int (*last_publication)(struct store *st, int program_id, struct publication *pub); /* NOTFOUND */
    int (*published_position)(struct store *st, long long pub_id, long long entry_id,
                              long long *pos);                                        /* NOTFOUND */
    /* the change breakdown of a waiting entry that was at position_then
     * (> 0) on the program's LATEST publication: O(log n), from per-category
     * Fenwick trees over published positions and a second weight of the
     * rank structure, kept in the same transaction as every change */
    int (*breakdown)(struct store *st, const struct entry_row *e, long long position_then,
                     struct change_counts *out);
    /* entries of the program changed after the publication's change_seq,
     * each with its position on that published list (0 when it was not on
     * it), in keyset pages: O(changes) — for checks and reports, never on a
     * look-up (breakdown is) */
    int (*changed_since)(struct store *st, const struct publication *pub,
                         int (*cb)(void *ctx, const struct entry_row *e, long long position_then),
                         void *ctx);
    /* every entry of a program in queue order (waiting first by position, then the rest) */
    int (*export_all)(struct store *st, int program_id, entry_cb cb, void *ctx);
    /* the program's change counter (changed_seq of its entries, change_seq
     * of its publications: only ever compared within one program) */
    int (*next_change_seq)(struct store *st, int program_id, long long *seq);
    /* bulk replace of a program's list: rows sorted by skey, slots assigned
     * by the backend; absent receipts become removed.  See importer.h. */
    int (*bulk_replace)(struct store *st, int program_id, struct bulk_row *rows, long long n,
                        const char *at, const char *actor, long long counts[4]);
    /* months whose kept allocation count (housed_month) differs from a
     * recount of the history (for checks: O(events)) */
    int (*check_allocations)(struct store *st, int program_id, long long *bad_months);
    /* The counts kept by triggers against a recount of the rows they count:
     * entry_open_n (migration 012: offered and frozen per programme) and
     * housed_month (008: housings per month).  *n_bad: how many kept counts
     * differ; the first (by table, then status or month) is described in
     * what ("entry_open_n status offered", "housed_month 2026-03") with its
     * kept and recounted numbers.  0 with *n_bad = 0: all agree. */
    int (*check_kept_counts)(struct store *st, int program_id, long long *n_bad, char what[64],
                             long long *kept, long long *counted);
    /* brute-force count of waiting entries (for checks, never on a hot path) */
    int (*count_waiting)(struct store *st, int program_id, long long *n);
    /* recompute the rank structure of a program from the entries (repair) */
    int (*rebuild_rank)(struct store *st, int program_id);
};

struct bed_store_ops;    /* kiosk/bed_store.h */
struct user_store_ops;   /* kiosk/auth.h */
struct status_store_ops; /* kiosk/kiosk_status.h */
struct sql_exec_ops;     /* kiosk/store/sql_exec.h */
struct queue_backend;    /* kiosk/store/queue_engine.h */

struct store_ops {
    const char *name;    /* "sqlite", "postgresql" */
    void (*close)(struct store *st);
    /* create or migrate the schema; reports the versions before and after */
    int (*migrate)(struct store *st, int *from, int *to);
    int (*schema_version)(struct store *st, int *version, int *latest);
    int (*begin)(struct store *st);
    int (*begin_read)(struct store *st);   /* a consistent snapshot for reading */
    int (*commit)(struct store *st);
    int (*rollback)(struct store *st);
    int (*meta_get)(struct store *st, const char *key, char *out, size_t cap);  /* NOTFOUND */
    int (*meta_set)(struct store *st, const char *key, const char *value);
    int (*audit_append)(struct store *st, const struct audit_rec *rec);
    int (*audit_last)(struct store *st, struct audit_rec *rec);                 /* NOTFOUND */
    int (*audit_each)(struct store *st, long long from_seq,
                      int (*cb)(void *ctx, const struct audit_rec *rec), void *ctx);
    /* the last record of one lane (NOTFOUND: the lane is empty) */
    int (*audit_lane_last)(struct store *st, int lane, struct audit_rec *rec);
    /* every record in chain order: by lane, then lane_seq (audit_verify) */
    int (*audit_walk)(struct store *st, int (*cb)(void *ctx, const struct audit_rec *rec),
                      void *ctx);
    /* audit_take: where writers share the trail (PostgreSQL), in ONE round
     * trip: take a free audit lane of n until the transaction ends (one this
     * transaction holds already is kept; under W exclusive lane 0), read
     * that lane's last record (*found; its lane_seq and hash into *last) and
     * draw the next global seq (a sequence: writers in different lanes never
     * wait for each other for it).  NULL (SQLite, one writer): audit.c reads
     * lane 0's last record and seq follows its lane_seq. */
    int (*audit_take)(struct store *st, int n, int *lane, long long *seq, struct audit_rec *last,
                      bool *found);
    /* audit_put: the record and its lane's head (meta key = value) in ONE
     * statement.  NULL: audit_append, then meta_set. */
    int (*audit_put)(struct store *st, const struct audit_rec *rec, const char *key,
                     const char *value);
    /* integrity: writes a one-line verdict; KERR_DB when damaged */
    int (*integrity)(struct store *st, char *report, size_t cap);
    /* backup: a consistent copy into path, atomically (temporary file,
     * fsync, then link or rename), mode 0600; an existing path is refused
     * with KERR_EXISTS unless force. */
    int (*backup)(struct store *st, const char *path, int force);
    /* restore: make this database page for page the copy in src, or refuse
     * (KERR_REFUSED naming the processes that have it open) and change
     * nothing.  NULL: the backend restores with its server's tools. */
    int (*restore)(struct store *st, struct store *src);
    /* digest: a BLAKE2b hash of every table's rows in storage order, so two
     * databases can be proved equal.  NULL: not available. */
    int (*digest)(struct store *st, unsigned char out[32]);
    /* set_statement_timeout: bound every later statement to ms (0: none);
     * NULL where the backend has no server to wait on (SQLite's waits are
     * its busy timeout) */
    int (*set_statement_timeout)(struct store *st, int ms);
    /* set_read_only: every later transaction read-only, kept across
     * reconnections (a session setting, not a startup option: pgbouncer
     * refuses the `options` startup parameter); NULL where the backend opens
     * read-only by itself (SQLite) */
    int (*set_read_only)(struct store *st);
    /* begin_as: a write transaction that shares the database with other
     * writers as `mode` says (enum store_write); lock: take the lock of one
     * thing (enum store_lock_kind, key) until the transaction ends.  NULL
     * (SQLite: one writer at a time anyway): begin_as is begin, lock is a
     * no-op. */
    int (*begin_as)(struct store *st, int mode);
    int (*lock)(struct store *st, int kind, long long key);
    const struct queue_store_ops *queue;
    const struct bed_store_ops *bed;
    const struct user_store_ops *user;
    const struct status_store_ops *status;   /* kiosks' device states; NULL: none */
    const struct sql_exec_ops *sql;          /* the SQL executor the shared engine runs on */
    const struct queue_backend *queue_backend;   /* the engine's per-backend hooks */
};

struct store {
    const struct store_ops *ops;
};

/* Open a database by URL: a SQLite path, or postgresql://… .  Does not
 * create the schema (store_migrate does).  create=0 refuses a missing file. */
int store_open(const char *url, int create, struct store **out);
/* url names a PostgreSQL database (postgresql:// or postgres://), not a SQLite file. */
int store_url_is_pg(const char *url);
void store_close(struct store **st);

/* How a backend opens its database (store_open uses RW or CREATE). */
enum store_open_mode { STORE_OPEN_RW, STORE_OPEN_CREATE, STORE_OPEN_RO };

/* Open for reading only (the follow-up page, kiosk-followup): SQLite with
 * SQLITE_OPEN_READONLY and query_only; PostgreSQL with every transaction
 * read-only (default_transaction_read_only) — run it as a role that has
 * SELECT only as well (docs/followup.md).  Writes then fail with KERR_DB. */
int store_open_readonly(const char *url, struct store **out);

static inline int store_begin(struct store *st) { return st->ops->begin(st); }

/* What a write transaction needs to itself (PostgreSQL; SQLite always has
 * the whole database, BEGIN IMMEDIATE). */
enum store_write {
    STORE_WRITE_ALL,      /* no other writer but FREE ones: store_begin() */
    STORE_WRITE_SHARED,   /* beside other SHARED and FREE writers: whatever it reads, decides
                           * on and writes it locks first with store_lock(); ALL writers wait
                           * for it and it for them */
    STORE_WRITE_FREE,     /* beside every writer, even ALL ones: single-row upserts that nobody
                           * reads-decides-writes (a kiosk's heartbeat and device states) */
};
static inline int store_begin_as(struct store *st, enum store_write mode)
{
    return st->ops->begin_as ? st->ops->begin_as(st, (int)mode) : st->ops->begin(st);
}

/* The things a SHARED writer locks (for the rest of its transaction, in
 * this order only: a program's queue, then one elder's or one bed
 * application's records, then one lane of the audit trail (its head),
 * taken last, by audit_append). */
enum store_lock_kind {
    STORE_LOCK_PROGRAM = 1,   /* key: program id — its entries, ranks, publications, counter */
    STORE_LOCK_ELDER,         /* key: the first bytes of the elder's lookup hash — open applications */
    STORE_LOCK_BED_APP,       /* key: the application's id */
    STORE_LOCK_AUDIT_HEAD,    /* key: an audit lane — its last record and its head in meta */
};
static inline int store_lock(struct store *st, enum store_lock_kind kind, long long key)
{
    return st->ops->lock ? st->ops->lock(st, (int)kind, key) : 0;
}
/* A lock key for bytes (a hash, a reference): FNV-1a.  Two things whose
 * keys collide only wait for each other. */
long long store_lock_key(const void *p, size_t n);
/* Is the database there?  0, or the error (KERR_OFFLINE while a PostgreSQL
 * connection is lost; that check never waits on the network). */
int store_ping(struct store *st);
/* Bound each statement (the resident kiosk: a look-up never waits on a
 * stuck server for long); 0 where the backend has nothing to bound. */
int store_set_statement_timeout(struct store *st, int ms);
/* audit.c: the head appended in a transaction goes to the anchor outside the
 * database once the transaction commits, and is forgotten on rollback. */
void audit_anchor_committed(void);
void audit_anchor_forget(void);
static inline int store_commit(struct store *st)
{
    int err = st->ops->commit(st);
    if (err)
        audit_anchor_forget();
    else
        audit_anchor_committed();
    return err;
}
static inline int store_rollback(struct store *st)
{
    audit_anchor_forget();
    return st->ops->rollback(st);
}
static inline const struct queue_store_ops *store_queue(struct store *st) { return st->ops->queue; }

/* How long a write waits for another program's write transaction (an import
 * holds the write lock for its whole write phase) before it fails with
 * KERR_BUSY: set by the programs from [kiosk] write_wait before opening the
 * store (default 5 s).  notice (may be NULL) is called once per wait, after a
 * second of it, so a command line can say what it is waiting for.  SQLite: a
 * busy handler; PostgreSQL: lock_timeout. */
void store_set_write_wait(int seconds, void (*notice)(int seconds));
int store_write_wait_ms(void);
void store_write_wait_notice(void);

/* Local time now as "YYYY-MM-DD HH:MM:SS" (KIOSK_NOW overrides, for tests). */
void store_now(char out[32]);

#endif
