/* scr_attract.c — the attract screen: place your card, or type a receipt
 * number and the last 6 characters of the ID number.
 *
 * Fits every grid from 40×16: the room the two fields and the touch pad
 * (or the keypad's letter picker) need is kept first, the text goes from
 * the top into what is left — the invitation first; the note is the first
 * thing a short screen leaves out — and the fields and the pad follow it. */
#include "screens/screen.h"

static void attract_draw(struct ui *ui, const struct sess_view *v)
{
    bool tall = ui->rows >= UI_SHORT_ROWS;
    int x = ui->roomy ? 8 : ui->cols >= UI_NARROW_COLS ? 4 : 2;
    int maxw = ui->cols - 2 * x;
    int bottom = ui->body_bottom;
    /* the pad (touch) or the picker (keypad), if there is room for it and the fields */
    int pad_rows = ui_pad_rows(v, maxw);
    int field_rows = 0;
    {
        int lw = 0;
        for (int i = 0; i < v->n_fields; i++)
            lw = ui_width(v->field[i].label) > lw ? ui_width(v->field[i].label) : lw;
        int boxw = ui_field_box(lw, maxw);
        field_rows = v->n_fields * (lw + 2 + boxw <= maxw ? 1 : 2) + (tall ? v->n_fields - 1 : 0);
    }
    int body = bottom - ui->body_top;
    bool with_pad = pad_rows && pad_rows + field_rows + 3 <= body;
    int reserved = field_rows + (with_pad ? pad_rows + (tall ? 1 : 0) : 0);
    /* the text, from the top, in what the fields and the pad leave */
    int y = ui->body_top + (ui->roomy ? 3 : tall ? 1 : 0);
    int ymax = bottom - reserved - (tall ? 1 : 0);
    if (v->n_lines > 0) {
        /* the invitation: centred and loud */
        int w = ui_width(v->line[0].text);
        if (w <= ui->cols - 2)
            ui_put(y, (ui->cols - w) / 2, v->line[0].text, ui->cols, ui_attr(UP_ACCENT));
        else
            y += ui_put_wrapped(y, ymax, 1, v->line[0].text, ui->cols - 2, ui_attr(UP_ACCENT)) - 1;
        y++;
        if (ui->roomy && y + 3 < ymax) {
            ui_put(y + 1, (ui->cols - 20) / 2, "▁▂▃▄▅▆▇█ ID █▇▆▅▄▃▂▁", 20, ui_attr(UP_ACCENT));
            y += 3;
        }
    }
    for (int i = 1; i < v->n_lines && y < ymax; i++) {
        const struct sv_line *l = &v->line[i];
        if (!l->text[0]) {
            y += tall;
            continue;
        }
        y += ui_put_wrapped(y, ymax, x, l->text, maxw, ui_attr(UP_NORMAL));
    }
    /* the fields right under the text, the pad under them */
    int fy = y + (tall ? 1 : 0);
    if (fy > ymax + (tall ? 1 : 0))
        fy = ymax + (tall ? 1 : 0);
    fy += ui_fields(fy, x, v, maxw, tall);
    if (with_pad)
        ui_pad(ui, v, fy + (tall ? 1 : 0), bottom, x, maxw);
}

const struct screen_ops scr_attract = {
    .name = "attract",
    .draw = attract_draw,
};
