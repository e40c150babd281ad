/* ctl_notice.c — kioskctl's resident notices (ctl_notice.h). */
#include "kiosk/cli/ctl_notice.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/cli/ctl.h"
#include "kiosk/err.h"
#include "kiosk/next_steps.h"

static bool given(const char *s) { return s && *s; }

/* Copy an option into a notice field, or say which option is too long. */
static int put(char *dst, size_t cap, const char *opt, const char *val)
{
    if (!val)
        return 0;
    if (strlen(val) >= cap)
        return kerr(KERR_INPUT, "%s: at most %zu bytes (got %zu)", opt, cap - 1, strlen(val));
    snprintf(dst, cap, "%s", val);
    return 0;
}

int ctl_notice_prepare(struct ctl_ctx *ctx, const struct ctl_notice_args *a, bool need_reason,
                       bool offer, struct notice *n)
{
    memset(n, 0, sizeof *n);
    if (!offer && (a->deadline || a->place || a->contact))
        return kerr(KERR_USAGE, "--answer-by, --place and --contact are for an offer only");
    if (a->text && !given(a->reason))
        return kerr(KERR_USAGE, "--resident-text needs --resident-reason CODE");
    if (need_reason && !given(a->reason))
        return kerr(KERR_USAGE, "this action needs --resident-reason CODE: the reason the "
                    "resident is shown (the codes of [reasons] in the next-steps file; "
                    "docs/next_steps.md)");
    int err = 0;
    if (given(a->reason)) {
        /* the same list the console offers: [kiosk] next_steps, else the built-in one */
        struct ns_config *ns = NULL;
        err = ctx->cfg.next_steps[0] ? next_steps_load(ctx->cfg.next_steps, &ns)
                                     : next_steps_load_default(&ns);
        if (!err)
            err = notice_reason(n, ns, a->reason, a->text);
        next_steps_free(&ns);
        if (err)
            return err;
    }
    if ((err = put(n->offer_deadline, sizeof n->offer_deadline, "--answer-by", a->deadline)) ||
        (err = put(n->offer_place, sizeof n->offer_place, "--place", a->place)) ||
        (err = put(n->offer_contact, sizeof n->offer_contact, "--contact", a->contact)))
        return err;
    if (notice_check(n) != 0)
        return kerr(KERR_INPUT, "--answer-by: must be a date YYYY-MM-DD (got \"%s\")", n->offer_deadline);
    return 0;
}

int ctl_notice_save(struct store *st, int kind, const char *ref, int status, struct notice *n)
{
    n->status = status;
    n->at[0] = '\0';
    int err = notice_set(st, kind, ref, n);
    if (err) {
        char why[300];
        snprintf(why, sizeof why, "%s", kerr_detail()[0] ? kerr_detail() : kiosk_strerror(err));
        err = kerr(err, "%s: the action is recorded, but what the resident is told was not saved: %s",
                   ref, why);
    }
    return err;
}
