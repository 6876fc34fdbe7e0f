/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-compare"

/* bench-compare soak: badge taps and tickets through a running kiosk, the
 * way a person and a reader give them (XTEST keys and clicks), memory of the
 * whole process tree sampled throughout, the growth printed at the end.
 *
 *   bench-compare soak --fb FILE [--taps N] [--tickets N --ticket-clicks "X,Y X,Y ..."]
 *                      [--sample-every N] -- linli-kiosk --demo ...
 *
 * A tap is a badge number typed as digits and Return, which linli-kiosk --demo
 * takes as a card read. The next tap waits for the screen to change (or for
 * --answer-timeout-ms), so the kiosk is never flooded faster than it answers. */

#include <stdio.h>
#include <string.h>

#include "bench-compare.h"
#include "bench-fb.h"
#include "bench-input.h"
#include "bench-proc.h"

/* How many distinct badges tap in turn: a big park's worth of members. */
#define BADGES 20000

typedef struct
{
  guint taps;
  guint tickets;
  double elapsed_s;
  BenchMem mem;
} Sample;

static void
take_sample (GArray *samples, guint taps, guint tickets, gint64 start)
{
  Sample s = { taps, tickets, (double)(g_get_monotonic_time () - start) / G_USEC_PER_SEC, { 0 } };

  bench_proc_memory (&s.mem);
  g_array_append_val (samples, s);
  printf ("sample taps=%u tickets=%u elapsed_s=%.1f processes=%u rss_kb=%" G_GUINT64_FORMAT
          " pss_kb=%" G_GUINT64_FORMAT "\n",
          s.taps, s.tickets, s.elapsed_s, s.mem.processes, s.mem.rss_kb, s.mem.pss_kb);
  fflush (stdout);
}

static gboolean
parse_clicks (const char *text, GArray *points, GError **error)
{
  g_auto (GStrv) parts = g_strsplit_set (text != NULL ? text : "", " ;", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      int xy[2];

      if (*parts[i] == '\0')
        continue;
      if (sscanf (parts[i], "%d,%d", &xy[0], &xy[1]) != 2)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--ticket-clicks: '%s' is not X,Y",
                       parts[i]);
          return FALSE;
        }
      g_array_append_vals (points, xy, 2);
    }
  return TRUE;
}

static void
print_growth (GArray *samples)
{
  const Sample *first, *warm, *last;

  if (samples->len < 2)
    return;
  first = &g_array_index (samples, Sample, 0);
  /* After a tenth of the run every cache and pool has filled once. */
  warm = &g_array_index (samples, Sample, MIN (samples->len - 1, MAX (1u, samples->len / 10)));
  last = &g_array_index (samples, Sample, samples->len - 1);
  printf ("pss_start_kb=%" G_GUINT64_FORMAT "\npss_warm_kb=%" G_GUINT64_FORMAT
          "\npss_end_kb=%" G_GUINT64_FORMAT "\n",
          first->mem.pss_kb, warm->mem.pss_kb, last->mem.pss_kb);
  printf ("pss_growth_kb=%" G_GINT64_FORMAT "\npss_growth_after_warm_kb=%" G_GINT64_FORMAT "\n",
          (gint64)last->mem.pss_kb - (gint64)first->mem.pss_kb,
          (gint64)last->mem.pss_kb - (gint64)warm->mem.pss_kb);
  printf ("rss_growth_kb=%" G_GINT64_FORMAT "\n", (gint64)last->mem.rss_kb - (gint64)first->mem.rss_kb);
}

