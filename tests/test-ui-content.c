/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-content"

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

#include "hub-harness.h"
#include "kiosk-app-network.h"
#include "kiosk-application.h"
#include "kiosk-release.h"
#include "kiosk-sync.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-updater.h"
#include "kiosk-window.h"

/* A content release from staff, end to end and on screen: linli-hub content
 * publish against the real hub and PostgreSQL, the whole application polling
 * it with its client certificate, and every frame the window paints checked
 * while the new release goes live: the home screen's four tiles are in each
 * one, before, during and after the swap. A release signed with a key the
 * kiosk does not trust is refused, and the screen stays as it was. */

#define NEW_TITLE "12月1日起社保业务移至二楼"
#define BAD_TITLE "这条通知不应出现"

/* The tile colours of ui/style.css, as in bench/compare/bench-fb.c. */
static const guint32 tile_rgb[] = { 0xc62828, 0x2e7d32, 0x1565c0, 0x6a1b9a };
/* Each tile colour covers at least this share of a frame (per mille). */
#define TILE_MIN_PERMILLE 50

static HubHarness *harness;

typedef struct
{
  char *dir;
  char *cert, *key;
  char *key_path;       /* the centre's publishing key */
  char *other_key_path; /* a key the kiosk does not trust */
  KioskApplication *app;
  KioskWindow *window;
  GPtrArray *argv;

  /* Frames, counted from the window's after-paint */
  gboolean watching;
  guint frames;
  guint blank_frames;
  guint off_home_frames;
  guint new_frames; /* frames that show NEW_TITLE */
  guint first_new;  /* the number of the first of them */
  guint bad_frames; /* frames that show BAD_TITLE */
  guint tick_id;
  gulong paint_id;
  char *shot_dir;
  gboolean saved_first_new;
  guint poll_seconds; /* 0: the default of kiosk.conf (30) */
} Fixture;

/* ── The published bundle ─────────────────────────────────────────────── */

/* The packaged bundle with one more announcement at the top (no dates, so
 * it is in force whatever day the test runs). */
static char *
make_bundle (Fixture *f, const char *title)
{
  g_autofree char *manifest_path = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *manifest = NULL, *out = NULL, *notice = NULL;
  g_autofree char *name = g_strdup_printf ("src-%08x", g_random_int ());
  char *dir = g_build_filename (f->dir, name, NULL);
  g_autoptr (GString) text = NULL;

  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  text = g_string_new (manifest);
  g_assert_cmpuint (g_string_replace (text, "\"release\": 1,", "\"release\": 100,", 1), ==, 1);
  notice = g_strdup_printf ("\"announcements\": [\n    {\"id\": \"news-%08x\", \"title\": {\"zh\": \"%s\", "
                            "\"en\": \"News\"}, \"body\": {\"zh\": \"%s\", \"en\": \"News.\"}},",
                            g_random_int (), title, title);
  g_assert_cmpuint (g_string_replace (text, "\"announcements\": [", notice, 1), ==, 1);
  out = g_build_filename (dir, "manifest.json", NULL);
  g_assert_true (g_file_set_contents (out, text->str, -1, NULL));
  return dir;
}

static void
publish (Fixture *f, const char *title, const char *key_path)
{
  g_autofree char *dir = make_bundle (f, title);
  const char *argv[]
      = { harness->hub_bin, "content", "publish", dir, "--db", harness->conninfo, "--key", key_path, NULL };
  g_autofree char *out = hub_harness_run (argv, FALSE);

  g_assert_true (g_str_has_prefix (out, "published release "));
  kiosk_test_remove_tree (dir);
}

/* ── Frames ───────────────────────────────────────────────────────────── */

static gboolean
label_is (GtkWidget *widget, gpointer text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
shows (Fixture *f, const char *text)
{
  return kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_is, (gpointer)text) != NULL;
}

/* What the window shows now, drawn as the renderer draws it. */
static GdkTexture *
render_window (Fixture *f)
{
  GtkWidget *widget = GTK_WIDGET (f->window);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* The condition of the side-by-side benchmark: each tile colour covers its
 * share of the frame (every 4th pixel each way). */
static gboolean
home_complete (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  gsize stride = (gsize)width * 4;
  g_autofree guchar *pixels = g_malloc (stride * (gsize)height);
  guint counts[G_N_ELEMENTS (tile_rgb)] = { 0 };
  guint samples = 0;

  /* GDK_MEMORY_DEFAULT: B, G, R, A in memory on little-endian machines. */
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y += 4)
    for (int x = 0; x < width; x += 4)
      {
        const guchar *p = pixels + (gsize)y * stride + (gsize)x * 4;
        guint32 rgb = ((guint32)p[2] << 16) | ((guint32)p[1] << 8) | p[0];

        samples++;
        for (gsize i = 0; i < G_N_ELEMENTS (tile_rgb); i++)
          if (rgb == tile_rgb[i])
            counts[i]++;
      }
  for (gsize i = 0; i < G_N_ELEMENTS (tile_rgb); i++)
    if ((guint64)counts[i] * 1000 < (guint64)samples * TILE_MIN_PERMILLE)
      return FALSE;
  return TRUE;
}

