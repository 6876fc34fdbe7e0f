/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-appointments"

#include <glib/gstdio.h>

#include "hub-harness.h"
#include "kiosk-appointment.h"
#include "kiosk-error.h"
#include "kiosk-release.h"
#include "kiosk-store.h"
#include "kiosk-sync-appointments.h"
#include "kiosk-test-util.h"
#include "queue-test-manifest.h"

/* Appointments end to end through a real hub: staff import a CSV with the
 * CLI, kiosks pull it, residents check in by booking code and by ID card,
 * the tickets are in the appointment lane, the check-in reaches the hub and
 * from there the other kiosks. */

#define ID_NUMBER "11010519491231002X"
#define CARD_KEY_HEX "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static HubHarness *harness;

/* One kiosk: its own store, queue and hub client, with the deployment's card key. */
typedef struct
{
  char *id;
  char *cert, *key;
  char *dir, *db_path;
  KioskClock *clock;
  KioskStore *store;
  KioskBundle *bundle;
  KioskQueue *queue;
  KioskSyncClient *client;
} Kiosk;

static Kiosk *
kiosk_new (const char *id)
{
  const QueueTestManifest spec = QUEUE_TEST_MANIFEST_DEFAULTS;
  g_auto (KioskSyncConfig) config = { 0 };
  g_autoptr (GError) error = NULL;
  KioskQueueSettings settings;
  guint8 key[32];
  Kiosk *k = g_new0 (Kiosk, 1);

  k->id = g_strdup (id);
  hub_harness_enrol (harness, id, &k->cert, &k->key);
  k->dir = hub_harness_mkdir (harness, id);
  k->db_path = g_build_filename (k->dir, "kiosk.db", NULL);
  /* The real clock: the hub sends bookings by its own time. */
  k->clock = kiosk_clock_new_system ("Asia/Shanghai");
  k->store = kiosk_store_open (k->db_path, k->clock, &error);
  g_assert_no_error (error);
  k->bundle = queue_test_bundle (k->dir, &spec);
  queue_test_settings (&settings, 0, 1);
  settings.kiosk_id = id;
  for (guint i = 0; i < 32; i++)
    key[i] = (guint8)g_ascii_strtoull ((char[]){ CARD_KEY_HEX[2 * i], CARD_KEY_HEX[2 * i + 1], 0 }, NULL, 16);
  settings.id_key = g_bytes_new (key, sizeof key);
  k->queue = kiosk_queue_new (k->store, k->bundle, &settings, &error);
  g_assert_no_error (error);
  g_bytes_unref (settings.secret);
  g_bytes_unref (settings.id_key);

  hub_harness_sync_config (harness, k->cert, k->key, &config);
  k->client = kiosk_sync_client_new (k->db_path, k->clock, &config, NULL, &error);
  g_assert_no_error (error);
  return k;
}

static void
kiosk_free (Kiosk *k)
{
  kiosk_sync_client_free (k->client);
  g_assert_finalize_object (k->queue);
  g_assert_finalize_object (k->bundle);
  g_assert_finalize_object (k->store);
  g_assert_finalize_object (k->clock);
  g_free (k->id);
  g_free (k->cert);
  g_free (k->key);
  g_free (k->dir);
  g_free (k->db_path);
  g_free (k);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Kiosk, kiosk_free)

static guint
pull (Kiosk *k)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;

  g_assert_true (kiosk_sync_client_pull_appointments (k->client, &n, &error));
  g_assert_no_error (error);
  return n;
}

static KioskTicket *
check_in_ok (Kiosk *k, KioskCheckIn how, const char *input)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRefusal) refusal = NULL;
  KioskTicket *t = kiosk_appointment_check_in (k->queue, how, input, &refusal, &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  g_assert_cmpint (t->lane, ==, KIOSK_LANE_APPOINTMENT);
  return t;
}

static void
check_in_refused (Kiosk *k, const char *code, KioskRefusalReason reason)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRefusal) refusal = NULL;
  g_autoptr (KioskTicket) t
      = kiosk_appointment_check_in (k->queue, KIOSK_CHECK_IN_CODE, code, &refusal, &error);

  g_assert_null (t);
  g_assert_nonnull (refusal);
  g_assert_cmpstr (kiosk_refusal_reason_to_string (refusal->reason), ==,
                   kiosk_refusal_reason_to_string (reason));
}

