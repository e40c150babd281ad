/* arena.c — chunked bump allocation. */
#include "kiosk/arena.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/secret.h"

struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    unsigned char data[];
};

void arena_init(struct arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 1 << 20;
    a->used_total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    struct arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > a->chunk_size ? n : a->chunk_size;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->next = a->head;
        c->size = size;
        c->used = 0;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->used_total += n;
    return p;
}

void *arena_dup(struct arena *a, const void *p, size_t n)
{
    void *d = arena_alloc(a, n ? n : 1);
    if (d && n)
        memcpy(d, p, n);
    return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_dup(a, s, strlen(s) + 1);
}

void arena_release(struct arena *a)
{
    while (a->head) {
        struct arena_chunk *n = a->head->next;
        secure_wipe(a->head->data, a->head->used);
        free(a->head);
        a->head = n;
    }
    a->used_total = 0;
}
