/* printer.c — the ESC/POS printer driver (see printer.h). */
#include "printer.h"

#include <stdlib.h>
#include <string.h>

#include "devices/escpos.h"
#include "kiosk/err.h"

/* USB printer class requests (usblp.c): class, interface recipient, IN. */
#define USB_PRINTER_RT_IN 0xA1
#define USB_PRINTER_GET_DEVICE_ID 0
#define USB_PRINTER_GET_PORT_STATUS 1

struct printer {
    struct transport *t;
    bool open;
    bool no_rt;       /* DLE EOT went unanswered once: use the port status from then on,
                       * so a printer without real-time status costs no timeouts */
};

int printer_new(struct transport *t, struct printer **out)
{
    struct printer *p = calloc(1, sizeof *p);
    if (!p)
        return KERR_NOMEM;
    p->t = t;
    *out = p;
    return 0;
}

void printer_free(struct printer **p)
{
    if (!*p)
        return;
    printer_close(*p);
    free(*p);
    *p = NULL;
}

int printer_open(struct printer *p)
{
    int rc = transport_open(p->t);
    if (rc)
        return rc;
    if (p->t->n_out < 1) {
        transport_close(p->t);
        return kerr(KERR_DEVICE, "%s: the printer has no bulk OUT endpoint", p->t->description);
    }
    p->open = true;
    p->no_rt = false;
    return 0;
}

void printer_close(struct printer *p)
{
    if (p->open)
        transport_close(p->t);
    p->open = false;
}

int printer_device_id(struct printer *p, char *out, size_t cap)
{
    uint8_t buf[1024];
    if (!p->open)
        return KERR_NODEV;
    /* wValue: configuration index 0; wIndex: interface << 8 | altsetting 0. */
    int k = transport_control(p->t, USB_PRINTER_RT_IN, USB_PRINTER_GET_DEVICE_ID, 0,
                              (uint16_t)(p->t->iface << 8), buf, sizeof buf,
                              PRINTER_STATUS_TIMEOUT_MS);
    if (k < 0)
        return k;
    if (k < 2)
        return kerr(KERR_DEVICE, "printer device id reply too short");
    size_t len = (size_t)buf[0] << 8 | buf[1];     /* big-endian, counts itself */
    if (len < 2 || len > (size_t)k)
        len = (size_t)k;
    len -= 2;
    if (len >= cap)
        len = cap - 1;
    memcpy(out, buf + 2, len);
    out[len] = '\0';
    for (size_t i = 0; i < len; i++)                /* it goes to a terminal */
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7F)
            out[i] = '?';
    return 0;
}

int printer_port_status(struct printer *p, uint8_t *status)
{
    if (!p->open)
        return KERR_NODEV;
    int k = transport_control(p->t, USB_PRINTER_RT_IN, USB_PRINTER_GET_PORT_STATUS, 0,
                              (uint16_t)p->t->iface, status, 1, PRINTER_STATUS_TIMEOUT_MS);
    if (k < 0)
        return k;
    return k == 1 ? 0 : kerr(KERR_DEVICE, "printer port status reply empty");
}

/* DLE EOT n over bulk; 0 and *st updated, or an error. */
static int rt_status(struct printer *p, int n, struct printer_state *st)
{
    uint8_t req[3] = {0x10, 0x04, (uint8_t)n}, rep[64];
    int rc = transport_write(p->t, p->t->ep_out[0], req, sizeof req, PRINTER_STATUS_TIMEOUT_MS);
    if (rc < 0)
        return rc;
    rc = transport_read(p->t, p->t->ep_in[0], rep, sizeof rep, PRINTER_STATUS_TIMEOUT_MS);
    if (rc < 0)
        return rc;
    if (rc == 0)                       /* a zero-length packet is no answer */
        return KERR_TIMEOUT;
    struct escpos_status es;
    rc = escpos_status_parse(n, rep[rc - 1], &es);     /* the newest byte if several */
    if (rc)
        return rc;
    st->known = true;
    if (n == 4) {
        st->paper_out |= es.paper_out;
        st->near_end |= es.near_end;
    } else if (n == 2) {
        st->cover_open |= es.cover_open;
        st->paper_out |= es.paper_end_stop;
        st->error |= es.error;
    }
    return 0;
}

int printer_status(struct printer *p, struct printer_state *st)
{
    memset(st, 0, sizeof *st);
    if (!p->open)
        return KERR_NODEV;
    if (p->t->n_in > 0 && !p->no_rt) {
        int rc = rt_status(p, 4, st);
        if (rc == 0)
            rc = rt_status(p, 2, st);
        if (rc == KERR_NODEV)
            return rc;
        if (rc == 0)
            return 0;
        /* No DLE EOT answer (many cheap printers): use the port status. */
        if (rc == KERR_TIMEOUT)
            p->no_rt = true;
        memset(st, 0, sizeof *st);
    }
    uint8_t ps;
    int rc = printer_port_status(p, &ps);
    if (rc == KERR_NODEV)
        return rc;
    if (rc == 0) {
        st->known = true;
        st->paper_out = ps & 0x20;
        st->error = !(ps & 0x08);
        st->offline = !(ps & 0x10);
    }
    return 0;
}

int printer_print(struct printer *p, const uint8_t *bytes, size_t n, struct printer_state *after)
{
    struct printer_state st;
    int rc = printer_status(p, &st);
    if (after)
        *after = st;
    if (rc)
        return rc;
    if (st.paper_out)
        return kerr(KERR_PAPER, "printer is out of paper");
    if (st.cover_open)
        return kerr(KERR_DEVICE, "printer cover is open");
    for (size_t o = 0; o < n;) {
        size_t k = n - o < 4096 ? n - o : 4096;
        rc = transport_write(p->t, p->t->ep_out[0], bytes + o, k, PRINTER_WRITE_TIMEOUT_MS);
        if (rc < 0)
            return rc == KERR_TIMEOUT ? kerr(KERR_TIMEOUT, "printer stopped taking data") : rc;
        o += k;
    }
    rc = printer_status(p, &st);
    if (after)
        *after = st;
    if (rc)
        return rc;
    if (st.paper_out)
        return kerr(KERR_PAPER, "printer ran out of paper during the receipt");
    return 0;
}
