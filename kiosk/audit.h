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
 * longer count. */
#ifndef KIOSK_AUDIT_H
#define KIOSK_AUDIT_H

#include <stddef.h>

struct store;
struct secret;

/* Append a record (inside the caller's transaction).  detail is printf-like. */
int audit_append(struct store *st, const struct secret *sec, const char *actor, const char *action,
                 const char *object, const char *detail_fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Walk the whole chain.  Returns 0 with *n records, or KERR_TAMPER with a
 * detail naming the first bad record ("audit record 17: hash does not
 * match (edited, reordered or inserted)") and *bad_seq set. */
int audit_verify(struct store *st, const struct secret *sec, long long *n, long long *bad_seq);

/* The same without the anchor file: for a backup, which is older than the
 * anchor by design.  *head gets the last record's hash (zeros when empty). */
int audit_verify_chain(struct store *st, const struct secret *sec, long long *n,
                       long long *bad_seq, unsigned char head[32]);

/* Publish / forget the head appended by the current transaction (called by
 * store_commit and store_rollback).  A failure to write the anchor file
 * after a commit cannot undo the commit: it goes to syslog at LOG_ERR and
 * to stderr, and audit_verify then misses one anchor line, nothing more. */
void audit_anchor_committed(void);
void audit_anchor_forget(void);

/* Append head (seq, hash) to the anchor: "reset SEQ:TAG" when reset (a
 * restore made the trail end there), else "SEQ:TAG".  Returns 0 or KERR_IO. */
int audit_anchor_write(const struct secret *sec, long long seq, const unsigned char hash[32],
                       int reset);

/* Whether the anchor file exists; path gets its name. */
int audit_anchor_exists(const struct secret *sec, char *path, size_t cap);

#endif
