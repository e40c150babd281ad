/* arena.h — a bump allocator for many small, same-lifetime allocations
 * (a million imported rows), freed all at once. */
#ifndef KIOSK_ARENA_H
#define KIOSK_ARENA_H

#include <stddef.h>

struct arena {
    struct arena_chunk *head;
    size_t chunk_size;
    size_t used_total;
};

void arena_init(struct arena *a, size_t chunk_size);
/* n bytes aligned to 8; NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_dup(struct arena *a, const void *p, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Wipe (the rows may hold ciphertext and hashes of personal data) and free. */
void arena_release(struct arena *a);

#endif
