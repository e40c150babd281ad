/* ctl.h — what every kioskctl subcommand is handed: the parsed global
 * options, the configuration, and the database and site secret opened on
 * first use.  Subcommands live in their own files (ctl_queue.c, ctl_bed.c,
 * devices/devices_cli.c …) and are dispatched from main_kioskctl.c. */
#ifndef KIOSK_CTL_H
#define KIOSK_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kiosk/config.h"

struct store;
struct secret;
struct actor;

struct ctl_ctx {
    const char *prog;           /* "kioskctl" */
    struct kiosk_config cfg;    /* defaults, the file, then --db/--lang overrides */
    bool sim;                   /* --sim: simulated devices */
    const char *sim_cards;      /* --sim-cards PATH */
    const char *sim_print_dir;  /* --sim-print-dir DIR */
    const char *as_user;        /* --as USER: staff actions as this account */
    struct store *store;        /* opened by ctl_store() */
    struct secret *secret;      /* loaded by ctl_store() */
};

/* Open the database (and load the site secret) on first use.  Prints the
 * error itself and returns a negative kiosk_err on failure. */
int ctl_store(struct ctl_ctx *ctx, struct store **st, struct secret **sec);

/* The database's recorded key fingerprint against sec: KERR_SECRET naming
 * both when they differ; 0 when equal or none is recorded yet. */
int ctl_key_matches(struct ctl_ctx *ctx, struct store *st, const struct secret *sec);

/* Whether st holds data that only its own site secret can read. */
int ctl_populated(struct store *st);

/* Reword a secret_load failure for path: with a populated database, say to
 * restore the key, never to run init.  Returns err. */
int ctl_secret_problem(struct ctl_ctx *ctx, const char *path, int err);

/* Print err (with its detail) as "kioskctl: …" and return its exit code. */
int ctl_fail(const struct ctl_ctx *ctx, int err);

/* The last error's detail for a line kioskctl prints itself (check's
 * verdicts): in Chinese when kioskctl speaks it, as ctl_fail words it; the
 * error's fixed message when no detail was recorded. */
const char *ctl_detail(int err);

/* A subcommand: argv[0] is the subcommand's own name.  Returns an exit code. */
typedef int (*ctl_cmd_fn)(struct ctl_ctx *ctx, int argc, char **argv);

/* Subcommands implemented outside main_kioskctl.c. */
int ctl_devices(struct ctl_ctx *ctx, int argc, char **argv);   /* devices/devices_cli.c */
int ctl_receipt(struct ctl_ctx *ctx, int argc, char **argv);   /* devices/devices_cli.c */
int ctl_bed(struct ctl_ctx *ctx, int argc, char **argv);       /* kiosk/ctl_bed.c */
int ctl_user(struct ctl_ctx *ctx, int argc, char **argv);      /* kiosk/cli/ctl_user.c */
int ctl_keys(struct ctl_ctx *ctx, int argc, char **argv);      /* kiosk/cli/ctl_keys.c */
int ctl_report(struct ctl_ctx *ctx, int argc, char **argv);    /* kiosk/cli/ctl_report.c */

/* The elder-care part of `kioskctl position`: the applications of the
 * person with this lookup hash, printed as JSON objects separated by ", "
 * (json) or as text lines; *count gets how many.  kiosk/ctl_bed.c. */
int ctl_print_applications(struct ctl_ctx *ctx, const unsigned char hash[32], int json,
                           FILE *out, int *count);

/* Who a staff action runs as.  With --as USER: that staff account, logged
 * in with the password on the first line of standard input (wrong password,
 * locked or disabled: KERR_AUTH/KERR_LOCKED, exit 5), with its own roles.
 * Without: the operating-system account of the real uid (never an
 * environment variable such as SUDO_USER), "kioskctl:LOGIN", every role. */
int ctl_admin_actor(struct ctl_ctx *ctx, struct actor *who);

/* s with control characters (C0, DEL, C1) and bidi controls written as
 * \xNN / \uNNNN, for every line kioskctl prints from stored text (audit
 * tail, bed show): stored text must never drive the terminal.  Returns buf. */
const char *ctl_safe(const char *s, char *buf, size_t cap);

/* s as a cell of a text table, cols display columns wide (CJK 2, as
 * linebreak_width counts): padded with spaces as printf's %-Ns pads ASCII,
 * so a Chinese cell lines up with the rows below it; a wider s is kept
 * whole, as %-Ns keeps it, cut by display width (never mid-character) only
 * where buf cannot hold it.  The result is at least cols bytes long, so a
 * format's own %-Ns (the message ids keep their widths: the English output
 * is unchanged) adds nothing.  Returns buf. */
const char *ctl_cell(const char *s, int cols, char *buf, size_t cap);

/* The operating-system account alone (init, before accounts exist). */
void ctl_os_actor(struct actor *who);

#endif
