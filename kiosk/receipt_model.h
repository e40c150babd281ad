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
    /* the next step (kiosk/next_steps.h), already in the receipt's language */
    char status_line[400];   /* what the status means, one sentence */
    char next_step[400];     /* what to do ("" when nothing is asked) */
    char deadline[16];       /* "YYYY-MM-DD" to act by, "" none */
    char contact[400];       /* whom to contact: "name · phone" */
    char next_label[64];     /* "您需要做什么" / "What you need to do" (from the same data) */
    char contact_label[64];  /* "联系谁" / "Who to contact" */
    char datetime[32];       /* "2026-11-29 17:50" */
    char kiosk_id[64];       /* "FT-SZ-001" */
    char reference[40];      /* the receipt reference (followup_ref_new) */
    char followup_url[256];  /* followup_url(): base?r=REF&c=CODE; "" → no QR */
    char language[8];        /* "zh" or "en": the labels' language */
};

#endif
