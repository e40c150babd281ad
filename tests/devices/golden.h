/* golden.h — load a golden byte file from tests/devices/golden/ (tests only). */
#ifndef TESTS_DEVICES_GOLDEN_H
#define TESTS_DEVICES_GOLDEN_H

#include <stdio.h>
#include <stdlib.h>

#ifndef GOLDEN_DIR
#define GOLDEN_DIR "tests/devices/golden/"
#endif

/* The file's bytes (malloc'd, caller frees) and length; aborts the test
 * program when the file is missing, so a lost golden file is a failure. */
static inline unsigned char *golden_load(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", GOLDEN_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "missing golden file %s\n", path);
        abort();
    }
    unsigned char *buf = malloc(1 << 16);
    *n = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

#endif
