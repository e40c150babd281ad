/* scr_queue.c — one queue entry: the position in big block digits with the
 * same number in plain digits beside them (for screen readers and checks),
 * the monthly-allocation chart, then the core's lines (status, masked
 * identity, ordering keys, change since the published list, estimate).
 * The chart goes beside the digits on a wide screen, under them on a tall
 * narrow one (portrait), and is left out where neither fits (40×16).
 * The large layout (ui->large) takes the double-size digits where they fit. */
#include <string.h>

#include "screens/screen.h"

static void queue_draw(struct ui *ui, const struct sess_view *v)
{
    bool tall = ui->rows >= UI_SHORT_ROWS;
    int x = 2, y = ui->body_top + (tall ? 1 : 0);
    /* double-size digits on a roomy screen, and in the large layout (the
     * accessibility key) wherever they fit with the caption and a few lines */
    int scale = ui->roomy ? 2 : 1;
    if (ui->large && v->big && ui_big_width(v->big_digits, 2) <= ui->cols - 2 * x &&
        ui->body_bottom - y >= ui_big_height(2) + 4)
        scale = 2;
    int bh = ui_big_height(scale);
    int bw = v->big ? ui_big_width(v->big_digits, scale) : 0;
    /* the chart beside the digits when the screen is wide, under them when it
     * is tall and narrow (portrait), left out when there is no room */
    int chart_w = ui->roomy ? 3 * SV_CHART + 2 : 2 * SV_CHART + 12;
    int chart_h = ui->roomy ? 9 : 6;
    bool chart_beside = v->chart && ui->cols - chart_w - 4 >= x + bw + 2;
    bool chart_below = v->chart && !chart_beside && ui->rows >= 28 && ui->cols >= 2 * SV_CHART + 4;
    int chart_x = chart_beside ? ui->cols - chart_w - 2 : x;
    if (chart_below && chart_w > ui->cols - 2 * x)
        chart_w = ui->cols - 2 * x;
    int top_h = 0;
    if (v->big) {
        if (bw > ui->cols - 2 * x) {   /* too many digits for the width: plain text */
            ui_put(y, x, v->big_caption, ui->cols - 2 * x, ui_attr(UP_ACCENT));
            top_h = 1;
        } else {
            ui_big_digits(y, x, v->big_digits, scale);
            int cx = x + bw + 2;
            int room = (chart_beside ? chart_x - 1 : ui->cols - 1) - cx;
            if (ui_width(v->big_caption) <= room) {
                ui_put(y + bh / 2, cx, v->big_caption, room, ui_attr(UP_ACCENT));
                top_h = bh;
            } else {
                top_h = bh + ui_put_wrapped(y + bh, ui->body_bottom, x, v->big_caption,
                                            ui->cols - 2 * x, ui_attr(UP_ACCENT));
            }
        }
    }
    if (chart_beside) {
        ui_chart(y, chart_x, chart_h, chart_w, v);
        if (chart_h > top_h)
            top_h = chart_h;
    } else if (chart_below) {
        ui_chart(y + top_h + 1, chart_x, chart_h, chart_w, v);
        top_h += chart_h + 1;
    }
    ui_lines(ui, v, y + top_h + (tall ? 1 : 0), ui->body_bottom, x + 1, ui->cols - 2 * x - 1);
}

const struct screen_ops scr_queue = {
    .name = "queue",
    .draw = queue_draw,
};