int
bench_soak_main (int argc, char **argv)
{
  g_autofree char *fb_path = NULL;
  g_autofree char *ticket_clicks = NULL;
  int taps = 100000, tickets = 10000, sample_every = 1000, answer_timeout_ms = 1000;
  GOptionEntry entries[] = {
    { "fb", 0, 0, G_OPTION_ARG_FILENAME, &fb_path, "Xvfb's framebuffer file", "FILE" },
    { "taps", 0, 0, G_OPTION_ARG_INT, &taps, "Badge taps (100000)", "N" },
    { "tickets", 0, 0, G_OPTION_ARG_INT, &tickets, "Tickets (10000)", "N" },
    { "ticket-clicks", 0, 0, G_OPTION_ARG_STRING, &ticket_clicks,
      "The clicks that take one ticket and return home", "\"X,Y X,Y ...\"" },
    { "sample-every", 0, 0, G_OPTION_ARG_INT, &sample_every, "Memory sample every N taps or tickets (1000)",
      "N" },
    { "answer-timeout-ms", 0, 0, G_OPTION_ARG_INT, &answer_timeout_ms,
      "Go on when the screen has not changed after MS (1000)", "MS" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("-- COMMAND [ARG...]");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) points = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autoptr (GArray) tap_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (BenchInput) input = NULL;
  guint unanswered = 0;
  BenchFb fb;
  gint64 start;
  pid_t pid;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || fb_path == NULL || argc < 2
      || !parse_clicks (ticket_clicks, points, &error) || sample_every <= 0)
    {
      fprintf (stderr, "bench-compare soak: %s\n",
               error != NULL ? error->message : "needs --fb FILE and -- COMMAND");
      return 2;
    }
  if (tickets > 0 && points->len == 0)
    {
      fprintf (stderr, "bench-compare soak: --tickets needs --ticket-clicks, the clicks that take one ticket "
                       "on this kiosk's screens (or --tickets 0)\n");
      return 2;
    }
  if (!bench_fb_open (&fb, fb_path, &error) || (input = bench_input_open (&error)) == NULL)
    {
      fprintf (stderr, "bench-compare: %s\n", error->message);
      bench_fb_close (&fb);
      return 1;
    }

  start = g_get_monotonic_time ();
  pid = bench_spawn (argv + (g_strcmp0 (argv[1], "--") == 0 ? 2 : 1), &error);
  if (pid < 0 || bench_wait_home (&fb, start, 300, 60000) < 0)
    {
      fprintf (stderr, "bench-compare: %s\n", pid < 0 ? error->message : "no home screen within 60 s");
      bench_proc_kill_all (3000);
      bench_fb_close (&fb);
      return 1;
    }
  /* Keys go to the window under the pointer: the middle of the screen. */
  bench_input_move (input, fb.width / 2, fb.height / 2);
  take_sample (samples, 0, 0, start);

  for (int i = 1; i <= taps; i++)
    {
      char number[32];
      guint64 hash = bench_fb_hash (&fb, 0);
      gint64 sent = g_get_monotonic_time ();
      gint64 answer;

      /* Ten digits, as an EM4100 badge reader types them. */
      g_snprintf (number, sizeof number, "%010u\n", 3000000000u + (guint)(i % BADGES));
      if (!bench_input_type (input, number, &error))
        {
          fprintf (stderr, "bench-compare: %s\n", error->message);
          break;
        }
      answer = bench_wait_answer (&fb, hash, sent, 0, (guint)answer_timeout_ms);
      if (answer < 0)
        unanswered++;
      else
        {
          double ms = (double)(answer - sent) / 1000.0;

          g_array_append_val (tap_ms, ms);
        }
      if (i % sample_every == 0 || i == taps)
        take_sample (samples, (guint)i, 0, start);
    }

  for (int t = 1; t <= tickets; t++)
    {
      for (guint c = 0; c + 1 < points->len; c += 2)
        {
          guint64 hash = bench_fb_hash (&fb, 0);
          gint64 sent = g_get_monotonic_time ();

          bench_input_click (input, g_array_index (points, int, c), g_array_index (points, int, c + 1));
          if (bench_wait_answer (&fb, hash, sent, 30, (guint)answer_timeout_ms) < 0)
            unanswered++;
        }
      if (t % sample_every == 0 || t == tickets)
        take_sample (samples, (guint)taps, (guint)t, start);
    }

  printf ("taps=%d\ntickets=%d\nunanswered=%u\n", taps, tickets, unanswered);
  bench_print_series ("tap_to_frame_ms", tap_ms);
  print_growth (samples);
  bench_proc_kill_all (3000);
  bench_fb_close (&fb);
  return 0;
}
