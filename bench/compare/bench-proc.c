/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-compare"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-proc.h"

static pid_t
parent_of (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int)pid);
  g_autofree char *text = NULL;
  const char *after_comm;
  char state;
  int ppid;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  /* The command name may hold spaces and parentheses: parse after the last ')'. */
  after_comm = strrchr (text, ')');
  if (after_comm == NULL || sscanf (after_comm + 1, " %c %d", &state, &ppid) != 2)
    return -1;
  return (pid_t)ppid;
}

GArray *
bench_proc_tree (pid_t root)
{
  GArray *tree = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr (GArray) pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr (GArray) parents = g_array_new (FALSE, FALSE, sizeof (pid_t));
  DIR *dir = opendir ("/proc");
  struct dirent *entry;
  gboolean grew = TRUE;

  g_array_append_val (tree, root);
  if (dir == NULL)
    return tree;
  while ((entry = readdir (dir)) != NULL)
    {
      char *end;
      long pid = strtol (entry->d_name, &end, 10);
      pid_t p, parent;

      if (*end != '\0' || pid <= 0)
        continue;
      p = (pid_t)pid;
      parent = parent_of (p);
      g_array_append_val (pids, p);
      g_array_append_val (parents, parent);
    }
  closedir (dir);

  /* A few passes reach any depth: zygote children of Chromium's zygote. */
  while (grew)
    {
      grew = FALSE;
      for (guint i = 0; i < pids->len; i++)
        {
          pid_t p = g_array_index (pids, pid_t, i);
          pid_t parent = g_array_index (parents, pid_t, i);
          gboolean in_tree = FALSE, parent_in_tree = FALSE;

          for (guint j = 0; j < tree->len; j++)
            {
              in_tree |= g_array_index (tree, pid_t, j) == p;
              parent_in_tree |= g_array_index (tree, pid_t, j) == parent;
            }
          if (!in_tree && parent_in_tree)
            {
              g_array_append_val (tree, p);
              grew = TRUE;
            }
        }
    }
  return tree;
}

static guint64
field_kb (const char *text, const char *name)
{
  const char *line = strstr (text, name);

  return line != NULL ? g_ascii_strtoull (line + strlen (name), NULL, 10) : 0;
}

gboolean
bench_proc_adopt_orphans (void)
{
  return prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
}

void
bench_proc_memory (BenchMem *mem)
{
  g_autoptr (GArray) tree = bench_proc_tree (getpid ());

  *mem = (BenchMem){ 0 };
  /* Index 0 is this process. */
  for (guint i = 1; i < tree->len; i++)
    {
      pid_t pid = g_array_index (tree, pid_t, i);
      g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", (int)pid);
      g_autofree char *text = NULL;

      /* Gone between the walk and now, or a zombie: no memory left. */
      if (!g_file_get_contents (path, &text, NULL, NULL) || strstr (text, "Rss:") == NULL)
        continue;
      mem->processes++;
      mem->rss_kb += field_kb (text, "\nRss:");
      mem->pss_kb += field_kb (text, "\nPss:");
      mem->uss_kb += field_kb (text, "\nPrivate_Clean:") + field_kb (text, "\nPrivate_Dirty:");
      mem->anon_kb += field_kb (text, "\nAnonymous:");
    }
}

/* Signals every process below this one; returns how many there were. */
static guint
signal_all (int sig)
{
  g_autoptr (GArray) tree = bench_proc_tree (getpid ());

  for (guint i = 1; i < tree->len; i++)
    kill (g_array_index (tree, pid_t, i), sig);
  return tree->len - 1;
}

void
bench_proc_kill_all (guint grace_ms)
{
  signal_all (SIGTERM);
  for (guint waited = 0; waited < grace_ms; waited += 10)
    {
      while (waitpid (-1, NULL, WNOHANG) > 0)
        ;
      if (signal_all (0) == 0)
        return;
      g_usleep (10 * 1000);
    }
  signal_all (SIGKILL);
  /* Orphans of the tree were handed to us as the subreaper: reap them all. */
  while (waitpid (-1, NULL, 0) > 0)
    ;
}
