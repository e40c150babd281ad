/* sess_attract.c — the attract screen: "place your ID card", or type a
 * receipt number and the last 6 characters of the ID number.  The typed
 * look-up is this screen's one store call (a submission), and the rate
 * limit on it lives here: lookup_attempts failures pause typed look-ups
 * for lookup_pause seconds, and neither a wipe nor waiting out the idle
 * timer resets the count.
 *
 * A keypad of digits, Enter and Cancel types letters through the letter
 * picker: Enter on the empty receipt field opens it; a digit 2–9 picks a
 * group as on a telephone (2 ABC … 9 WXYZ), then 1–4 the letter, which is
 * added; Enter closes it, Cancel goes back a level.  On the ID field, Enter
 * after five characters offers the X an ID number can end with. */
#include "kiosk/session/session_int.h"

#include <string.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

/* The letter groups of a telephone keypad (digit 2 + index); the last one
 * is the ID field's only letter. */
static const char *const groups[9] = {"ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ", "X"};

static void attract_build(const struct session *s, struct sess_view *v, int64_t now)
{
    sess_fmt(v->title, sizeof v->title, "%s", _("Housing queue and home care bed enquiries"));
    if (s->offline)
        sv_add(v, SVL_WARN, "%s", _("! Enquiries are not available at the moment: the kiosk cannot "
                                    "reach the records and keeps trying."));
    sv_add(v, SVL_HEAD, "%s", _("Please place your ID card on the reader."));
    sv_add(v, SVL_TEXT, "%s", "");
    sv_add(v, SVL_TEXT, "%s", _("Or type your receipt number and the last 6 characters of your ID number:"));
    sv_add(v, SVL_NOTE, "%s", _("No letter keys? Press Enter on the empty receipt number to choose letters."));
    v->n_fields = 2;
    sess_fmt(v->field[0].label, sizeof v->field[0].label, "%s", _("Receipt number"));
    sess_fmt(v->field[0].value, sizeof v->field[0].value, "%s", s->typed_receipt);
    sess_fmt(v->field[1].label, sizeof v->field[1].label, "%s", _("Last 6 of ID"));
    sess_fmt(v->field[1].value, sizeof v->field[1].value, "%s", s->typed_last6);
    v->field[s->field].active = true;
    v->pad = s->field == 0 ? SVP_RECEIPT : SVP_ID_END;
    if (s->pick_level == 1) {
        sess_fmt(v->pick_title, sizeof v->pick_title, "%s",
                 _("Letters: press the number of a group, Enter when done."));
        for (int g = 0; g < 8; g++) {
            sess_fmt(v->pick[g].key, sizeof v->pick[g].key, "%d", g + 2);
            sess_fmt(v->pick[g].label, sizeof v->pick[g].label, "%s", groups[g]);
        }
        v->n_pick = 8;
    } else if (s->pick_level == 2) {
        sess_fmt(v->pick_title, sizeof v->pick_title, "%s",
                 _("Press the number of the letter (Cancel: back)."));
        const char *g = groups[s->pick_group];
        for (int i = 0; g[i] && i < SV_MAX_PICK; i++) {
            sess_fmt(v->pick[i].key, sizeof v->pick[i].key, "%d", i + 1);
            sess_fmt(v->pick[i].label, sizeof v->pick[i].label, "%c", g[i]);
            v->n_pick = i + 1;
        }
    }
    if (s->locked_until > now) {
        int secs = (int)((s->locked_until - now + 999) / 1000);
        sess_fmt(v->message, sizeof v->message, _("Too many attempts. Please wait %d seconds."), secs);
        v->message_warn = true;
    }
}