static void
save_frame (Fixture *f, GdkTexture *texture, const char *name)
{
  g_autofree char *path = NULL;

  if (f->shot_dir == NULL)
    return;
  path = g_build_filename (f->shot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s", path);
}

static void
on_after_paint (GdkFrameClock *clock, Fixture *f)
{
  g_autoptr (GdkTexture) texture = NULL;
  gboolean shows_new;

  if (!f->watching)
    return;
  texture = render_window (f);
  f->frames++;
  if (texture == NULL || !home_complete (texture))
    {
      f->blank_frames++;
      if (texture != NULL)
        save_frame (f, texture, "content-swap-blank.png");
    }
  if (g_strcmp0 (kiosk_window_get_screen (f->window), "home") != 0)
    f->off_home_frames++;
  shows_new = shows (f, NEW_TITLE);
  if (shows_new && f->new_frames++ == 0)
    f->first_new = f->frames;
  if (shows (f, BAD_TITLE))
    f->bad_frames++;
  if (texture == NULL)
    return;
  if (f->frames == 1)
    save_frame (f, texture, "content-swap-1-before.png");
  if (shows_new && !f->saved_first_new)
    {
      f->saved_first_new = TRUE;
      save_frame (f, texture, "content-swap-2-after.png");
    }
}

/* A frame every vsync, so no frame of the swap goes unseen. */
static gboolean
keep_painting (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
}

/* ── Fixture ──────────────────────────────────────────────────────────── */

static void
write_key (const char *path, char **public_b64)
{
  g_autofree char *secret_b64 = NULL;

  kiosk_release_keygen (public_b64, &secret_b64);
  g_assert_true (g_file_set_contents (path, secret_b64, -1, NULL));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *public_b64 = NULL, *other_public = NULL;
  g_autofree char *config = NULL, *config_path = NULL, *poll = NULL;

  f->dir = hub_harness_mkdir (harness, "ui-content");
  hub_harness_enrol (harness, "ui-content-1", &f->cert, &f->key);
  hub_harness_exec (harness, "TRUNCATE content_release_files, content_releases, content_files");
  f->key_path = g_build_filename (f->dir, "publish.key", NULL);
  f->other_key_path = g_build_filename (f->dir, "other.key", NULL);
  write_key (f->key_path, &public_b64);
  write_key (f->other_key_path, &other_public);
  f->poll_seconds = GPOINTER_TO_UINT (data);
  f->shot_dir = f->poll_seconds > 0 ? g_strdup (g_getenv ("KIOSK_SCREENSHOT_DIR")) : NULL;

  /* What a technician writes into /etc/linli-kiosk/kiosk.conf. */
  poll = f->poll_seconds > 0 ? g_strdup_printf ("poll_seconds = %u\n", f->poll_seconds) : g_strdup ("");
  config = g_strdup_printf ("[kiosk]\nid = ui-content-1\nsecret_file = %s/kiosk.key\n"
                            "[hub]\nurl = %s\nca_file = %s\ncert_file = %s\nkey_file = %s\n"
                            "connect_timeout_seconds = 5\ntimeout_seconds = 10\nbackoff_max_seconds = 1\n"
                            "[content]\nreleases_dir = %s/releases\npublic_keys = %s\n%s"
                            "[fitness]\ncard_key_file = %s/card.key\n"
                            /* The real clock: at night the screen would be black. */
                            "[display]\nblank_when_closed = false\n",
                            f->dir, harness->url, harness->ca_cert, f->cert, f->key, f->dir, public_b64, poll,
                            f->dir);
  config_path = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));

  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = kiosk_ui_test_argv (config_path, f->dir, NULL, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->app);
  g_ptr_array_unref (f->argv);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->cert);
  g_free (f->key);
  g_free (f->key_path);
  g_free (f->other_key_path);
  g_free (f->shot_dir);
}

/* ── The test ─────────────────────────────────────────────────────────── */

static KioskUpdater *
updater_of (Fixture *f)
{
  KioskUpdater *updater = kiosk_app_network_get_updater (G_APPLICATION (f->app));

  g_assert_nonnull (updater);
  return updater;
}

