/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-compare"

/* Measures a kiosk program from outside, the same way for linli-kiosk and
 * for Chromium, through Xvfb's memory-mapped framebuffer (Xvfb -fbdir):
 *
 *   bench-compare start --fb FILE [--memory-after S] [--clicks N --click-at X,Y] -- CMD...
 *     time from fork to the first frame of the home screen, memory of the
 *     whole process tree after S seconds, then N clicks and the time from
 *     each click to the frame that answers it.
 *   bench-compare trace FILE
 *     input-to-frame times from a LINLI_KIOSK_TRACE file (docs in README.md).
 *
 * The soak lives in bench-soak.c. Prints figures; asserts nothing. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-compare.h"
#include "bench-fb.h"
#include "bench-input.h"
#include "bench-proc.h"

#define POLL_US 2000

static double
ms_since (gint64 start_us, gint64 end_us)
{
  return (double)(end_us - start_us) / 1000.0;
}

gint64
bench_wait_home (const BenchFb *fb, gint64 since_us, guint settle_ms, guint timeout_ms)
{
  /* The clock in the header turns with the minute: leave it out of "stable". */
  int first_row = fb->height / 10;
  guint64 last_hash = 0;
  gint64 changed_us = -1;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (now - since_us > (gint64)timeout_ms * 1000)
        return -1;
      if (changed_us < 0 && !bench_fb_home_shown (fb))
        {
          g_usleep (POLL_US);
          continue;
        }
      {
        guint64 hash = bench_fb_hash (fb, first_row);

        if (changed_us < 0 || hash != last_hash)
          {
            last_hash = hash;
            changed_us = now;
          }
      }
      /* Settled on a frame that is still the home screen: that frame is the first one. */
      if (now - changed_us >= (gint64)settle_ms * 1000)
        {
          if (bench_fb_home_shown (fb))
            return changed_us;
          changed_us = -1;
        }
      g_usleep (POLL_US);
    }
}

gint64
bench_wait_answer (const BenchFb *fb, guint64 before_hash, gint64 since_us, guint settle_ms, guint timeout_ms)
{
  guint64 last_hash = before_hash;
  gint64 changed_us = -1;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      guint64 hash = bench_fb_hash (fb, 0);

      if (hash != last_hash)
        {
          last_hash = hash;
          changed_us = now;
        }
      if (changed_us >= 0 && now - changed_us >= (gint64)settle_ms * 1000)
        return changed_us;
      if (now - since_us > (gint64)timeout_ms * 1000)
        return -1;
      g_usleep (POLL_US);
    }
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

void
bench_print_series (const char *name, GArray *values)
{
  g_autoptr (GArray) sorted = NULL;
  GString *all = g_string_new (NULL);

  /* Every value of a short series, for the table across runs; a soak's only summarised. */
  for (guint i = 0; i < values->len && values->len <= 200; i++)
    g_string_append_printf (all, "%s%.2f", i > 0 ? "," : "", g_array_index (values, double, i));
  printf ("%s=%s\n", name, all->str);
  g_string_free (all, TRUE);
  if (values->len == 0)
    return;
  sorted = g_array_copy (values);
  g_array_sort (sorted, cmp_double);
  printf ("%s_median=%.2f\n%s_p99=%.2f\n", name, g_array_index (sorted, double, sorted->len / 2), name,
          g_array_index (sorted, double, (guint)(0.99 * (sorted->len - 1) + 0.5)));
}

pid_t
bench_spawn (char **argv, GError **error)
{
  pid_t pid;

  if (!bench_proc_adopt_orphans ())
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "PR_SET_CHILD_SUBREAPER: %s",
                   g_strerror (errno));
      return -1;
    }
  pid = fork ();
  if (pid < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "fork: %s", g_strerror (errno));
      return -1;
    }
  if (pid == 0)
    {
      execvp (argv[0], argv);
      fprintf (stderr, "bench-compare: %s: %s\n", argv[0], g_strerror (errno));
      _exit (127);
    }
  return pid;
}

static gboolean
parse_point (const char *text, int *x, int *y)
{
  return text != NULL && sscanf (text, "%d,%d", x, y) == 2;
}

/* A click that turns the language, the clock's minute unchanged meanwhile
 * (else the clock's relabel would count as the answer). */
static double
timed_click (BenchInput *input, const BenchFb *fb, int x, int y, guint settle_ms)
{
  for (int attempt = 0; attempt < 3; attempt++)
    {
      g_autoptr (GDateTime) before = g_date_time_new_now_local ();
      g_autoptr (GDateTime) after = NULL;
      guint64 hash = bench_fb_hash (fb, 0);
      gint64 start = g_get_monotonic_time ();
      gint64 answer;

      bench_input_click (input, x, y);
      answer = bench_wait_answer (fb, hash, start, settle_ms, 5000);
      after = g_date_time_new_now_local ();
      if (answer < 0)
        return -1;
      if (g_date_time_get_minute (before) == g_date_time_get_minute (after))
        return ms_since (start, answer);
    }
  return -1;
}

