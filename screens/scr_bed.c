/* scr_bed.c — one home-care-bed application: the core's lines (stage, who
 * is responsible, next step, provider, level word only, then the timeline
 * with ✓ for stages reached, ● for the current one and the stages still to
 * come).  The follow-up QR is one key away ([0], scr_qr.c). */
#include "screens/screen.h"

static void bed_draw(struct ui *ui, const struct sess_view *v)
{
    int x = ui->cols >= UI_NARROW_COLS ? 3 : 2;
    int y = ui->body_top + (ui->rows >= UI_SHORT_ROWS ? 1 : 0);
    int w = ui->cols - 2 * x;
    ui_lines(ui, v, y, ui->body_bottom, x, w);
}

const struct screen_ops scr_bed = {
    .name = "bed",
    .draw = bed_draw,
};
