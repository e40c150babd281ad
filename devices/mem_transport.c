/* mem_transport.c — a scripted, recording in-memory transport for unit tests.
 *
 * The "device" is a queue of chunks: each bulk read pops the next chunk
 * queued for that endpoint (a timeout when none is left), each control
 * transfer pops the next queued control reply, each write is appended to a
 * log.  An armed fault makes everything fail with KERR_NODEV after N more
 * operations, which is how the tests pull the plug in the middle of a read. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "devices/transport.h"
#include "kiosk/err.h"

struct chunk {
    uint8_t ep;           /* 0 for a control reply */
    int err;
    size_t n;
    uint8_t *data;
    long visible_at;      /* readable once this many commands were written */
};

struct mem {
    struct chunk *q;
    int nq, head, capq;
    uint8_t *written;
    size_t nw, capw;
    int unplug_after;     /* < 0: disarmed */
    int unplugged, absent, opened;
    long commands;        /* writes to the first OUT endpoint: one per command */
};

static struct mem *M(const struct transport *t) { return t->priv; }

static bool tick(struct mem *m)
{
    if (m->unplugged)
        return false;
    if (m->unplug_after >= 0 && m->unplug_after-- == 0) {
        m->unplugged = 1;
        return false;
    }
    return true;
}

static int mem_open(struct transport *t)
{
    struct mem *m = M(t);
    if (m->absent || m->unplugged)
        return KERR_NODEV;
    m->opened = 1;
    return 0;
}

static void mem_close(struct transport *t) { M(t)->opened = 0; }

static int mem_write(struct transport *t, uint8_t ep, const void *buf, size_t n, int ms)
{
    struct mem *m = M(t);
    (void)ms;
    if (!tick(m) || !m->opened)
        return KERR_NODEV;
    if (m->nw + n + 1 > m->capw) {
        size_t nc = (m->nw + n + 1) * 2;
        uint8_t *p = realloc(m->written, nc);
        if (!p)
            return KERR_NOMEM;
        m->written = p;
        m->capw = nc;
    }
    if (ep == t->ep_out[0])
        m->commands++;
    memcpy(m->written + m->nw, buf, n);
    m->nw += n;
    return (int)n;
}

/* The next queued chunk for ep (0 = control), or NULL. */
static struct chunk *next_chunk(struct mem *m, uint8_t ep)
{
    for (int i = m->head; i < m->nq; i++)
        if (m->q[i].data || m->q[i].err) {
            if (m->q[i].ep == ep && m->q[i].visible_at <= m->commands)
                return &m->q[i];
        }
    return NULL;
}

static void drop_chunk(struct mem *m, struct chunk *c)
{
    free(c->data);
    c->data = NULL;
    c->err = 0;
    c->n = 0;
    while (m->head < m->nq && !m->q[m->head].data && !m->q[m->head].err)
        m->head++;
}

static int mem_read(struct transport *t, uint8_t ep, void *buf, size_t cap, int ms)
{
    struct mem *m = M(t);
    (void)ms;
    if (!tick(m) || !m->opened)
        return KERR_NODEV;
    struct chunk *c = next_chunk(m, ep);
    if (!c)
        return KERR_TIMEOUT;
    if (c->err) {
        int e = c->err;
        drop_chunk(m, c);
        return e;
    }
    size_t k = c->n < cap ? c->n : cap;
    memcpy(buf, c->data, k);
    if (k < c->n) {                       /* the rest stays for the next read */
        memmove(c->data, c->data + k, c->n - k);
        c->n -= k;
    } else {
        drop_chunk(m, c);
    }
    return (int)k;
}

static int mem_control(struct transport *t, uint8_t rt, uint8_t rq, uint16_t v, uint16_t i,
                       void *data, uint16_t len, int ms)
{
    struct mem *m = M(t);
    (void)rq, (void)v, (void)i, (void)ms;
    if (!tick(m) || !m->opened)
        return KERR_NODEV;
    if (!(rt & 0x80))
        return len;                       /* OUT requests are accepted */
    struct chunk *c = next_chunk(m, 0);
    if (!c)
        return KERR_TIMEOUT;
    int e = c->err;
    size_t k = c->n < len ? c->n : len;
    if (!e)
        memcpy(data, c->data, k);
    drop_chunk(m, c);
    return e ? e : (int)k;
}