static int attract_actions(const struct session *s, int acts[KEYTAB_MAX_ACTIONS])
{
    int n = 0;
    n = sess_acts_add(acts, n, ACT_ENTER);
    n = sess_acts_add(acts, n, ACT_ESCAPE);
    n = sess_acts_common(acts, n);
    if (s->opts.sim && s->demo_n > 0)
        n = sess_acts_add(acts, n, ACT_PICKER);
    n = sess_acts_add(acts, n, ACT_BACKSPACE);
    n = sess_acts_add(acts, n, ACT_UP);
    n = sess_acts_add(acts, n, ACT_DOWN);
    n = sess_acts_add(acts, n, ACT_LEFT);
    return sess_acts_add(acts, n, ACT_RIGHT);
}

/* The typed look-up: receipt number + last 6 of the ID number. */
static unsigned typed_lookup(struct session *s, int64_t now)
{
    if (s->locked_until > now)
        return sess_redraw(s, now);
    int n = 0;
    /* one statement (queue_store_ops.facts): no snapshot transaction needed */
    int err = queue_lookup_receipt(sess_rd(s), s->sec, s->typed_receipt, s->typed_last6, NULL,
                                   s->qv, MAX_QV, &n);
    if (err && sess_replica_failed(s, err, now))
        err = queue_lookup_receipt(s->st, s->sec, s->typed_receipt, s->typed_last6, NULL, s->qv,
                                   MAX_QV, &n);
    secure_wipe(s->typed_last6, sizeof s->typed_last6);
    if (err == KERR_NOTFOUND || err == KERR_USAGE || err == KERR_INPUT) {
        queue_view_wipe(s->qv, MAX_QV);
        secure_wipe(s->typed_receipt, sizeof s->typed_receipt);
        s->field = 0;
        if (++s->failures >= s->cfg.lookup_attempts) {
            s->failures = 0;
            s->locked_until = now + (int64_t)s->cfg.lookup_pause * 1000;
            sess_clear_message(s);
        } else {
            sess_message(s, true, now, 15000,
                         _("Nothing found for this receipt number and ID ending. %d attempts left."),
                         s->cfg.lookup_attempts - s->failures);
        }
        return sess_redraw(s, now);
    }
    if (err) {
        sess_unavailable(s, err, now);
        return sess_redraw(s, now);
    }
    s->failures = 0;
    s->n_qv = n;
    s->sel = 0;
    sess_clear_message(s);
    return sess_go(s, SS_SUMMARY, now);
}

/* A key while the letter picker is open. */
static unsigned pick_input(struct session *s, enum kiosk_action a, char *f, size_t cap, int64_t now)
{
    size_t n = strlen(f);
    if (a == ACT_ENTER) {
        s->pick_level = 0;
        return sess_redraw(s, now);
    }
    if (a == ACT_ESCAPE || a == ACT_BACKSPACE) {
        if (a == ACT_BACKSPACE && n) {
            f[n - 1] = '\0';   /* undo the last letter, the picker stays */
            return sess_redraw(s, now);
        }
        s->pick_level = s->pick_level == 2 && s->pick_group < 8 ? 1 : 0;
        return sess_redraw(s, now);
    }
    if (a < ACT_DIGIT_0 || a > ACT_DIGIT_9)
        return sess_redraw(s, now);
    int d = (int)(a - ACT_DIGIT_0);
    if (s->pick_level == 1) {
        if (d >= 2 && d <= 9) {
            s->pick_group = d - 2;
            s->pick_level = 2;
        }
        return sess_redraw(s, now);
    }
    const char *g = groups[s->pick_group];
    if (d >= 1 && d <= (int)strlen(g) && n + 1 < cap) {
        f[n] = g[d - 1];
        f[n + 1] = '\0';
        sess_clear_message(s);
        /* back to the groups for the next letter; the ID's X is its last character */
        s->pick_level = s->pick_group < 8 ? 1 : 0;
    }
    return sess_redraw(s, now);
}

