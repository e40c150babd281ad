/* hintbar.c — the key-hint line drawn as buttons and hit-tested (hintbar.h). */
#include "screens/hintbar.h"

#include <stdio.h>
#include <string.h>

#include "screens/keymap.h"
#include "screens/screen.h"

bool hintbar_hit(const struct hintbar *hb, int y, int x, struct hint_hit *out)
{
    for (int i = 0; i < hb->n; i++)
        if (y == hb->b[i].y && x >= hb->b[i].x0 && x < hb->b[i].x1) {
            *out = hb->b[i].hit;
            return true;
        }
    return false;
}

/* Widen each button's clickable columns to the middle of the gaps around it,
 * and the outer ones to the ends of the line: a finger need not be exact. */
static void spread(struct hintbar *hb, int x, int w)
{
    int cut[HINTBAR_MAX + 1];   /* cut[i]: where button i starts answering */
    for (int i = 0; i < hb->n; i++) {
        bool first = i == 0 || hb->b[i - 1].y != hb->b[i].y;   /* first of its row */
        cut[i] = first ? x : (hb->b[i - 1].x1 + hb->b[i].x0 + 1) / 2;
    }
    for (int i = 0; i < hb->n; i++) {
        bool last = i + 1 == hb->n || hb->b[i + 1].y != hb->b[i].y;
        hb->b[i].x0 = cut[i];
        hb->b[i].x1 = last ? x + w : cut[i + 1];
    }
}

/* Place n buttons of widths bw[] (plus 2 * pad) in rows of w columns, gap
 * apart: row[i] 0 (the upper) or 1.  On one row everything goes on row 1.
 * Returns true when they all fit. */
static bool place(const int *bw, int n, int pad, int gap, int w, int rows, int *row)
{
    int r = rows >= 2 ? 0 : 1, cx = 0;
    if (rows >= 2) {
        /* the upper row takes the overflow only: fill the lower one first when all fit */
        int total = 0;
        for (int i = 0; i < n; i++)
            total += bw[i] + 2 * pad + (i ? gap : 0);
        if (total <= w)
            r = 1;
    }
    for (int i = 0; i < n; i++) {
        int need = bw[i] + 2 * pad;
        if (cx > 0 && cx + gap + need > w) {
            if (r == 1)
                return false;
            r = 1;
            cx = 0;
        }
        if (cx == 0 && need > w)
            return false;
        row[i] = r;
        cx += (cx > 0 ? gap : 0) + need;
    }
    return true;
}

/* ---- buttons from acts[] ------------------------------------------------------------- */

struct button {
    int act;
    char key[KEYTAB_KEY_NAME + 2];
    const char *label;
    int w;
};

static void draw_buttons(struct hintbar *hb, const struct keytab *kt, enum key_scope scope,
                         const int *acts, int n_acts, const char *lang, int y, int x, int w,
                         const struct hintbar_style *st)
{
    struct button b[HINTBAR_MAX];
    int n = 0, l = keytab_lang(lang);
    for (int i = 0; i < n_acts && n < HINTBAR_MAX; i++) {
        const struct action_def *d = keytab_def(scope, acts[i]);
        if (!d)
            continue;
        const char *keys[KEYTAB_MAX_KEYS];
        b[n].act = acts[i];
        b[n].key[0] = '\0';
        /* an action with no key is still a button: touch is its only way */
        if (keytab_keys(kt, scope, acts[i], keys) > 0)
            snprintf(b[n].key, sizeof b[n].key, "[%s]", keys[0]);
        b[n].label = d->label[l];
        b[n].w = ui_width(b[n].key) + (b[n].key[0] ? 1 : 0) + ui_width(b[n].label);
        n++;
    }
    /* as roomy as fits: the style's padding and gap, then tighter down to
     * min_gap, then fewer buttons — the last ones first (the core lists them
     * in hint order), never the one to keep */
    int pad = st->pad, gap = st->gap, min_gap = st->min_gap > 0 ? st->min_gap : 1;
    int row[HINTBAR_MAX];
    for (;;) {
        int bw[HINTBAR_MAX];
        for (int i = 0; i < n; i++)
            bw[i] = b[i].w;
        if (n == 0 || place(bw, n, pad, gap, w, st->rows, row))
            break;
        if (pad > 0) {
            pad--;
        } else if (gap > min_gap) {
            gap--;
        } else {
            int drop = n - 1;   /* whole buttons only: never a cut label */
            while (drop > 0 && (b[drop].act == st->keep[0] || b[drop].act == st->keep[1]))
                drop--;
            memmove(&b[drop], &b[drop + 1], (size_t)(n - 1 - drop) * sizeof b[0]);
            n--;
        }
    }
    int cx = x;
    for (int i = 0; i < n; i++) {
        int bw = b[i].w + 2 * pad;
        int by = y - 1 + row[i];
        if (i > 0 && row[i] != row[i - 1])
            cx = x;
        attrset((attr_t)st->attr);
        mvhline(by, cx, ' ', bw);
        attrset(A_NORMAL);
        int kx = cx + pad;
        if (b[i].key[0])
            kx += ui_put(by, kx, b[i].key, bw, st->key_attr) + 1;
        ui_put(by, kx, b[i].label, cx + bw - kx, st->attr);
        hb->b[hb->n].y = by;
        hb->b[hb->n].x0 = cx;
        hb->b[hb->n].x1 = cx + bw;
        hb->b[hb->n].hit = (struct hint_hit){.act = b[i].act};
        hb->n++;
        cx += bw + gap;
    }
    spread(hb, x, w);
}

void hintbar_draw(struct hintbar *hb, const struct keytab *kt, enum key_scope scope,
                  const int *acts, int n_acts, const char *lang, int y, int x, int w,
                  const struct hintbar_style *st)
{
    hb->y = y;
    hb->n = 0;
    if (w <= 0)
        return;
    draw_buttons(hb, kt, scope, acts, n_acts, lang, y, x, w, st);
}
