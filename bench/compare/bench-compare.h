/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sys/types.h>

#include "bench-fb.h"

G_BEGIN_DECLS

/* Waits for the home screen (bench_fb_home_shown) to hold still for
 * settle_ms; returns the monotonic time its final frame first appeared, or
 * -1 after timeout_ms from since_us. */
gint64 bench_wait_home (const BenchFb *fb, gint64 since_us, guint settle_ms, guint timeout_ms);

/* Waits for the screen to differ from before_hash and then hold still for
 * settle_ms; returns when its final frame first appeared, or -1. */
gint64 bench_wait_answer (const BenchFb *fb, guint64 before_hash, gint64 since_us, guint settle_ms,
                          guint timeout_ms);

/* Forks and execs argv, with this process as the subreaper of its tree. */
pid_t bench_spawn (char **argv, GError **error);

/* NAME=v1,v2,… then NAME_median and NAME_p99 lines on stdout. */
void bench_print_series (const char *name, GArray *values);

int bench_soak_main (int argc, char **argv);

G_END_DECLS