static void
live_swap (Fixture *f)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  gint64 t0, deadline;
  double seconds;

  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "home");
  g_assert_false (shows (f, NEW_TITLE));
  /* The check itself tells an empty frame from a full one. */
  {
    g_autofree guchar *pixels = g_malloc (16 * 16 * 4);
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GdkTexture) empty = NULL;

    memset (pixels, 0xee, 16 * 16 * 4);
    bytes = g_bytes_new_take (g_steal_pointer (&pixels), 16 * 16 * 4);
    empty = gdk_memory_texture_new (16, 16, GDK_MEMORY_DEFAULT, bytes, 16 * 4);
    g_assert_false (home_complete (empty));
  }
  f->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), f);
  /* Every vsync with the short poll; with the default one, the frames the
   * kiosk paints anyway over half a minute (the swap's among them). */
  if (f->poll_seconds > 0)
    f->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (f->window), keep_painting, NULL, NULL);
  f->watching = TRUE;
  run_for (500);
  if (f->poll_seconds > 0)
    g_assert_cmpuint (f->frames, >, 0);

  /* Staff publish from the office, after the kiosk's first look at the hub
   * (so the default poll makes it wait its full interval); the issue's
   * promise: on screen within a minute. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((kiosk_updater_get_last_check (updater_of (f)) == NULL
          || kiosk_sync_get_last_success (kiosk_app_network_get_sync (G_APPLICATION (f->app))) == 0)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (kiosk_updater_get_last_check (updater_of (f)));
  /* A new kiosk's first heartbeat asks it to sync at once; let that pass. */
  run_for (2000);
  publish (f, NEW_TITLE, f->key_path);
  t0 = g_get_monotonic_time ();
  deadline = t0 + 60 * G_USEC_PER_SEC;
  while (f->new_frames == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  seconds = (double)(g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  g_assert_cmpuint (f->new_frames, >, 0);
  g_test_message ("publish → first frame showing the new release: %.2f s (poll_seconds = %u)", seconds,
                  f->poll_seconds > 0 ? f->poll_seconds : 30);
  run_for (500);
  if (f->poll_seconds == 0)
    {
      f->watching = FALSE;
      g_assert_cmpuint (f->blank_frames, ==, 0);
      g_assert_cmpuint (f->new_frames, ==, f->frames - f->first_new + 1);
      g_clear_signal_handler (&f->paint_id, clock);
      return;
    }

  /* A release signed by a key the kiosk does not trust: refused, the last
   * good one stays on screen. */
  publish (f, BAD_TITLE, f->other_key_path);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (kiosk_updater_get_last_error (updater_of (f)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (kiosk_updater_get_last_error (updater_of (f)));
  g_test_message ("refused: %s", kiosk_updater_get_last_error (updater_of (f)));
  run_for (1500);
  f->watching = FALSE;

  g_test_message ("%u frames checked: %u without the four tiles, %u off the home screen, %u with the new "
                  "release",
                  f->frames, f->blank_frames, f->off_home_frames, f->new_frames);
  g_assert_cmpuint (f->blank_frames, ==, 0);
  g_assert_cmpuint (f->off_home_frames, ==, 0);
  g_assert_cmpuint (f->bad_frames, ==, 0);
  g_assert_true (shows (f, NEW_TITLE));
  /* Every frame from the first new one on shows it: no flicker back. */
  g_assert_cmpuint (f->new_frames, ==, f->frames - f->first_new + 1);

  gtk_widget_remove_tick_callback (GTK_WIDGET (f->window), f->tick_id);
  g_clear_signal_handler (&f->paint_id, clock);
}

static void
on_activated (KioskApplication *app, Fixture *f)
{
  f->window = KIOSK_WINDOW (kiosk_application_get_kiosk_window (app));
  kiosk_ui_test_wait_mapped (GTK_WIDGET (f->window));
  run_for (300);

  live_swap (f);

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  kiosk_ui_test_iterate ();
  g_application_quit (G_APPLICATION (app));
}

static void
test_live_swap (Fixture *f, gconstpointer data)
{
  g_signal_connect_after (f->app, "activate", G_CALLBACK (on_activated), f);
  g_assert_cmpint (g_application_run (G_APPLICATION (f->app), (int)f->argv->len - 1, (char **)f->argv->pdata),
                   ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autofree char *why = NULL;
  int status;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run\n");
      return 0;
    }
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      printf ("1..0 # SKIP %s\n", why);
      return 0;
    }
  hub_harness_start_hub (harness);

  g_test_add ("/kiosk/ui/content/live-swap-no-blank-frame", Fixture, GUINT_TO_POINTER (1), fixture_setup,
              test_live_swap, fixture_teardown);
  g_test_add ("/kiosk/ui/content/default-poll-within-a-minute", Fixture, GUINT_TO_POINTER (0), fixture_setup,
              test_live_swap, fixture_teardown);
  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