static unsigned attract_input(struct session *s, enum kiosk_action a, int64_t now)
{
    if (a == ACT_PICKER) {
        if (!s->opts.sim || s->demo_n <= 0)
            return SR_NONE;
        s->back_screen = SS_ATTRACT;
        return sess_go(s, SS_PICKER, now);
    }
    char *f = s->field == 0 ? s->typed_receipt : s->typed_last6;
    size_t cap = s->field == 0 ? sizeof s->typed_receipt : sizeof s->typed_last6;
    size_t n = strlen(f);
    if (s->locked_until > now && a != ACT_ESCAPE && a != ACT_BACKSPACE)
        return sess_redraw(s, now);
    if (s->pick_level)
        return pick_input(s, a, f, cap, now);
    if (a >= ACT_DIGIT_0 && a <= ACT_DIGIT_9) {
        if (n + 1 < cap) {
            f[n] = (char)('0' + (a - ACT_DIGIT_0));
            f[n + 1] = '\0';
            if (s->field == 0)
                sess_clear_message(s);
        }
        return sess_redraw(s, now);
    }
    if (a >= ACT_CHAR_A && a <= ACT_CHAR_Z) {
        /* letters: receipt numbers have them; an ID ends in X at most */
        char c = (char)('A' + (a - ACT_CHAR_A));
        if ((s->field == 0 || c == 'X') && n + 1 < cap) {
            f[n] = c;
            f[n + 1] = '\0';
        }
        return sess_redraw(s, now);
    }
    if ((a == ACT_UP || a == ACT_DOWN) && s->field == 0) {
        /* keypad-only letters: ↑/↓ step the last character through A–Z */
        if (n == 0 || f[n - 1] < 'A' || f[n - 1] > 'Z') {
            if (n + 1 < cap) {
                f[n] = a == ACT_UP ? 'A' : 'Z';
                f[n + 1] = '\0';
            }
        } else {
            f[n - 1] = (char)(a == ACT_UP ? (f[n - 1] == 'Z' ? 'A' : f[n - 1] + 1)
                                          : (f[n - 1] == 'A' ? 'Z' : f[n - 1] - 1));
        }
        return sess_redraw(s, now);
    }
    if ((a == ACT_UP || a == ACT_DOWN) && s->field == 1) {
        if (n + 1 < cap && a == ACT_UP) {
            f[n] = 'X';
            f[n + 1] = '\0';
        }
        return sess_redraw(s, now);
    }
    if (a == ACT_BACKSPACE) {
        if (n)
            f[n - 1] = '\0';
        else if (s->field == 1)
            s->field = 0;
        return sess_redraw(s, now);
    }
    if (a == ACT_ESCAPE) {
        s->pick_level = 0;
        secure_wipe(s->typed_receipt, sizeof s->typed_receipt);
        secure_wipe(s->typed_last6, sizeof s->typed_last6);
        s->field = 0;
        sess_clear_message(s);
        return sess_redraw(s, now);
    }
    if (a == ACT_ENTER) {
        if (s->field == 0) {
            if (n)
                s->field = 1;
            else
                s->pick_level = 1;   /* nothing typed yet: the letters come first */
            return sess_redraw(s, now);
        }
        if (n == 6)
            return typed_lookup(s, now);
        if (n == 5) {
            /* an ID number may end with X: offer it */
            s->pick_level = 2;
            s->pick_group = 8;
            return sess_redraw(s, now);
        }
        sess_message(s, true, now, 6000, "%s", _("Please type the last 6 characters of your ID number."));
        return sess_redraw(s, now);
    }
    if (a == ACT_RIGHT) {
        s->field = 1;
        return sess_redraw(s, now);
    }
    if (a == ACT_LEFT) {
        s->field = 0;
        return sess_redraw(s, now);
    }
    return SR_NONE;
}

const struct sess_screen_ops sess_attract_ops = {
    .name = "attract",
    .load = NULL,          /* nothing to read until a card or a typed look-up */
    .build = attract_build,
    .input = attract_input,
    .actions = attract_actions,
};
