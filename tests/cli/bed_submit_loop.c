/* bed_submit_loop.c — a test helper for tests/cli/test_bed_kill.sh: files
 * home-care-bed applications one after another, as kiosks would, and prints
 * each reference only after bed_submit() returned (the commit is durable),
 * i.e. exactly what a resident would have been shown as confirmed.
 *   bed_submit_loop DB FIRST COUNT      (elders FIRST .. FIRST+COUNT-1)
 * Ends with "# N applications, X ms each" on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/idnum.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bed_submit_loop DB FIRST COUNT\n");
        return 2;
    }
    long first = atol(argv[2]), count = atol(argv[3]);
    char key[600];
    snprintf(key, sizeof key, "%s.key", argv[1]);
    struct store *st = NULL;
    struct secret *sec = NULL;
    int err;
    if ((err = secret_load(key, &sec)) || (err = store_open(argv[1], 0, &st))) {
        kerr_print("bed_submit_loop", err);
        return 1;
    }
    struct actor who = {.name = "resident@KILL-TEST"};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long done = 0;
    for (long i = first; i < first + count; i++) {
        struct bed_form f;
        memset(&f, 0, sizeof f);
        char d17[32];
        snprintf(d17, sizeof d17, "440303%04ld%02ld%02ld%03ld", 1930 + (i / 336000) % 30,
                 1 + (i / 1000) % 12, 1 + (i / 12000) % 28, i % 1000);
        d17[17] = '\0';
        snprintf(f.elder_id, sizeof f.elder_id, "%.17s%c", d17, idnum_check_char(d17));
        snprintf(f.elder_name, sizeof f.elder_name, "压测%ld", i);
        snprintf(f.address, sizeof f.address, "测试路%ld号", i);
        f.services = BED_SVC_CARE_BED;
        f.consent = true;
        char ref[33];
        if ((err = bed_submit(st, sec, &who, &f, ref))) {
            kerr_print("bed_submit_loop", err);
            break;
        }
        printf("%s\n", ref);
        fflush(stdout);
        done++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    fprintf(stderr, "# %ld applications, %.2f ms each\n", done, done ? ms / done : 0.0);
    store_close(&st);
    secret_free(&sec);
    return err ? 1 : 0;
}
