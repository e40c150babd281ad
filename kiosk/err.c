/* err.c — the one table of error messages and exit codes, and detail lines. */
#include "kiosk/err.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char detail[512];
static _Thread_local int detail_err;   /* the code kerr() returned with it */

const char *kiosk_strerror(int err)
{
    switch (err) {
#define KIOSK_ERR_MSG(name, value, exitc, msg) case value: return msg;
        KIOSK_ERR_TABLE(KIOSK_ERR_MSG)
#undef KIOSK_ERR_MSG
    }
    return "unknown error";
}

int kiosk_exit_code(int err)
{
    switch (err) {
#define KIOSK_ERR_EXIT(name, value, exitc, msg) case value: return exitc;
        KIOSK_ERR_TABLE(KIOSK_ERR_EXIT)
#undef KIOSK_ERR_EXIT
    }
    return 1;
}

int kerr(int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    detail_err = err;
    return err;
}

const char *kerr_detail(void) { return detail; }
void kerr_clear(void)
{
    detail[0] = '\0';
    detail_err = 0;
}

int kerr_last(void) { return detail_err; }

void kerr_print(const char *prog, int err)
{
    if (detail[0])
        fprintf(stderr, "%s: %s\n", prog, detail);
    else
        fprintf(stderr, "%s: %s\n", prog, kiosk_strerror(err));
}