static int
cmd_start (int argc, char **argv)
{
  g_autofree char *fb_path = NULL;
  g_autofree char *click_at = NULL;
  int memory_after = 10, clicks = 0, settle_ms = 500, timeout = 60, x = 0, y = 0;
  GOptionEntry entries[] = {
    { "fb", 0, 0, G_OPTION_ARG_FILENAME, &fb_path,
      "Xvfb's framebuffer file (Xvfb -fbdir DIR: DIR/Xvfb_screen0)", "FILE" },
    { "memory-after", 0, 0, G_OPTION_ARG_INT, &memory_after, "Seconds from start to the memory sample (10)",
      "S" },
    { "settle-ms", 0, 0, G_OPTION_ARG_INT, &settle_ms, "A frame counts once unchanged this long (500)",
      "MS" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up on the first frame after S seconds (60)", "S" },
    { "clicks", 0, 0, G_OPTION_ARG_INT, &clicks, "Clicks after the memory sample (0)", "N" },
    { "click-at", 0, 0, G_OPTION_ARG_STRING, &click_at, "Where to click: the language toggle", "X,Y" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("-- COMMAND [ARG...]");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (BenchInput) input = NULL;
  BenchFb fb;
  BenchMem mem;
  gint64 start, first;
  pid_t pid;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || fb_path == NULL || argc < 2
      || (clicks > 0 && !parse_point (click_at, &x, &y)))
    {
      fprintf (stderr, "bench-compare start: %s\n",
               error != NULL ? error->message
                             : "needs --fb FILE, -- COMMAND, and --click-at X,Y with --clicks");
      return 2;
    }
  if (!bench_fb_open (&fb, fb_path, &error))
    {
      fprintf (stderr, "bench-compare: %s\n", error->message);
      return 1;
    }
  if (clicks > 0 && (input = bench_input_open (&error)) == NULL)
    {
      fprintf (stderr, "bench-compare: %s\n", error->message);
      bench_fb_close (&fb);
      return 1;
    }

  start = g_get_monotonic_time ();
  pid = bench_spawn (argv + (g_strcmp0 (argv[1], "--") == 0 ? 2 : 1), &error);
  if (pid < 0)
    {
      fprintf (stderr, "bench-compare: %s\n", error->message);
      bench_fb_close (&fb);
      return 1;
    }
  first = bench_wait_home (&fb, start, (guint)settle_ms, (guint)timeout * 1000);
  printf ("first_frame_ms=%.1f\n", first < 0 ? -1.0 : ms_since (start, first));
  fflush (stdout);

  /* Memory at rest, before any click. */
  while (g_get_monotonic_time () - start < (gint64)memory_after * G_USEC_PER_SEC)
    g_usleep (10 * 1000);
  bench_proc_memory (&mem);
  printf ("processes=%u\nrss_kb=%" G_GUINT64_FORMAT "\npss_kb=%" G_GUINT64_FORMAT "\n", mem.processes,
          mem.rss_kb, mem.pss_kb);
  fflush (stdout);

  if (clicks > 0 && first >= 0)
    {
      /* The pointer rests over the button first: hover is no part of the answer. */
      bench_input_move (input, x, y);
      bench_wait_answer (&fb, bench_fb_hash (&fb, 0), g_get_monotonic_time (), 200, 1000);
      for (int i = 0; i < clicks; i++)
        {
          double ms = timed_click (input, &fb, x, y, 200);

          if (ms >= 0)
            g_array_append_val (latencies, ms);
        }
      bench_print_series ("click_to_frame_ms", latencies);
    }

  bench_proc_kill_all (3000);
  bench_fb_close (&fb);
  return first < 0 ? 1 : 0;
}

/* LINLI_KIOSK_TRACE lines: "input <µs>" when the kiosk takes an input event,
 * "frame <µs>" after each frame it paints (GdkFrameClock::after-paint), both
 * on g_get_monotonic_time (). The answer to an input is the first frame
 * painted after it. */
static int
cmd_trace (int argc, char **argv)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 pending = -1;
  guint inputs = 0, frames = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-compare trace FILE\n");
      return 2;
    }
  if (!g_file_get_contents (argv[1], &text, NULL, &error))
    {
      fprintf (stderr, "bench-compare: %s\n", error->message);
      return 1;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char kind[16];
      gint64 us;

      if (sscanf (lines[i], "%15s %" G_GINT64_FORMAT, kind, &us) != 2)
        continue;
      if (strcmp (kind, "input") == 0)
        {
          inputs++;
          /* Several inputs before one frame: the frame answers the first. */
          if (pending < 0)
            pending = us;
        }
      else if (strcmp (kind, "frame") == 0)
        {
          frames++;
          if (pending >= 0 && us >= pending)
            {
              double ms = ms_since (pending, us);

              g_array_append_val (latencies, ms);
              pending = -1;
            }
        }
    }
  printf ("trace_inputs=%u\ntrace_frames=%u\n", inputs, frames);
  bench_print_series ("input_to_frame_ms", latencies);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "start") == 0)
    return cmd_start (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "trace") == 0)
    return cmd_trace (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "soak") == 0)
    return bench_soak_main (argc - 1, argv + 1);
  fprintf (stderr, "usage: bench-compare start|trace|soak ... (see bench/compare/README.md)\n");
  return 2;
}
