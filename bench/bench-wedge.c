/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-wedge"

#include "kiosk-wedge.h"

#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Keyboard-wedge decoding: throughput of the pure decoder, and the latency
 * from the last key event (Enter) to the delivered read through a main loop.
 * A pipe stands in for the evdev node (no uinput on build machines); the
 * kernel's evdev path adds its own wake-up on top. Prints figures, asserts
 * nothing about time. */

#define N_READS 20000
#define N_RUNS 5
#define N_LATENCY 1000

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64)ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
cmp_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

static gint64
percentile (GArray *values, double p)
{
  g_array_sort (values, cmp_gint64);
  return g_array_index (values, gint64, (guint)((values->len - 1) * p));
}

static void
push (GArray *events, gint64 t_us, guint type, guint code, int value)
{
  struct input_event ev = { 0 };

  ev.input_event_sec = t_us / G_USEC_PER_SEC;
  ev.input_event_usec = t_us % G_USEC_PER_SEC;
  ev.type = type;
  ev.code = code;
  ev.value = value;
  g_array_append_val (events, ev);
}

/* One EM4100 card as a reader types it: MSC_SCAN, press, SYN, release, SYN a key. */
static void
type_card (GArray *events, guint number, gint64 *t_us)
{
  static const guint digits[] = { KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9 };
  char text[16];

  g_snprintf (text, sizeof text, "%010u", number);
  for (int i = 0; i <= 10; i++)
    {
      guint code = i < 10 ? digits[text[i] - '0'] : KEY_ENTER;

      push (events, *t_us, EV_MSC, MSC_SCAN, 0x70000 + code);
      push (events, *t_us, EV_KEY, code, 1);
      push (events, *t_us, EV_SYN, SYN_REPORT, 0);
      push (events, *t_us + 2000, EV_KEY, code, 0);
      push (events, *t_us + 2000, EV_SYN, SYN_REPORT, 0);
      *t_us += 8000;
    }
  *t_us += 200000;
}

static void
bench_throughput (void)
{
  g_autoptr (GArray) events = g_array_new (FALSE, FALSE, sizeof (struct input_event));
  g_autoptr (GArray) ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) feed_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 t = G_USEC_PER_SEC;
  gint64 median;

  for (guint i = 0; i < N_READS; i++)
    type_card (events, 1000000 + i * 7919, &t);

  for (int run = 0; run < N_RUNS; run++)
    {
      g_autoptr (KioskWedge) wedge = kiosk_wedge_new (NULL);
      gint64 start = now_ns ();
      guint reads = 0;

      for (guint i = 0; i < events->len; i++)
        {
          const struct input_event *ev = &g_array_index (events, struct input_event, i);
          gint64 before = ev->code == KEY_ENTER && ev->value == 1 ? now_ns () : 0;
          KioskCardRead *read = kiosk_wedge_feed (wedge, ev);

          if (read != NULL)
            {
              gint64 d = now_ns () - before;
              if (run == 0)
                g_array_append_val (feed_ns, d);
              reads++;
              kiosk_card_read_free (read);
            }
        }
      {
        gint64 d = now_ns () - start;
        g_array_append_val (ns, d);
      }
      g_assert_cmpuint (reads, ==, N_READS);
    }

  median = percentile (ns, 0.5);
  printf ("decode: %u events, %u reads per run, %d runs\n", events->len, N_READS, N_RUNS);
  printf ("  throughput (median run): %.2f M events/s, %.0f k reads/s\n", events->len / (median / 1e9) / 1e6,
          N_READS / (median / 1e9) / 1e3);
  printf ("  Enter event → read returned (decode + classify): median %.2f µs, p99 %.2f µs\n",
          percentile (feed_ns, 0.5) / 1e3, percentile (feed_ns, 0.99) / 1e3);
}

typedef struct
{
  KioskWedge *wedge;
  GArray *latency_us;
  GMainLoop *loop;
} LatencyState;

static gboolean
pipe_cb (int fd, GIOCondition condition, gpointer user_data)
{
  LatencyState *state = user_data;
  struct input_event evs[64];
  ssize_t n = read (fd, evs, sizeof evs);

  if (n <= 0)
    {
      g_main_loop_quit (state->loop);
      return G_SOURCE_REMOVE;
    }
  for (ssize_t i = 0; i < n / (ssize_t)sizeof evs[0]; i++)
    {
      KioskCardRead *read = kiosk_wedge_feed (state->wedge, &evs[i]);

      if (read != NULL)
        {
          gint64 d = g_get_monotonic_time () - read->time_us;
          g_array_append_val (state->latency_us, d);
          kiosk_card_read_free (read);
        }
    }
  return G_SOURCE_CONTINUE;
}

/* Writes cards into the pipe, each key stamped with the time it is written,
 * as the kernel stamps evdev events. */
static gpointer
writer_thread (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  static const guint digits[] = { KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9 };

  for (guint card = 0; card < N_LATENCY; card++)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%010u", 3000000 + card);
      for (int i = 0; i <= 10; i++)
        {
          g_autoptr (GArray) evs = g_array_new (FALSE, FALSE, sizeof (struct input_event));
          guint code = i < 10 ? digits[text[i] - '0'] : KEY_ENTER;
          gint64 t = g_get_monotonic_time ();

          push (evs, t, EV_KEY, code, 1);
          push (evs, t, EV_SYN, SYN_REPORT, 0);
          push (evs, t, EV_KEY, code, 0);
          push (evs, t, EV_SYN, SYN_REPORT, 0);
          if (write (fd, evs->data, evs->len * sizeof (struct input_event)) < 0)
            g_error ("write: %s", g_strerror (errno));
          g_usleep (200);
        }
      g_usleep (1000);
    }
  close (fd);
  return NULL;
}

static void
bench_latency (void)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (KioskWedge) wedge = kiosk_wedge_new (NULL);
  g_autoptr (GArray) latency = g_array_new (FALSE, FALSE, sizeof (gint64));
  LatencyState state = { wedge, latency, loop };
  GThread *writer;
  int fds[2];

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, NULL))
    g_error ("pipe");
  g_unix_fd_add (fds[0], G_IO_IN | G_IO_HUP, pipe_cb, &state);
  writer = g_thread_new ("writer", writer_thread, GINT_TO_POINTER (fds[1]));
  g_main_loop_run (loop);
  g_thread_join (writer);
  close (fds[0]);

  printf ("last key event → read delivered in the main loop (pipe, %u reads): median %" G_GINT64_FORMAT
          " µs, p99 %" G_GINT64_FORMAT " µs\n",
          latency->len, percentile (latency, 0.5), percentile (latency, 0.99));
}

int
main (int argc, char *argv[])
{
  bench_throughput ();
  bench_latency ();
  return 0;
}
