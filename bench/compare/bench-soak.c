/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-compare"

/* bench-compare soak: badge taps and tickets through a running
 * linli-kiosk --demo, by its demo input path on the session bus
 * (org.linli.Kiosk.Demo, ui/kiosk-demo-bus.h), memory of the whole process
 * tree and the size of its state folder sampled throughout, growth printed.
 *
 *   bench-compare soak --fb FILE [--taps N] [--tickets N] [--sample-every N]
 *                      [--warm N] [--frame-every N] [--look-every N] [--state-dir DIR] -- linli-kiosk --demo ...
 *
 * Tickets are spread evenly among the taps, as in a day. Each input waits
 * for its answer: a tap for the reply to CardRead (the decision made and the
 * answer put on screen) and, every --frame-every taps, for the frame that
 * shows it; a ticket for TakeTicket, which answers once the person's taps are
 * done, the slip has printed and the home screen is back (every --look-every
 * tickets with a frame of each screen between the taps). So the kiosk is
 * never fed faster than it answers. Prints figures; asserts nothing. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "bench-compare.h"
#include "bench-fb.h"
#include "bench-proc.h"

/* How many members tap in turn (bench/soak/soak-content.py makes them), and
 * every how many taps a card nobody enrolled comes along. */
#define BADGES 20000
#define FIRST_BADGE 3000000000u
#define STRANGER_EVERY 10
#define BUS_NAME "org.linli.Kiosk"
#define OBJECT_PATH "/org/linli/Kiosk"
#define DEMO_INTERFACE "org.linli.Kiosk.Demo"
/* Calls that fail one after another: the kiosk is gone or stuck. */
#define MAX_FAILURES_IN_A_ROW 20

typedef struct
{
  guint inputs;
  guint taps;
  guint tickets;
  double elapsed_s;
  BenchMem mem;
  guint64 state_kb;
  guint files;
} Sample;

typedef struct
{
  GDBusConnection *bus;
  const char *state_dir;
  pid_t pid;
  gint64 start;
  GArray *samples;
  GHashTable *tap_outcomes;    /* "granted: Welcome" → count */
  GHashTable *ticket_outcomes; /* "printed" → count */
  GArray *tap_ms;
  GArray *frame_ms;
  GArray *ticket_ms;
  GArray *look_ms;
  guint failures;
  guint failures_in_a_row;
  guint taps;
  guint tickets;
} Soak;

/* Disk used under @path (st_blocks, as du counts) and the files there. */
static void
disk_usage (const char *path, guint64 *bytes, guint *files)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      struct stat st;

      if (lstat (child, &st) != 0)
        continue;
      *bytes += (guint64)st.st_blocks * 512;
      if (S_ISDIR (st.st_mode))
        disk_usage (child, bytes, files);
      else
        (*files)++;
    }
}

static void
take_sample (Soak *soak)
{
  Sample s = { soak->taps + soak->tickets, soak->taps, soak->tickets,
               (double)(g_get_monotonic_time () - soak->start) / G_USEC_PER_SEC };
  guint64 bytes = 0;

  bench_proc_memory (&s.mem);
  if (soak->state_dir != NULL)
    disk_usage (soak->state_dir, &bytes, &s.files);
  s.state_kb = bytes / 1024;
  g_array_append_val (soak->samples, s);
  printf ("sample inputs=%u taps=%u tickets=%u elapsed_s=%.1f processes=%u rss_kb=%" G_GUINT64_FORMAT
          " pss_kb=%" G_GUINT64_FORMAT " uss_kb=%" G_GUINT64_FORMAT " anon_kb=%" G_GUINT64_FORMAT
          " state_kb=%" G_GUINT64_FORMAT " state_files=%u\n",
          s.inputs, s.taps, s.tickets, s.elapsed_s, s.mem.processes, s.mem.rss_kb, s.mem.pss_kb, s.mem.uss_kb,
          s.mem.anon_kb, s.state_kb, s.files);
  fflush (stdout);
}

