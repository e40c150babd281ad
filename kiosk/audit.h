/* audit.h — the tamper-evident audit trail.
 *
 * Each record's hash is a keyed BLAKE2b (the site secret's audit key) over
 * the previous record's hash, its sequence number and its fields, each
 * length-prefixed:  h_n = H_k(h_{n-1} ‖ seq ‖ at ‖ actor ‖ action ‖ object ‖ detail).
 * Because the chain is keyed, someone who can write the database file but
 * does not hold the site secret cannot forge a record, and editing,
 * deleting or reordering any record breaks the chain at that point.  The
 * head (last seq and hash) is tagged in `meta` with another keyed hash, so
 * cutting records off the end is caught too.  audit_append() must be called
 * inside the same transaction as the change it records.
 *
 * Whoever can write the database can also delete the whole trail and the
 * meta head, so the head is anchored outside it too (issue 11): once the
 * transaction commits (store_commit calls audit_anchor_committed), the new
 * head "SEQ:TAG" is appended to the anchor file beside the site secret
 * (SECRET_FILE.head, O_APPEND, fsynced, 0600) and sent to syslog
 * (LOG_AUTHPRIV).  audit_verify() then requires every head in that file to
 * be in the chain: a wiped, truncated or rolled-back trail is reported as
 * such.  A restore appends "reset SEQ:TAG", after which heads above SEQ no
 * longer count.
 *
 * Lanes (issue 13 item 2).  On PostgreSQL audited commits of different
 * writers (bed submissions, staff actions, logins) must not take turns on
 * one head, so the trail is AUDIT_LANES chains: a transaction appends to
 * whichever lane is free (store_ops.audit_take) and holds only that lane's head
 * to its commit.  Each lane is a keyed chain of its own, numbered by
 * lane_seq 1, 2, 3 … and starting from 32 zero bytes, with its own head in
 * meta ('audit_head' for lane 0, 'audit_head/L') and in the anchor
 * ("SEQ:TAG" for lane 0, "L/SEQ:TAG" for lane L, SEQ = lane_seq).  A lane 0
 * record with seq == lane_seq — every record of SQLite, which writes lane 0
 * only, and every record from before lanes — is hashed as above; any other
 * record as
 *   h = H_k(h_prev ‖ "lane" ‖ lane ‖ lane_seq ‖ seq ‖ at ‖ actor ‖ … ‖ detail)
 * (lane 4 bytes, lane_seq and seq 8, big-endian), so moving a record to
 * another lane or renumbering it breaks its lane; the 4 bytes "lane" where
 * the old formula has seq's high half (a seq above 2^62 that no chain
 * reaches) keep the two formulas' inputs apart.  A lane's head tag has the
 * domain "head:L:SEQ:" (lane 0: "head:SEQ:"). */
#ifndef KIOSK_AUDIT_H
#define KIOSK_AUDIT_H

#include <stddef.h>

struct store;
struct secret;

/* The number of audit lanes a writer picks from (PostgreSQL; SQLite uses
 * lane 0 only).  Raising it later is safe: verify walks whatever lanes hold
 * records below it. */
#define AUDIT_LANES 8

/* Append a record (inside the caller's transaction).  detail is printf-like. */
int audit_append(struct store *st, const struct secret *sec, const char *actor, const char *action,
                 const char *object, const char *detail_fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Walk the whole trail, lane by lane, in one read snapshot of its own (so
 * not inside a transaction; neither is audit_verify_chain nor
 * audit_anchor_start).  Returns 0 with *n records (all
 * lanes), or KERR_TAMPER with a detail naming the first bad record ("audit
 * record 17 does not match its hash …"; in lane L > 0 "audit lane 3 record
 * 17 …") and *bad_seq set to its number in its lane. */
int audit_verify(struct store *st, const struct secret *sec, long long *n, long long *bad_seq);

/* The same without the anchor file: for a backup, which is older than the
 * anchor by design.  *head gets lane 0's last record's hash (zeros when
 * empty; a SQLite trail is lane 0 only). */
int audit_verify_chain(struct store *st, const struct secret *sec, long long *n,
                       long long *bad_seq, unsigned char head[32]);

/* Start the anchor of a trail that has none (an old install, a moved key):
 * verify the chain, then write each lane's head as it stands — lane 0 as
 * "reset SEQ:TAG", other lanes holding records as "L/SEQ:TAG".  *n gets the
 * records verified. */
int audit_anchor_start(struct store *st, const struct secret *sec, long long *n);

/* Publish / forget the head appended by the current transaction (called by
 * store_commit and store_rollback).  A failure to write the anchor file
 * after a commit cannot undo the commit: it goes to syslog at LOG_ERR and
 * to stderr, and audit_verify then misses one anchor line, nothing more. */
void audit_anchor_committed(void);
void audit_anchor_forget(void);

/* Append lane 0's head (seq, hash) to the anchor: "reset SEQ:TAG" when reset
 * (a restore made the trail end there), else "SEQ:TAG".  Returns 0 or KERR_IO. */
int audit_anchor_write(const struct secret *sec, long long seq, const unsigned char hash[32],
                       int reset);

/* One anchor line, "[reset ][L/]SEQ:TAG\n" (SEQ 0 has the tag "-"; "L/"
 * only for lanes 1 … AUDIT_LANES-1): 0, or KERR_TAMPER for anything else. */
struct audit_anchor_line {
    int reset, lane;
    long long seq;
    char tag[65];
};
int audit_anchor_parse(const char *line, struct audit_anchor_line *out);

/* Whether the anchor file exists; path gets its name. */
int audit_anchor_exists(const struct secret *sec, char *path, size_t cap);

#endif
