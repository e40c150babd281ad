/* next_view.c — one place that turns a view + notice into next_steps facts
 * (next_view.h), so the screen, the receipt and the web page cannot differ. */
#include "kiosk/next_view.h"

#include <string.h>

int next_view_queue(const struct ns_config *cfg, const struct queue_view *q, const struct notice *n,
                    const char *lang, struct next_steps *out)
{
    struct ns_facts f = {
        .lang = lang, .since = n->at, .refusals = q->refusals,
        .refusal_limit = q->refusal_limit, .reason_code = n->reason_code,
        .reason_text = n->reason_text, .offer_deadline = n->offer_deadline,
        .offer_place = n->offer_place, .offer_contact = n->offer_contact,
    };
    int err = next_steps_queue(cfg, q->status, &f, out);
    if (err)
        memset(out, 0, sizeof *out);
    return err;
}

int next_view_bed(const struct ns_config *cfg, const struct bed_view *b, const struct notice *n,
                  const char *lang, struct next_steps *out)
{
    /* the deadline and appeal dates count from when the stage began */
    const char *since = b->n_steps ? b->steps[b->n_steps - 1].at : b->submitted_at;
    struct ns_facts f = {
        .lang = lang, .since = since, .reason_code = n->reason_code,
        .reason_text = n->reason_text, .provider_name = b->provider_name,
        .provider_phone = b->provider_phone,
    };
    int err = next_steps_bed(cfg, b->stage, &f, out);
    if (err)
        memset(out, 0, sizeof *out);
    return err;
}