/* linli-hub appointments import @csv; its exit status, output in @out and @err. */
static int
import (const char *dir, const char *name, const char *csv, char **out, char **err)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *key_path = g_build_filename (dir, "card.key", NULL);
  const char *argv[] = { harness->hub_bin, "appointments", "import",          path, "--card-key",
                         key_path,         "--db",         harness->conninfo, NULL };
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  g_assert_true (g_file_set_contents (key_path, CARD_KEY_HEX "\n", -1, NULL));
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("import %s: %s%s", name, *out, *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static char *
slot_in (int minutes)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) slot = g_date_time_add_minutes (now, minutes);
  return g_date_time_format (slot, "%Y-%m-%d %H:%M");
}

static void
test_end_to_end (void)
{
  g_autofree char *dir = hub_harness_mkdir (harness, "appointments");
  g_autofree char *soon = slot_in (5), *later = slot_in (180);
  g_autofree char *csv = NULL, *bad = NULL, *cancel = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (Kiosk) a = NULL, b = NULL;
  g_autoptr (KioskTicket) walk_in = NULL, by_code = NULL, by_id = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *notice = NULL;
  gboolean more = FALSE;
  guint n_sent = 0;

  /* Staff import the day's bookings. */
  csv = g_strdup_printf ("code,service,slot,id_number\n"
                         "K7M2-Q9,night-desk,%s,\n"
                         "P3X8AB,night-desk,%s," ID_NUMBER "\n"
                         "LATER1,night-desk,%s,\n",
                         soon, soon, later);
  g_assert_cmpint (import (dir, "day.csv", csv, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "imported 3 bookings"));
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM appointments"), ==, 3);
  /* Neither a code nor an ID number is on the hub in the clear. */
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM appointments a WHERE a::text LIKE "
                                                   "'%K7M2Q9%' OR a::text LIKE '%P3X8AB%' OR a::text LIKE "
                                                   "'%19491231%'"),
                   ==, 0);

  /* A file with one bad row changes nothing, and says which line. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  bad = g_strdup_printf ("code,service,slot\nNEW111,night-desk,%s\nNEW222,night-desk,someday\n", soon);
  g_assert_cmpint (import (dir, "bad.csv", bad, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "line 3: slot \"someday\""));
  g_assert_nonnull (strstr (err, "nothing imported"));
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM appointments"), ==, 3);

  /* Kiosk A pulls them and residents check in: by code and by ID card. */
  a = kiosk_new ("appt-kiosk-a");
  g_assert_cmpuint (pull (a), ==, 3);
  walk_in = kiosk_queue_issue (a->queue, "night-desk", KIOSK_LANE_NORMAL, &error);
  g_assert_no_error (error);
  by_code = check_in_ok (a, KIOSK_CHECK_IN_CODE, "k7m2q9");
  g_assert_cmpstr (by_code->service_id, ==, "night-desk");
  /* The appointment lane goes before the walk-in who came first. */
  g_assert_cmpint (by_code->people_ahead, ==, 0);
  by_id = check_in_ok (a, KIOSK_CHECK_IN_ID_NUMBER, ID_NUMBER);
  g_assert_cmpstr (by_id->service_id, ==, "night-desk");
  check_in_refused (a, "LATER1", KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY);
  check_in_refused (a, "K7M2Q9", KIOSK_REFUSAL_APPOINTMENT_USED);

  /* The check-ins reach the hub with the tickets. */
  g_assert_true (kiosk_sync_client_upload (a->client, &n_sent, &more, &notice, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sent, ==, 3);
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM records WHERE kind = 'ticket'"
                                                   " AND payload ->> 'lane' = 'appointment'"
                                                   " AND kiosk_id = 'appt-kiosk-a'"),
                   ==, 2);
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM appointments a JOIN records r"
                                                   " ON r.uuid = a.ticket_uuid WHERE a.status = 'checked_in'"
                                                   " AND a.checked_in_kiosk = 'appt-kiosk-a'"),
                   ==, 2);

  /* A re-import does not bring a checked-in booking back, and cancels one. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  cancel = g_strdup_printf ("code,service,slot,status\nK7M2Q9,night-desk,%s,booked\nLATER1,night-desk,%s,"
                            "cancelled\n",
                            soon, later);
  g_assert_cmpint (import (dir, "cancel.csv", cancel, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "0 new, 2 updated, 1 of them cancelled"));
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM appointments WHERE status = "
                                                   "'checked_in'"),
                   ==, 2);

  /* Kiosk B in the same hall learns all of it: used codes are refused there,
   * the cancelled one is gone. */
  b = kiosk_new ("appt-kiosk-b");
  g_assert_cmpuint (pull (b), ==, 3);
  check_in_refused (b, "K7M2Q9", KIOSK_REFUSAL_APPOINTMENT_USED);
  check_in_refused (b, "P3X8AB", KIOSK_REFUSAL_APPOINTMENT_USED);
  check_in_refused (b, "LATER1", KIOSK_REFUSAL_APPOINTMENT_UNKNOWN);
  /* And kiosk A, pulling again, gets the changes since its cursor only. */
  g_assert_cmpuint (pull (a), ==, 3);
  check_in_refused (a, "LATER1", KIOSK_REFUSAL_APPOINTMENT_UNKNOWN);
  g_assert_cmpuint (pull (a), ==, 0);
}

