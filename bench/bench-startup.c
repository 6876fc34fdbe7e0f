/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-startup"

/* Cold start of the kiosk: a fresh linli-kiosk process per run, from spawn to
 * the first painted frame of the home screen (the frame clock's after-paint
 * after mapping), and its resident memory then, on an existing database (a
 * restart after a power cut). Prints figures, asserts nothing.
 *   bench-startup [-n N] [--content DIR] PATH-TO-linli-kiosk
 * Needs a display: xvfb-run -a meson test --benchmark. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values, double p)
{
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, (guint)(p * (values->len - 1) + 0.5));
}

/* One start; FALSE when the kiosk did not report a first frame. */
static gboolean
run_once (const char *exe, const char *content, const char *size, const char *state, double *spawn_ms,
          double *inside_ms, double *rss_kb, GError **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[]
      = { exe, "--startup-report", "--size", size, "--state-dir", state, "--content", content, NULL };
  const char *line;
  gint64 start;
  int status = 0;
  long rss = -1;

  start = g_get_monotonic_time ();
  /* The kiosk quits right after reporting, so the exit follows the frame by
   * a few milliseconds (teardown); the kiosk's own figure has none of it. */
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, error))
    return FALSE;
  *spawn_ms = (g_get_monotonic_time () - start) / 1000.0;

  line = out != NULL ? strstr (out, "first_frame_ms=") : NULL;
  if (!g_spawn_check_wait_status (status, error) || line == NULL
      || sscanf (line, "first_frame_ms=%lf rss_kb=%ld", inside_ms, &rss) != 2)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no report from %s: %s", exe, err ? err : "");
      return FALSE;
    }
  *rss_kb = (double)rss;
  return TRUE;
}

int
main (int argc, char *argv[])
{
  int n = 7;
  g_autofree char *content = NULL;
  GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &n, "Starts to time", "N" },
    { "content", 0, 0, G_OPTION_ARG_FILENAME, &content, "Content bundle", "DIR" },
    { NULL },
  };
  static const char *const sizes[] = { "1080x1920", "1920x1080" };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("PATH-TO-linli-kiosk - cold start benchmark");
  g_autoptr (GError) error = NULL;
  g_autofree char *state = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2 || n < 1)
    {
      g_printerr ("%s\n", error ? error->message : "usage: bench-startup [-n N] [--content DIR] PATH");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("bench-startup: no display, nothing measured (run under xvfb-run -a)\n");
      return 0;
    }
  if (content == NULL)
    content = g_build_filename (g_getenv ("KIOSK_SOURCE_ROOT") ? g_getenv ("KIOSK_SOURCE_ROOT") : ".",
                                "assets", "content", "default", NULL);

  state = g_dir_make_tmp ("bench-startup-XXXXXX", &error);
  if (state == NULL)
    {
      g_printerr ("bench-startup: %s\n", error->message);
      return 1;
    }
  printf ("renderer: %s\n", g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "GTK's default");
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr (GArray) spawn = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) inside = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));

      /* Run 0 creates the database and is not counted: a kiosk restarts
       * onto the database it already has. */
      for (int i = s == 0 ? -1 : 0; i < n; i++)
        {
          double a, b, c;

          if (!run_once (argv[1], content, sizes[s], state, &a, &b, &c, &error))
            {
              g_printerr ("bench-startup: %s\n", error->message);
              return 1;
            }
          if (i < 0)
            continue;
          g_array_append_val (spawn, a);
          g_array_append_val (inside, b);
          g_array_append_val (rss, c);
        }
      printf ("startup %s, %d runs:\n", sizes[s], n);
      printf ("  exec to first frame and exit  median %7.1f ms   p99 %7.1f ms\n", percentile (spawn, 0.5),
              percentile (spawn, 0.99));
      printf ("  app object to first frame     median %7.1f ms   p99 %7.1f ms\n", percentile (inside, 0.5),
              percentile (inside, 0.99));
      printf ("  RSS at first frame            median %7.1f MiB  max %7.1f MiB\n",
              percentile (rss, 0.5) / 1024.0, percentile (rss, 1.0) / 1024.0);
    }
  return 0;
}
