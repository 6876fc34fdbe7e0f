/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-network"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk-app-calls.h"
#include "kiosk-app-network.h"
#include "kiosk-application.h"
#include "kiosk-bundle.h"
#include "kiosk-credentials.h"
#include "kiosk-error.h"

#define NETWORK_KEY "kiosk-app-network"
/* systemd-timesyncd's flag files: the folder says timesyncd runs, the file
 * that the clock has been set from the network. */
#define TIMESYNC_DIR "/run/systemd/timesync"
#define TIMESYNC_FLAG TIMESYNC_DIR "/synchronized"
/* A certificate check with a clock at 1970 fails; but a kiosk whose NTP never
 * answers must still sync, so the wait is bounded. */
#define TIMESYNC_WAIT_SECONDS 90

typedef struct
{
  guint8 key[KIOSK_CARD_KEY_BYTES];
  GTimeZone *tz;
} MembersContext;

typedef struct
{
  /* Owned */
  KioskSync *sync;
  KioskUpdater *updater;
  KioskContent *content; /* the application's */

  guint timesync_id;
  guint waited_seconds;
  gulong bundle_id;
  gulong release_id;
  gulong sync_now_id;
  guint tick_id;
} Network;

/* The updater's stop marker, written from the SIGTERM/SIGINT handler itself:
 * cage gets the same SIGTERM from systemd and, gone, takes the display with
 * it, after which GDK exits before the main loop sees the signal. The
 * handlers GLib installed for g_unix_signal_add() are chained. Only a live
 * main loop's stop is clean: after the watchdog has killed cage for a hung
 * UI, systemd's SIGTERM to the hung kiosk must not write the marker, so the
 * loop stamps the time every second and the handler checks it. */
#define LOOP_STALE_SECONDS 5
static char stop_marker[4096];
static struct sigaction chained_term, chained_int;
static volatile sig_atomic_t loop_tick_s;

static int
monotonic_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now); /* async-signal-safe */
  return (int)now.tv_sec;
}

static gboolean
on_loop_tick (gpointer user_data)
{
  loop_tick_s = monotonic_seconds ();
  return G_SOURCE_CONTINUE;
}

static void
on_stop_signal (int signum, siginfo_t *info, void *context)
{
  const struct sigaction *next = signum == SIGINT ? &chained_int : &chained_term;
  int saved_errno = errno;

  if (monotonic_seconds () - loop_tick_s <= LOOP_STALE_SECONDS)
    {
      int fd = open (stop_marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

      if (fd >= 0)
        close (fd);
    }
  errno = saved_errno;
  if (next->sa_flags & SA_SIGINFO)
    next->sa_sigaction (signum, info, context);
  else if (next->sa_handler != SIG_IGN && next->sa_handler != SIG_DFL)
    next->sa_handler (signum);
  else if (next->sa_handler == SIG_DFL)
    {
      sigaction (signum, next, NULL);
      raise (signum);
    }
}

static void
watch_stop_signals (Network *n)
{
  struct sigaction action = { 0 };
  KioskUpdater *updater = n->updater;

  loop_tick_s = monotonic_seconds ();
  n->tick_id = g_timeout_add_seconds (1, on_loop_tick, NULL);
  if (g_strlcpy (stop_marker, kiosk_updater_get_stop_marker (updater), sizeof stop_marker)
      >= sizeof stop_marker)
    return;
  action.sa_sigaction = on_stop_signal;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset (&action.sa_mask);
  sigaction (SIGTERM, &action, &chained_term);
  sigaction (SIGINT, &action, &chained_int);
}

static void
members_context_free (gpointer data)
{
  MembersContext *ctx = data;

  sodium_memzero (ctx->key, sizeof ctx->key);
  g_time_zone_unref (ctx->tz);
  g_free (ctx);
}

static void
network_free (gpointer data)
{
  Network *n = data;

  g_clear_handle_id (&n->timesync_id, g_source_remove);
  g_clear_handle_id (&n->tick_id, g_source_remove);
  if (n->updater != NULL)
    {
      g_clear_signal_handler (&n->bundle_id, kiosk_updater_get_content (n->updater));
      g_clear_signal_handler (&n->release_id, n->updater);
      kiosk_updater_stop (n->updater);
    }
  if (n->sync != NULL)
    {
      g_clear_signal_handler (&n->sync_now_id, n->sync);
      kiosk_sync_stop (n->sync);
    }
  g_clear_object (&n->updater);
  g_clear_object (&n->sync);
  g_clear_object (&n->content);
  g_free (n);
}

static char *
local_date (gint64 us, GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = utc ? g_date_time_to_timezone (utc, tz) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d") : NULL;
}

gboolean
kiosk_app_network_members_from_sync (GPtrArray *rows, GTimeZone *tz, GPtrArray *out, GError **error)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const KioskSyncMember *row = g_ptr_array_index (rows, i);
      g_autoptr (KioskMember) member = kiosk_member_new ();
      gboolean ok;

      ok = row->card_hash != NULL && strlen (row->card_hash) == KIOSK_CARD_HASH_LEN
           && kiosk_member_kind_from_string (row->kind, &member->kind);
      if (ok && g_strcmp0 (row->status, "deleted") == 0)
        member->status = KIOSK_MEMBER_REMOVED;
      else
        ok = ok && kiosk_member_status_from_string (row->status, &member->status);
      if (!ok)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                       "会员数据无效 / Invalid member from the hub: row %u (seq %" G_GINT64_FORMAT ")", i,
                       row->seq);
          return FALSE;
        }
      memcpy (member->card_hash, row->card_hash, KIOSK_CARD_HASH_LEN + 1);
      member->name = g_strdup (row->name ? row->name : "");
      member->group = g_strdup (row->group ? row->group : "");
      member->valid_from = row->valid_from_us > 0 ? local_date (row->valid_from_us, tz) : NULL;
      member->valid_until = row->valid_until_us > 0 ? local_date (row->valid_until_us, tz) : NULL;
      g_ptr_array_add (out, g_steal_pointer (&member));
    }
  return TRUE;
}

