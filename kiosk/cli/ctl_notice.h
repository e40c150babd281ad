/* ctl_notice.h — what kioskctl's staff actions tell the resident: the same
 * notice the console records (kiosk/notice.h) — a resident-facing reason
 * code from the next-steps [reasons] plus optional free text, and for an
 * offer its deadline, place and contact — checked before the action runs,
 * saved after it for the status the action led to. */
#ifndef KIOSK_CLI_CTL_NOTICE_H
#define KIOSK_CLI_CTL_NOTICE_H

#include <stdbool.h>

#include "kiosk/notice.h"

struct ctl_ctx;
struct store;

/* What the options said (NULL: not given). */
struct ctl_notice_args {
    const char *reason, *text;              /* --resident-reason CODE, --resident-text TEXT */
    const char *deadline, *place, *contact; /* --answer-by, --place, --contact (offers) */
};

/* Check the options and fill n.  need_reason: the action requires a reason
 * for the resident (freeze, remove, a rejection: the console asks for one
 * too); offer: the offer fields are allowed.  KERR_USAGE/KERR_INPUT with a
 * detail naming the option. */
int ctl_notice_prepare(struct ctl_ctx *ctx, const struct ctl_notice_args *a, bool need_reason,
                       bool offer, struct notice *n);

/* Save n for (kind, ref) at the status the action led to; on failure says
 * that the action stands but the notice was not saved. */
int ctl_notice_save(struct store *st, int kind, const char *ref, int status, struct notice *n);

#endif