/* The list staff read shows codes and ID numbers masked. */
static void
test_list_masked (void)
{
  g_autofree char *dir = hub_harness_mkdir (harness, "list");
  g_autofree char *soon = slot_in (60);
  g_autofree char *csv
      = g_strdup_printf ("code,service,slot,id_number\nMASK77,short,%s," ID_NUMBER "\n", soon);
  g_autofree char *out = NULL, *err = NULL, *listing = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) slot = g_date_time_add_minutes (now, 60);
  g_autofree char *day = g_date_time_format (slot, "%Y-%m-%d");
  const char *argv[] = { harness->hub_bin, "appointments", "list", day, "--db", harness->conninfo, NULL };

  g_assert_cmpint (import (dir, "mask.csv", csv, &out, &err), ==, 0);
  listing = hub_harness_run (argv, FALSE);
  g_test_message ("%s", listing);
  g_assert_nonnull (strstr (listing, "\tshort\t****77\t****002X\tbooked\t-\n"));
  g_assert_null (strstr (listing, "MASK77"));
  g_assert_null (strstr (listing, "19491231"));
}

/* Once content is published, a booking for a service it lacks is refused,
 * with its line, and nothing of the file is stored. */
static void
test_unknown_service (void)
{
  const QueueTestManifest spec = QUEUE_TEST_MANIFEST_DEFAULTS;
  g_autofree char *dir = hub_harness_mkdir (harness, "unknown-service");
  g_autofree char *content = g_build_filename (dir, "content", NULL);
  g_autofree char *key_path = g_build_filename (dir, "publish.key", NULL);
  g_autofree char *public_b64 = NULL, *secret_b64 = NULL, *soon = slot_in (30), *csv = NULL;
  g_autofree char *out = NULL, *err = NULL, *published = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  gint64 before;

  g_assert_cmpint (g_mkdir (content, 0700), ==, 0);
  bundle = queue_test_bundle (content, &spec);
  kiosk_release_keygen (&public_b64, &secret_b64);
  g_assert_true (g_file_set_contents (key_path, secret_b64, -1, NULL));
  {
    const char *argv[] = { harness->hub_bin, "content", "publish",         content, "--key",
                           key_path,         "--db",    harness->conninfo, NULL };
    published = hub_harness_run (argv, FALSE);
  }

  before = hub_harness_query_int (harness, "SELECT count (*) FROM appointments");
  csv = g_strdup_printf ("code,service,slot\nGOOD11,short,%s\nTAXES1,tax-return,%s\n", soon, soon);
  g_assert_cmpint (import (dir, "tax.csv", csv, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "line 3: service \"tax-return\" is not in the published content"));
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM appointments"), ==, before);
}

int
main (int argc, char *argv[])
{
  g_autofree char *why = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_test_skip (why);
      g_print ("1..0 # SKIP %s\n", why);
      return 77;
    }
  hub_harness_start_hub (harness);
  g_test_add_func ("/hub/appointments/end-to-end", test_end_to_end);
  g_test_add_func ("/hub/appointments/list-masked", test_list_masked);
  g_test_add_func ("/hub/appointments/unknown-service", test_unknown_service);
  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
