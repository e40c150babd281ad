/* fuzz_render.c — libFuzzer target for the ESC/POS renderer
 * (devices/receipt_render.c): any byte stream, both paper widths.  The first
 * byte picks the width so the corpus covers both. */
#include <stddef.h>
#include <stdint.h>

#include "devices/receipt_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct render_page pg;
    if (size == 0 || size > 65536)
        return 0;
    int dots = data[0] & 1 ? 576 : 384;
    if (receipt_render(data + 1, size - 1, dots, &pg) == 0)
        render_page_free(&pg);
    return 0;
}
