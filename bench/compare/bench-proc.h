/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct
{
  guint processes;
  guint64 rss_kb;
  guint64 pss_kb;
  /* Pages no other process maps (Private_Clean + Private_Dirty): what the
   * tree itself holds, whatever else runs on the machine. */
  guint64 uss_kb;
  guint64 anon_kb; /* heap, stacks and other anonymous pages */
} BenchMem;

/* root and every process below it, found by walking /proc. */
GArray *bench_proc_tree (pid_t root);

/* This process becomes a child subreaper: a daemon that a measured program
 * starts (double fork) stays below us and is counted and killed with it. */
gboolean bench_proc_adopt_orphans (void);

/* Sums Rss and Pss (from /proc/PID/smaps_rollup) over every process below
 * this one. Pss shares each page among the processes that map it, so
 * shared libraries and Chromium's zygote-forked pages are not counted twice. */
void bench_proc_memory (BenchMem *mem);

/* SIGTERM to every process below this one, SIGKILL to whatever is left
 * after grace_ms, and reaps them all. */
void bench_proc_kill_all (guint grace_ms);

G_END_DECLS
