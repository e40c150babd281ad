/* card_event.h — what the ID-card reader (real or simulated) hands the core.
 *
 * This is the ONE place where a plaintext identity enters the program: the
 * device layer fills it from the SAM text block (devices/sam.c) or from a
 * `--sim-cards` line (devices/sim.c); the consumer (the kiosk session) turns
 * the ID number into a keyed hash at once and then calls card_event_wipe().
 * Plain data, no functions that need a library, so kiosk/ may include it. */
#ifndef KIOSK_CARD_EVENT_H
#define KIOSK_CARD_EVENT_H

#include <stddef.h>

enum card_event_type {
    CARD_EV_NONE = 0,
    CARD_EV_INSERT,      /* a card was read: kind, id_number, name are set */
    CARD_EV_REMOVE,      /* the card left the reader (the simulated reader only:
                          * a SAM cannot tell "still there" from "gone" after a read) */
    CARD_EV_ERROR,       /* a card was seen but could not be used: message says why */
};

enum card_kind {
    CARD_KIND_NONE = 0,
    CARD_KIND_RESIDENT,  /* 居民身份证 */
    CARD_KIND_PERMIT_J,  /* 港澳台居民居住证 ('J') */
    CARD_KIND_FOREIGN_I, /* 外国人永久居留身份证, 2017 ('I') */
    CARD_KIND_FOREIGN_Y, /* 外国人永久居留身份证, 2023 ('Y') */
};

#define CARD_ID_MAX 40        /* 18 characters in practice; 15 for an 'I' card */
#define CARD_NAME_MAX 256     /* UTF-8; an 'I' card's English name is up to 60 chars */
#define CARD_MSG_MAX 160

struct card_event {
    enum card_event_type type;
    enum card_kind kind;
    char id_number[CARD_ID_MAX];   /* as printed on the card, upper case */
    char name[CARD_NAME_MAX];      /* UTF-8: the Chinese name, else the English one */
    char message[CARD_MSG_MAX];    /* CARD_EV_ERROR: a clear English sentence */
};

/* Wipe an event after use.  volatile stores so the compiler cannot drop them
 * as dead (the struct usually dies right after this call). */
static inline void card_event_wipe(struct card_event *ev)
{
    volatile unsigned char *p = (volatile unsigned char *)ev;
    for (size_t i = 0; i < sizeof *ev; i++)
        p[i] = 0;
}

/* "resident ID card", "HK/Macao/Taiwan residence permit", … */
static inline const char *card_kind_name(enum card_kind k)
{
    switch (k) {
    case CARD_KIND_RESIDENT: return "resident ID card";
    case CARD_KIND_PERMIT_J: return "HK/Macao/Taiwan residence permit";
    case CARD_KIND_FOREIGN_I: return "foreigner permanent-residence card (2017)";
    case CARD_KIND_FOREIGN_Y: return "foreigner permanent-residence card (2023)";
    default: return "no card";
    }
}

#endif