static void mem_destroy(struct transport *t)
{
    struct mem *m = M(t);
    for (int i = 0; i < m->nq; i++)
        free(m->q[i].data);
    free(m->q);
    free(m->written);
    free(m);
    free(t);
}

static const struct transport_ops mem_ops = {
    .name = "mem", .open = mem_open, .close = mem_close, .write = mem_write,
    .read = mem_read, .control = mem_control, .destroy = mem_destroy,
};

struct transport *mem_transport_new(int n_out, const uint8_t *ep_out, int n_in,
                                    const uint8_t *ep_in, int iface_class, int iface_protocol)
{
    struct transport *t = calloc(1, sizeof *t);
    struct mem *m = calloc(1, sizeof *m);
    if (!t || !m) {
        free(t);
        free(m);
        return NULL;
    }
    m->unplug_after = -1;
    t->ops = &mem_ops;
    t->priv = m;
    t->n_out = n_out > TRANSPORT_MAX_EP ? TRANSPORT_MAX_EP : n_out;
    t->n_in = n_in > TRANSPORT_MAX_EP ? TRANSPORT_MAX_EP : n_in;
    memcpy(t->ep_out, ep_out, (size_t)t->n_out);
    memcpy(t->ep_in, ep_in, (size_t)t->n_in);
    t->iface_class = iface_class;
    t->iface_protocol = iface_protocol;
    strcpy(t->description, "in-memory test device");
    return t;
}

static void push(struct transport *t, uint8_t ep, const void *data, size_t n, int err,
                 long after)
{
    struct mem *m = M(t);
    if (m->nq == m->capq) {
        int nc = m->capq ? m->capq * 2 : 16;
        struct chunk *q = realloc(m->q, (size_t)nc * sizeof *q);
        if (!q)
            abort();                          /* test helper: no way to report */
        m->q = q;
        m->capq = nc;
    }
    struct chunk *c = &m->q[m->nq++];
    c->ep = ep;
    c->err = err;
    c->n = n;
    c->data = NULL;
    c->visible_at = m->commands + after;
    if (!err) {
        c->data = malloc(n ? n : 1);
        if (!c->data)
            abort();
        if (n)
            memcpy(c->data, data, n);
    }
}

void mem_transport_push_read_late(struct transport *t, uint8_t ep, const void *data, size_t n,
                                  int split64, int after_cmds)
{
    const uint8_t *p = data;
    if (!split64) {
        push(t, ep, p, n, 0, after_cmds);
        return;
    }
    for (size_t o = 0; o < n; o += 64)
        push(t, ep, p + o, n - o < 64 ? n - o : 64, 0, after_cmds);
}

void mem_transport_push_read(struct transport *t, uint8_t ep, const void *data, size_t n, int split64)
{
    mem_transport_push_read_late(t, ep, data, n, split64, 0);
}

void mem_transport_push_control(struct transport *t, const void *data, size_t n, int err)
{
    push(t, 0, data, n, err, 0);
}

void mem_transport_unplug_after(struct transport *t, int ops) { M(t)->unplug_after = ops; }

void mem_transport_replug(struct transport *t)
{
    M(t)->unplugged = 0;
    M(t)->unplug_after = -1;
}

void mem_transport_set_absent(struct transport *t, int absent) { M(t)->absent = absent; }

const uint8_t *mem_transport_written(const struct transport *t, size_t *n)
{
    *n = M(t)->nw;
    return M(t)->written;
}

void mem_transport_clear_written(struct transport *t) { M(t)->nw = 0; }

int mem_transport_pending(const struct transport *t)
{
    const struct mem *m = M(t);
    int k = 0;
    for (int i = m->head; i < m->nq; i++)
        k += m->q[i].data || m->q[i].err;
    return k;
}
