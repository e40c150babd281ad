/* ctl_queue.h — kioskctl's database, queue and audit subcommands. */
#ifndef KIOSK_CTL_QUEUE_H
#define KIOSK_CTL_QUEUE_H

#include <getopt.h>

#include "kiosk/cli/ctl.h"

/* getopt_long is reused for each subcommand's own options. */
static inline void optind_reset(void) { optind = 0; }

int ctl_init(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_demo(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_import(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_export(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_position(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_publish(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_entry(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_backup(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_restore(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_check(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_audit(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_program(struct ctl_ctx *ctx, int argc, char **argv);
int ctl_kiosks(struct ctl_ctx *ctx, int argc, char **argv);

#endif
