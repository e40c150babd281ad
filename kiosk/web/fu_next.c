/* fu_next.c — the page's next steps and contact from what the core knows
 * (see fu_next.h; to be switched to the next-steps module at merge). */
#include "kiosk/web/fu_next.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/config.h"
#include "kiosk/i18n.h"

static void add(char (*lines)[FU_NEXT_LINE], int *n, int max, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(char (*lines)[FU_NEXT_LINE], int *n, int max, const char *fmt, ...)
{
    if (*n >= max)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lines[*n], FU_NEXT_LINE, fmt, ap);
    va_end(ap);
    (*n)++;
}

static void queue_next(const struct queue_view *q, struct fu_next *out)
{
    if (q->status == ST_OFFERED || (q->status == ST_WAITING && q->refusals > 0))
        add(out->line, &out->n, FU_NEXT_MAX,
            _("Offers refused so far: %d of %d; at %d the household is removed from the list."),
            q->refusals, q->refusal_limit, q->refusal_limit);
}

static void bed_next(const struct bed_view *b, struct fu_next *out)
{
    if (b->responsible[0])
        add(out->line, &out->n, FU_NEXT_MAX, _("Responsible now: %s"), b->responsible);
    if (b->next_step[0])
        add(out->line, &out->n, FU_NEXT_MAX, _("Next step: %s"), b->next_step);
    if (b->provider_name[0])
        add(out->contact, &out->n_contact, 3, _("Service provider: %s  tel. %s"), b->provider_name,
            b->provider_phone);
}

void fu_next_steps(const struct fu_item *it, const struct kiosk_config *cfg, const char *lang,
                   struct fu_next *out)
{
    memset(out, 0, sizeof *out);
    if (it->is_bed)
        bed_next(&it->b, out);
    else
        queue_next(&it->q, out);
    const char *office = !strcmp(lang, "en") ? cfg->contact_en : cfg->contact_zh;
    if (office[0])
        add(out->contact, &out->n_contact, 3, "%s", office);
    if (out->n == 0)
        add(out->line, &out->n, FU_NEXT_MAX, "%s",
            _("This page shows the record as it is now; any change appears here and at the kiosk."));
    if (out->n_contact == 0)
        add(out->contact, &out->n_contact, 3, "%s",
            _("Ask at your street office (街道办事处) or at any self-service kiosk."));
}