/* The sync thread, with its own store: one page in one transaction. */
static gboolean
apply_members (KioskStore *store, GPtrArray *rows, gpointer user_data, GError **error)
{
  MembersContext *ctx = user_data;
  g_autoptr (KioskCredentials) credentials = kiosk_credentials_new (store, ctx->key);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_member_free);

  return kiosk_app_network_members_from_sync (rows, ctx->tz, members, error)
         && kiosk_credentials_apply (credentials, members, FALSE, error);
}

static void
on_bundle (KioskContent *updater_content, GParamSpec *pspec, gpointer user_data)
{
  Network *n = user_data;

  /* The screens are bound to the application's content: swap it in the
   * same main-loop turn, so no frame shows anything but a whole bundle. */
  kiosk_content_swap (n->content, kiosk_content_get_bundle (updater_content));
}

static void
on_release (KioskUpdater *updater, GParamSpec *pspec, gpointer user_data)
{
  Network *n = user_data;
  g_autofree char *release
      = g_strdup_printf ("%" G_GINT64_FORMAT, kiosk_updater_get_current_release (updater));

  if (n->sync != NULL)
    kiosk_sync_set_versions (n->sync, PACKAGE_VERSION, release);
}

static void
on_sync_now (KioskSync *sync, gpointer user_data)
{
  Network *n = user_data;

  kiosk_sync_wake (sync);
  if (n->updater != NULL)
    kiosk_updater_sync_now (n->updater);
}

static void
start_workers (Network *n)
{
  if (n->sync != NULL)
    kiosk_sync_start (n->sync);
  if (n->updater != NULL)
    kiosk_updater_start (n->updater);
}

static gboolean
on_timesync_tick (gpointer user_data)
{
  Network *n = user_data;

  if (g_file_test (TIMESYNC_FLAG, G_FILE_TEST_EXISTS))
    g_message ("System clock synchronised; connecting to the hub");
  else if (++n->waited_seconds < TIMESYNC_WAIT_SECONDS)
    return G_SOURCE_CONTINUE;
  else
    g_message ("System clock still not synchronised after %u s; connecting to the hub anyway",
               TIMESYNC_WAIT_SECONDS);
  n->timesync_id = 0;
  start_workers (n);
  return G_SOURCE_REMOVE;
}

static KioskSync *
make_sync (KioskConfig *config, KioskClock *clock, KioskStore *store)
{
  g_auto (KioskSyncConfig) sync_config = { 0 };
  const char *key_file = kiosk_config_get_string (config, "fitness", "card_key_file");
  g_autoptr (GError) error = NULL;
  MembersContext *ctx = g_new0 (MembersContext, 1);
  KioskSync *sync;

  kiosk_sync_config_init (&sync_config);
  sync_config.hub_url = g_strdup (kiosk_config_get_string (config, "hub", "url"));
  sync_config.ca_file = g_strdup (kiosk_config_get_string (config, "hub", "ca_file"));
  sync_config.cert_file = g_strdup (kiosk_config_get_string (config, "hub", "cert_file"));
  sync_config.key_file = g_strdup (kiosk_config_get_string (config, "hub", "key_file"));
  sync_config.batch_size = (guint)kiosk_config_get_int (config, "hub", "batch_size");
  sync_config.connect_timeout_ms
      = (guint)kiosk_config_get_int (config, "hub", "connect_timeout_seconds") * 1000;
  sync_config.total_timeout_ms = (guint)kiosk_config_get_int (config, "hub", "timeout_seconds") * 1000;
  sync_config.backoff_max_ms = (guint)kiosk_config_get_int (config, "hub", "backoff_max_seconds") * 1000;
  sync_config.heartbeat_interval_ms = (guint)kiosk_config_get_int (config, "hub", "heartbeat_seconds") * 1000;
  sync_config.calls_interval_ms = (guint)kiosk_config_get_int (config, "hub", "calls_seconds") * 1000;
  sync = kiosk_sync_new (kiosk_store_get_path (store), clock, &sync_config);

  /* Members need the deployment's card key; without it the list is not
   * pulled (the kiosk can still upload and take content). */
  if (kiosk_card_key_load (key_file, ctx->key, &error))
    {
      ctx->tz = g_time_zone_ref (kiosk_clock_get_time_zone (clock));
      kiosk_sync_set_members_func (sync, apply_members, ctx, members_context_free);
      /* Bookings too: their hashes are under the same key (kiosk-queue-setup.c). */
      kiosk_sync_set_appointments (sync, TRUE);
    }
  else
    {
      g_message ("Card key %s: %s; the member list and the bookings are not pulled", key_file,
                 error->message);
      g_free (ctx);
    }
  return sync;
}

