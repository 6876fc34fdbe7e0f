/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-cli"

#include "hub-harness.h"
#include "kiosk-credentials.h"
#include "kiosk-store.h"
#include "kiosk-test-util.h"

/* linli-hub's set-up commands that replace SQL: counters add, members import. */

#define CARD_KEY_HEX "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static HubHarness *harness;

/* Runs linli-hub with @args (NULL-terminated) and --db; its exit status. */
static int
hub (char **out, char **err, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list ap;
  int status = 0;

  g_ptr_array_add (argv, harness->hub_bin);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, harness->conninfo);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s %s: %s%s", (char *)argv->pdata[1], (char *)argv->pdata[2], *out, *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_counters_add (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (hub (&out, &err, "counters", "add", "7", "--name-zh", "7号窗口", "--name-en", "Counter 7",
                        "--services", "residence-permit, si-card", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "counter 7 added"));
  g_assert_cmpint (hub_harness_query_int (harness,
                                          "SELECT count (*) FROM counters WHERE id = '7' AND name_zh ="
                                          " '7号窗口' AND services = ARRAY['residence-permit','si-card']"),
                   ==, 1);

  /* Again: the same desk, renamed; its calling state is kept. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  hub_harness_exec (harness, "UPDATE counters SET priority_run = 1 WHERE id = '7'");
  g_assert_cmpint (hub (&out, &err, "counters", "add", "7", "--name-zh", "七号窗口", "--name-en", "Desk 7",
                        "--services", "si-card", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "counter 7 updated"));
  g_assert_cmpint (hub_harness_query_int (harness,
                                          "SELECT count (*) FROM counters WHERE id = '7' AND name_en ="
                                          " 'Desk 7' AND priority_run = 1"),
                   ==, 1);

  /* Refused before the database is touched, with the option named. */
  {
    static const struct
    {
      const char *id, *zh, *en, *services, *why;
    } bad[] = {
      { "7/x", "窗口", "Desk", "si-card", "counter id" },
      { "8", "", "Desk", "si-card", "--name-zh" },
      { "8", "窗口", "Desk", "", "--services" },
      { "8", "窗口", "Desk", "si card", "--services" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *o = NULL, *e = NULL;
        g_assert_cmpint (hub (&o, &e, "counters", "add", bad[i].id, "--name-zh", bad[i].zh, "--name-en",
                              bad[i].en, "--services", bad[i].services, NULL),
                         ==, 2);
        g_assert_nonnull (strstr (e, bad[i].why));
      }
  }
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM counters WHERE id <> '7'"), ==, 0);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hub (&out, &err, "counters", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "7\t七号窗口\tDesk 7\tsi-card\n"));
}

typedef struct
{
  guint active, deleted;
} Seen;

static gboolean
count_members (KioskStore *store, GPtrArray *rows, gpointer user_data, GError **error)
{
  Seen *seen = user_data;

  for (guint i = 0; i < rows->len; i++)
    {
      const KioskSyncMember *m = rows->pdata[i];
      if (g_str_equal (m->status, "deleted"))
        seen->deleted++;
      else
        seen->active++;
    }
  return TRUE;
}

static void
test_members_import (void)
{
  g_autofree char *dir = hub_harness_mkdir (harness, "members");
  g_autofree char *key_path = g_build_filename (dir, "card.key", NULL);
  g_autofree char *list = g_build_filename (dir, "members.csv", NULL);
  g_autofree char *out = NULL, *err = NULL, *cert = NULL, *key_file = NULL, *db_path = NULL, *expected = NULL;
  g_autoptr (KioskClock) clock = kiosk_clock_new_system (NULL);
  g_autoptr (KioskStore) scratch = NULL;
  g_autoptr (KioskCredentials) credentials = NULL;
  g_autoptr (KioskSyncClient) client = NULL;
  g_auto (KioskSyncConfig) config = { 0 };
  g_autoptr (GError) error = NULL;
  char hash[KIOSK_CARD_HASH_LEN + 1];
  guint8 key[KIOSK_CARD_KEY_BYTES];
  gint64 seq;
  Seen seen = { 0 };
  guint n = 0;

  g_assert_true (g_file_set_contents (key_path, CARD_KEY_HEX "\n", -1, NULL));
  g_assert_true (g_file_set_contents (list,
                                      "card,kind,name,valid_from,valid_until,status,group\n"
                                      "0012345678,worker,张三明,,,active,worker\n"
                                      "0087654321,resident,李秀英,2026-01-01,2030-12-31,,resident\n"
                                      "0033334444,resident,赵丽,,,suspended,resident\n",
                                      -1, NULL));
  g_assert_cmpint (hub (&out, &err, "members", "import", list, "--card-key", key_path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "imported 3 members"));
  g_assert_nonnull (strstr (out, "3 new, 0 changed, 0 removed"));

  /* The hub holds the kiosks' hash of the card, never the number. */
  g_assert_true (kiosk_card_key_load (key_path, key, &error));
  db_path = g_build_filename (dir, "scratch.db", NULL);
  scratch = kiosk_store_open (db_path, clock, &error);
  g_assert_no_error (error);
  credentials = kiosk_credentials_new (scratch, key);
  g_assert_true (kiosk_credentials_hash_card (credentials, "0012345678", hash));
  expected
      = g_strdup_printf ("SELECT count (*) FROM members WHERE card_hash = '%s' AND name = '张三明'", hash);
  g_assert_cmpint (hub_harness_query_int (harness, expected), ==, 1);
  g_assert_cmpint (
      hub_harness_query_int (harness, "SELECT count (*) FROM members m WHERE m::text LIKE '%0012345678%'"),
      ==, 0);

  /* A bad line: nothing changes, and the line is named. */
  seq = hub_harness_query_int (harness, "SELECT max (change_seq) FROM members");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (list,
                                      "card,kind,name,valid_from,valid_until,status,group\n"
                                      "0012345678,worker,张三明,,,active,worker\n"
                                      "0087654321,visitor,李秀英,,,,resident\n",
                                      -1, NULL));
  g_assert_cmpint (hub (&out, &err, "members", "import", list, "--card-key", key_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "line 3"));
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT max (change_seq) FROM members"), ==, seq);

  /* The whole list: one renamed, one dropped (removed from every kiosk), one unchanged (no new seq). */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (list,
                                      "card,kind,name,valid_from,valid_until,status,group\n"
                                      "0012345678,worker,张三明,,,active,worker\n"
                                      "0087654321,resident,李秀英华,2026-01-01,2030-12-31,,resident\n",
                                      -1, NULL));
  g_assert_cmpint (hub (&out, &err, "members", "import", list, "--card-key", key_path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "0 new, 1 changed, 1 removed"));
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM members WHERE status = 'deleted'"),
                   ==, 1);

  /* A kiosk pulls the list: two members and one removal. */
  hub_harness_enrol (harness, "cli-kiosk", &cert, &key_file);
  hub_harness_sync_config (harness, cert, key_file, &config);
  g_clear_pointer (&db_path, g_free);
  db_path = g_build_filename (dir, "kiosk.db", NULL);
  client = kiosk_sync_client_new (db_path, clock, &config, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_sync_client_pull_members (client, count_members, &seen, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.active, ==, 2);
  g_assert_cmpuint (seen.deleted, ==, 1);
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
  g_test_add_func ("/hub/cli/counters-add", test_counters_add);
  g_test_add_func ("/hub/cli/members-import", test_members_import);
  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