static void
count (GHashTable *outcomes, const char *what)
{
  gpointer n = g_hash_table_lookup (outcomes, what);

  g_hash_table_insert (outcomes, g_strdup (what), GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
}

static GVariant *
call (Soak *soak, const char *method, GVariant *parameters, const char *reply_type, int timeout_ms)
{
  g_autoptr (GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (soak->bus, BUS_NAME, OBJECT_PATH, DEMO_INTERFACE, method,
                                                 parameters, G_VARIANT_TYPE (reply_type),
                                                 G_DBUS_CALL_FLAGS_NO_AUTO_START, timeout_ms, NULL, &error);

  if (reply != NULL)
    {
      soak->failures_in_a_row = 0;
      return reply;
    }
  /* The first few say what goes wrong; the count says how often. */
  if (soak->failures++ < 10)
    fprintf (stderr, "bench-compare soak: %s: %s\n", method, error->message);
  soak->failures_in_a_row++;
  return NULL;
}

static double
ms_since (gint64 since_us)
{
  return (double)(g_get_monotonic_time () - since_us) / 1000.0;
}

static void
tap (Soak *soak, guint i, gboolean wait_frame)
{
  char number[16];
  gint64 sent = g_get_monotonic_time ();
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) frame = NULL;

  /* Ten digits, as an EM4100 reader gives them; now and then a stranger's. */
  if (i % STRANGER_EVERY == 0)
    g_snprintf (number, sizeof number, "%010u", FIRST_BADGE + 1000000000u + i);
  else
    g_snprintf (number, sizeof number, "%010u", FIRST_BADGE + i % BADGES);
  reply = call (soak, "CardRead", g_variant_new ("(s)", number), "(bs)", 10000);
  soak->taps++;
  if (reply == NULL)
    return;
  {
    double ms = ms_since (sent);
    gboolean granted;
    const char *title;
    g_autofree char *what = NULL;

    g_array_append_val (soak->tap_ms, ms);
    g_variant_get (reply, "(b&s)", &granted, &title);
    what
        = g_strdup_printf ("%s: %s", granted ? "granted" : "refused", *title != '\0' ? title : "(no answer)");
    count (soak->tap_outcomes, what);
  }
  if (wait_frame && (frame = call (soak, "Frame", NULL, "()", 10000)) != NULL)
    {
      double ms = ms_since (sent);

      g_array_append_val (soak->frame_ms, ms);
    }
}

static void
take_ticket (Soak *soak, guint turn, gboolean look)
{
  gint64 sent = g_get_monotonic_time ();
  g_autoptr (GVariant) reply = call (soak, "TakeTicket", g_variant_new ("(ub)", turn, look), "(sss)", 60000);
  const char *service, *label, *print;
  double ms;

  soak->tickets++;
  if (reply == NULL)
    return;
  ms = ms_since (sent);
  g_array_append_val (look ? soak->look_ms : soak->ticket_ms, ms);
  g_variant_get (reply, "(&s&s&s)", &service, &label, &print);
  count (soak->ticket_outcomes, print);
}

static void
print_outcomes (const char *key, GHashTable *outcomes)
{
  GHashTableIter iter;
  gpointer what, n;

  g_hash_table_iter_init (&iter, outcomes);
  while (g_hash_table_iter_next (&iter, &what, &n))
    printf ("%s=%u %s\n", key, GPOINTER_TO_UINT (n), (const char *)what);
}

#define GROWTH(name, field)                                                                                  \
  printf (name "_start_kb=%" G_GUINT64_FORMAT "\n" name "_warm_kb=%" G_GUINT64_FORMAT "\n" name              \
               "_end_kb=%" G_GUINT64_FORMAT "\n" name "_max_kb=%" G_GUINT64_FORMAT "\n" name                 \
               "_growth_after_warm_kb=%" G_GINT64_FORMAT "\n",                                               \
          first->field, warm->field, last->field, max.field, (gint64)last->field - (gint64)warm->field)

/* Start, after the warm-up (the first sample at or past @warm inputs), end. */
static void
print_growth (GArray *samples, guint warm_inputs)
{
  const Sample *first, *warm = NULL, *last;
  Sample max = { 0 };

  if (samples->len < 2)
    return;
  first = &g_array_index (samples, Sample, 0);
  last = &g_array_index (samples, Sample, samples->len - 1);
  for (guint i = 0; i < samples->len; i++)
    {
      const Sample *s = &g_array_index (samples, Sample, i);

      if (warm == NULL && s->inputs >= warm_inputs)
        warm = s;
      max.mem.rss_kb = MAX (max.mem.rss_kb, s->mem.rss_kb);
      max.mem.pss_kb = MAX (max.mem.pss_kb, s->mem.pss_kb);
      max.mem.uss_kb = MAX (max.mem.uss_kb, s->mem.uss_kb);
      max.mem.anon_kb = MAX (max.mem.anon_kb, s->mem.anon_kb);
      max.state_kb = MAX (max.state_kb, s->state_kb);
    }
  if (warm == NULL)
    warm = last;
  printf ("warm_inputs=%u\n", warm->inputs);
  GROWTH ("rss", mem.rss_kb);
  GROWTH ("pss", mem.pss_kb);
  GROWTH ("uss", mem.uss_kb);
  GROWTH ("anon", mem.anon_kb);
  GROWTH ("state", state_kb);
  printf ("state_files_start=%u\nstate_files_end=%u\n", first->files, last->files);
}

static gboolean
kiosk_alive (Soak *soak)
{
  int status;

  return waitpid (soak->pid, &status, WNOHANG) == 0;
}

int
bench_soak_main (int argc, char **argv)
{
  g_autofree char *fb_path = NULL;
  g_autofree char *state_dir = NULL;
  int taps = 100000, tickets = 10000, sample_every = 1000, warm = 1000, frame_every = 10, look_every = 20;
  GOptionEntry entries[] = {
    { "fb", 0, 0, G_OPTION_ARG_FILENAME, &fb_path, "Xvfb's framebuffer file", "FILE" },
    { "taps", 0, 0, G_OPTION_ARG_INT, &taps, "Badge taps (100000)", "N" },
    { "tickets", 0, 0, G_OPTION_ARG_INT, &tickets, "Tickets (10000)", "N" },
    { "sample-every", 0, 0, G_OPTION_ARG_INT, &sample_every, "Memory sample every N inputs (1000)", "N" },
    { "warm", 0, 0, G_OPTION_ARG_INT, &warm, "Growth counted from after N inputs (1000)", "N" },
    { "frame-every", 0, 0, G_OPTION_ARG_INT, &frame_every,
      "Wait for the painted answer every N taps (10; 0: never)", "N" },
    { "look-every", 0, 0, G_OPTION_ARG_INT, &look_every,
      "Every N tickets, a frame of each screen between the taps (20; 0: never)", "N" },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "The kiosk's state folder, to size", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("-- COMMAND [ARG...]");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autoptr (GArray) tap_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) ticket_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) look_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GHashTable) tap_outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) ticket_outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GVariant) ready = NULL;
  Soak soak = { 0 };
  guint given_tickets = 0;
  BenchFb fb;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || fb_path == NULL || argc < 2
      || sample_every <= 0 || taps < 0 || tickets < 0 || frame_every < 0 || look_every < 0)
    {
      fprintf (stderr, "bench-compare soak: %s\n",
               error != NULL ? error->message : "needs --fb FILE and -- COMMAND");
      return 2;
    }
  if (!bench_fb_open (&fb, fb_path, &error)
      || (bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error)) == NULL)
    {
      fprintf (stderr, "bench-compare: %s\n", error->message);
      return 1;
    }

  soak = (Soak){ .bus = bus,
                 .state_dir = state_dir,
                 .pid = -1,
                 .start = g_get_monotonic_time (),
                 .samples = samples,
                 .tap_outcomes = tap_outcomes,
                 .ticket_outcomes = ticket_outcomes,
                 .tap_ms = tap_ms,
                 .frame_ms = frame_ms,
                 .ticket_ms = ticket_ms,
                 .look_ms = look_ms };
  soak.pid = bench_spawn (argv + (g_strcmp0 (argv[1], "--") == 0 ? 2 : 1), &error);
  if (soak.pid < 0 || bench_wait_home (&fb, soak.start, 300, 60000) < 0
      || (ready = call (&soak, "Frame", NULL, "()", 10000)) == NULL)
    {
      fprintf (stderr, "bench-compare: %s\n",
               soak.pid < 0 ? error->message
                            : "no home screen within 60 s, or no " DEMO_INTERFACE " on the bus (--demo?)");
      bench_proc_kill_all (3000);
      bench_fb_close (&fb);
      return 1;
    }
  soak.failures = 0;
  take_sample (&soak);

  for (guint i = 1; i <= (guint)taps || given_tickets < (guint)tickets; i++)
    {
      /* A ticket whenever the share of tickets due by this tap goes up. */
      guint due
          = taps > 0 ? (guint)((guint64)MIN (i, (guint)taps) * (guint)tickets / (guint)taps) : (guint)tickets;

      if (i <= (guint)taps)
        {
          tap (&soak, i, frame_every > 0 && i % (guint)frame_every == 0);
          if ((soak.taps + soak.tickets) % (guint)sample_every == 0
              || soak.taps + soak.tickets == (guint)warm)
            take_sample (&soak);
        }
      while (given_tickets < due)
        {
          take_ticket (&soak, given_tickets, look_every > 0 && given_tickets % (guint)look_every == 0);
          given_tickets++;
          if ((soak.taps + soak.tickets) % (guint)sample_every == 0
              || soak.taps + soak.tickets == (guint)warm)
            take_sample (&soak);
        }
      if (soak.failures_in_a_row >= MAX_FAILURES_IN_A_ROW || !kiosk_alive (&soak))
        {
          fprintf (stderr, "bench-compare soak: the kiosk %s; stopping\n",
                   kiosk_alive (&soak) ? "stopped answering" : "exited");
          printf ("stopped_early=1\n");
          break;
        }
    }
  if ((soak.taps + soak.tickets) % (guint)sample_every != 0)
    take_sample (&soak);

  printf ("taps=%u\ntickets=%u\nfailed_calls=%u\nelapsed_s=%.1f\n", soak.taps, soak.tickets, soak.failures,
          (double)(g_get_monotonic_time () - soak.start) / G_USEC_PER_SEC);
  print_outcomes ("tap_outcome", tap_outcomes);
  print_outcomes ("ticket_outcome", ticket_outcomes);
  bench_print_series ("tap_answer_ms", tap_ms);
  bench_print_series ("tap_frame_ms", frame_ms);
  bench_print_series ("ticket_ms", ticket_ms);
  bench_print_series ("ticket_look_ms", look_ms);
  print_growth (samples, (guint)warm);
  bench_proc_kill_all (3000);
  bench_fb_close (&fb);
  return 0;
}
