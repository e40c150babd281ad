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
 * inside the same transaction as the change it records. */
#ifndef KIOSK_AUDIT_H
#define KIOSK_AUDIT_H

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

#endif
