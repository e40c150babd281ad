/* scr_qr.c — the follow-up QR on screen (instead of paper, or when the
 * printer is out of paper) and the "application submitted" confirmation,
 * which shows its reference with the same QR.  Text on the left, the code on
 * the right, drawn black on white whatever the terminal's colours; when the
 * code cannot fit, the URL is written out instead. */
#include <string.h>

#include "devices/qr.h"
#include "screens/screen.h"

static void qr_leave(struct ui *ui) { ui_qr_release(ui); }

static void qr_draw(struct ui *ui, const struct sess_view *v)
{
    int h = ui->body_bottom - ui->body_top;
    /* the code on the right of the text; on a narrow screen under it, when it fits */
    bool narrow = ui->cols < UI_NARROW_COLS;
    int qx = narrow ? 1 : ui->cols / 2 + (ui->roomy ? 4 : 1);
    int qw = ui->cols - qx - 1;
    int text_rows = narrow ? 4 : h;
    int drawn = narrow ? ui_qr(ui, ui->body_top + text_rows, qx, h - text_rows, qw, v->qr_url)
                       : ui_qr(ui, ui->body_top, qx, h, qw, v->qr_url);
    int x = narrow ? 2 : 3;
    int textw = (drawn && !narrow ? qx : ui->cols) - x - 2;
    int y = ui->body_top + (ui->rows >= UI_SHORT_ROWS ? 1 : 0);
    int text_bottom = drawn && narrow ? ui->body_top + text_rows : ui->body_bottom - 2;
    ui_lines(ui, v, y, text_bottom - (drawn && narrow && v->qr_caption[0] ? 1 : 0), x, textw);
    if (v->qr_caption[0])
        ui_put(drawn && narrow ? text_bottom - 1 : ui->body_bottom - 2, x, v->qr_caption, textw,
               ui_attr(UP_ACCENT));
    if (!drawn && v->qr_url[0])
        ui_put_wrapped(ui->body_bottom - 1, ui->body_bottom, x, v->qr_url, ui->cols - 2 * x,
                       A_NORMAL);
}

const struct screen_ops scr_qr = {
    .name = "qr",
    .leave = qr_leave,
    .draw = qr_draw,
};

const struct screen_ops scr_apply_done = {
    .name = "apply_done",
    .leave = qr_leave,
    .draw = qr_draw,
};
