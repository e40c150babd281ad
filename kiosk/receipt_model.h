/* receipt_model.h — the resident's receipt as plain strings.
 *
 * The core fills it (already masked, already translated where it chose the
 * words) and hands it to devices/receipt.c, which only lays it out.  Nothing
 * here is plaintext identity: name and ID are masked before they arrive. */
#ifndef KIOSK_RECEIPT_MODEL_H
#define KIOSK_RECEIPT_MODEL_H

struct receipt_model {
    char title[128];         /* "住房轮候查询回执" / "Housing queue receipt"; "" → default */
    char program[128];       /* programme name, e.g. "公共租赁住房" */
    char name_masked[96];    /* "张*三" */
    char id_masked[32];      /* "4403**********1234" */
    char position[16];       /* "12" for a waiting entry, "" otherwise */
    char total[16];          /* "3400" (with position) */
    char stage[96];          /* status or stage text when there is no position */
    char datetime[32];       /* "2026-11-29 17:50" */
    char kiosk_id[64];       /* "FT-SZ-001" */
    char reference[40];      /* the receipt reference (followup_ref_new) */
    char followup_url[256];  /* followup_url(): base?r=REF&c=CODE; "" → no QR */
    char language[8];        /* "zh" or "en": the labels' language */
};

#endif