void
kiosk_app_network_setup (GApplication *app, KioskConfig *config, KioskClock *clock, KioskStore *store,
                         KioskContent *content)
{
  const char *url = kiosk_config_get_string (config, "hub", "url");
  KioskUpdaterOptions options;
  g_autoptr (GError) error = NULL;
  Network *n;

  if (url == NULL || *url == '\0' || store == NULL)
    return;

  n = g_new0 (Network, 1);
  n->sync = make_sync (config, clock, store);
  n->sync_now_id = g_signal_connect (n->sync, "sync-now", G_CALLBACK (on_sync_now), n);
  /* The counters' calls: real service times for the estimates, "now serving" at home. */
  if (KIOSK_IS_APPLICATION (app) && kiosk_application_get_queue (KIOSK_APPLICATION (app)) != NULL
      && content != NULL)
    kiosk_app_calls_setup (n->sync, kiosk_application_get_queue (KIOSK_APPLICATION (app)), content);

  kiosk_updater_options_from_config (&options, config);
  n->updater = kiosk_updater_new (store, &options, &error);
  if (n->updater == NULL)
    g_message ("Content updates off: %s", error->message);
  else if (content != NULL)
    {
      KioskContent *updater_content = kiosk_updater_get_content (n->updater);

      n->content = g_object_ref (content);
      /* A release downloaded before this start is in force, not the packaged bundle. */
      if (kiosk_updater_get_current_release (n->updater) > 0)
        kiosk_content_swap (content, kiosk_content_get_bundle (updater_content));
      n->bundle_id = g_signal_connect (updater_content, "notify::bundle", G_CALLBACK (on_bundle), n);
      n->release_id = g_signal_connect (n->updater, "notify::current-release", G_CALLBACK (on_release), n);
      on_release (n->updater, NULL, n);
      watch_stop_signals (n);
    }
  g_object_set_data_full (G_OBJECT (app), NETWORK_KEY, n, network_free);

  if (g_file_test (TIMESYNC_DIR, G_FILE_TEST_IS_DIR) && !g_file_test (TIMESYNC_FLAG, G_FILE_TEST_EXISTS))
    {
      g_message ("Waiting up to %u s for the system clock to synchronise before connecting to the hub",
                 TIMESYNC_WAIT_SECONDS);
      n->timesync_id = g_timeout_add_seconds (1, on_timesync_tick, n);
    }
  else
    start_workers (n);
}

void
kiosk_app_network_shown (GApplication *app)
{
  Network *n = g_object_get_data (G_OBJECT (app), NETWORK_KEY);

  if (n != NULL && n->updater != NULL)
    kiosk_updater_shown (n->updater);
}

void
kiosk_app_network_clean_stop (GApplication *app)
{
  Network *n = g_object_get_data (G_OBJECT (app), NETWORK_KEY);

  if (n != NULL && n->updater != NULL)
    kiosk_updater_record_clean_stop (n->updater);
}

void
kiosk_app_network_teardown (GApplication *app)
{
  kiosk_app_network_clean_stop (app);
  g_object_set_data (G_OBJECT (app), NETWORK_KEY, NULL);
}

KioskSync *
kiosk_app_network_get_sync (GApplication *app)
{
  Network *n = g_object_get_data (G_OBJECT (app), NETWORK_KEY);
  return n ? n->sync : NULL;
}

KioskUpdater *
kiosk_app_network_get_updater (GApplication *app)
{
  Network *n = g_object_get_data (G_OBJECT (app), NETWORK_KEY);
  return n ? n->updater : NULL;
}

gboolean
kiosk_app_network_get_waiting_for_time (GApplication *app)
{
  Network *n = g_object_get_data (G_OBJECT (app), NETWORK_KEY);
  return n != NULL && n->timesync_id != 0;
}
