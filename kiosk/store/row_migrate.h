/* row_migrate.h — bringing a database from before issue 11's row binding up
 * to it, once, from `kioskctl init` (which holds the site secret): sealed
 * fields that open without associated data are sealed again bound to their
 * row (secret_ad_*), and every row gets its row seal (row_seal.h).  A field
 * that opens neither way is left alone: `kioskctl check` names it. */
#ifndef KIOSK_ROW_MIGRATE_H
#define KIOSK_ROW_MIGRATE_H

#include "kiosk/secret.h"
#include "kiosk/store/store.h"

/* In the caller's transaction.  *rebound = fields sealed again, *sealed =
 * rows given a seal. */
int row_migrate(struct store *st, const struct secret *sec, long long *rebound, long long *sealed);

#endif
