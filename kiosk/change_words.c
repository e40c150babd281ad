/* change_words.c — the change breakdown without zero parts (change_words.h).
 *
 * There is no plural support in the message catalogue (gettext's ngettext
 * would need Plural-Forms in every catalogue), so each part has a "one" and
 * a "many" message id; Chinese translates both the same way.  The count is
 * written in with a {n} placeholder, so the message ids are not printf
 * formats chosen at run time. */
#include "kiosk/change_words.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/i18n.h"

struct part {
    long long n;
    const char *one, *many;
};

/* Append msgid (translated) to out with {n} replaced by n. */
static void put(char *out, size_t cap, size_t *o, const char *msgid, long long n)
{
    const char *t = _(msgid);
    const char *at = strstr(t, "{n}");
    if (*o >= cap)
        return;
    if (at)
        *o += (size_t)snprintf(out + *o, cap - *o, "%.*s%lld%s", (int)(at - t), t, n, at + 3);
    else
        *o += (size_t)snprintf(out + *o, cap - *o, "%s", t);
}

void change_words(const struct queue_view *q, char *left, char *ahead, size_t cap)
{
    const struct part parts[] = {
        {q->left_housed, N_("{n} household was housed or offered a home"),
         N_("{n} households were housed or offered a home")},
        {q->left_withdrawn, N_("{n} left the list or was taken off it"),
         N_("{n} left the list or were taken off it")},
        {q->left_frozen, N_("{n} is paused for now"), N_("{n} are paused for now")},
        {q->moved_behind, N_("{n} is now behind you because their details changed"),
         N_("{n} are now behind you because their details changed")},
    };
    size_t o = 0, a = 0;
    int shown = 0;
    left[0] = ahead[0] = '\0';
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (parts[i].n <= 0)
            continue;
        put(left, cap, &o, shown ? N_(", ") : N_("Of those ahead of you then, "), 0);
        put(left, cap, &o, parts[i].n == 1 ? parts[i].one : parts[i].many, parts[i].n);
        shown++;
    }
    if (shown)
        put(left, cap, &o, N_("."), 0);
    if (q->entered_ahead > 0)
        put(ahead, cap, &a,
            q->entered_ahead == 1 ? N_("{n} household that was not ahead of you then is now ahead.")
                                  : N_("{n} households that were not ahead of you then are now ahead."),
            q->entered_ahead);
    if (!shown && !ahead[0])
        put(left, cap, &o, N_("Nobody ahead of you then has left, paused or moved behind you."), 0);
}
