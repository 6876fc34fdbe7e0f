/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-entry"

#include "config.h"

#include <glib/gstdio.h>
#include <malloc.h>
#include <stdio.h>
#include <sys/vfs.h>

#include "kiosk-entry.h"

/* Door decisions against 100,000 members: latency of kiosk_entry_decide()
 * including its durable write (WAL, synchronous=FULL), and what the members
 * cost in disk and memory. Prints figures; asserts nothing about time.
 *
 *   bench-entry [--members N] [--reads N] [--dir DIR]
 *
 * The directory decides what a commit costs: run it on the kiosk's own disk. */

#define TMPFS_MAGIC 0x01021994

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64)st.st_size : 0;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

static void
print_latency (const char *what, GArray *us)
{
  g_array_sort (us, compare_gint64);
  printf ("%-34s n=%u  median %.3f ms  p99 %.3f ms  max %.3f ms\n", what, us->len,
          g_array_index (us, gint64, us->len / 2) / 1000.0,
          g_array_index (us, gint64, us->len * 99 / 100) / 1000.0,
          g_array_index (us, gint64, us->len - 1) / 1000.0);
}

int
main (int argc, char *argv[])
{
  int n_members = 100000, n_reads = 20000;
  gboolean idle_checkpoint = FALSE;
  g_autofree char *dir_arg = NULL;
  GOptionEntry options[] = {
    { "members", 0, 0, G_OPTION_ARG_INT, &n_members, "members in the list", "N" },
    { "reads", 0, 0, G_OPTION_ARG_INT, &n_reads, "card reads to decide", "N" },
    { "idle-checkpoint", 0, 0, G_OPTION_ARG_NONE, &idle_checkpoint,
      "checkpoint the WAL between reads (untimed) instead of inside a commit", NULL },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_arg,
      "where the database goes (default: a fresh temporary dir)", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— fitness door decision benchmark");
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) ten = g_date_time_new_utc (2026, 11, 25, 2, 0, 0); /* Wednesday 10:00 in Shanghai */
  g_autoptr (KioskClock) clock = kiosk_clock_new_fake (NULL, ten);
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskCredentials) credentials = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (KioskEntry) entry = NULL;
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_member_free);
  g_autoptr (GArray) decide_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) lookup_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) commit_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GQueue) inside = g_queue_new ();
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *content = g_build_filename (SOURCE_ASSETS_DIR, "content", "default", NULL);
  static const char *const prefixes[] = { "88", NULL };
  int reasons[KIOSK_ENTRY_N_REASONS] = { 0 };
  GRand *rand = g_rand_new_with_seed (20261125);
  guint8 key[KIOSK_CARD_KEY_BYTES];
  long rss_start, rss_members, rss_end;
  gint64 t0, db_empty;
  struct statfs fs;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  dir = dir_arg ? g_strdup (dir_arg) : g_dir_make_tmp ("bench-entry-XXXXXX", NULL);
  db = g_build_filename (dir, "bench-entry.db", NULL);
  wal = g_strconcat (db, "-wal", NULL);
  g_unlink (db);
  g_unlink (wal);
  memset (key, 0x33, sizeof key);

  rss_start = rss_kib ();
  store = kiosk_store_open (db, clock, &error);
  bundle = store ? kiosk_bundle_load (content, &error) : NULL;
  if (bundle == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  credentials = kiosk_credentials_new (store, key);
  kiosk_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  db_empty = file_size (db);

  printf ("database: %s (%s; WAL, synchronous=FULL)\n", db,
          statfs (dir, &fs) == 0 && fs.f_type == TMPFS_MAGIC ? "tmpfs: fsync costs nothing here" : "disk");

  /* Members: cards "9" + 9 digits, 70 % workers, 30 % residents. */
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < n_members; i++)
    {
      KioskMember *m = kiosk_member_new ();
      char card[16];

      g_snprintf (card, sizeof card, "9%09d", i);
      kiosk_credentials_hash_card (credentials, card, m->card_hash);
      m->kind = i % 10 < 7 ? KIOSK_MEMBER_WORKER : KIOSK_MEMBER_RESIDENT;
      m->name = g_strdup (i % 2 ? "张三明" : "Wang Fang");
      m->valid_until = i % 50 == 0 ? g_strdup ("2026-06-30") : NULL;
      m->status = i % 100 == 0 ? KIOSK_MEMBER_SUSPENDED : KIOSK_MEMBER_ACTIVE;
      m->group = g_strdup (m->kind == KIOSK_MEMBER_WORKER ? "worker" : "resident");
      g_ptr_array_add (members, m);
    }
  if (!kiosk_credentials_apply (credentials, members, TRUE, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%d members hashed and applied in one transaction: %.0f ms\n", n_members,
          (g_get_monotonic_time () - t0) / 1000.0);
  g_ptr_array_set_size (members, 0);
  kiosk_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  malloc_trim (0); /* count what is kept, not the import's freed buffers */
  rss_members = rss_kib ();
  printf (
      "members on disk: %.1f MiB (%.0f bytes a member); RSS %ld → %ld KiB (+%.1f MiB, includes SQLite's page "
      "cache)\n",
      (file_size (db) - db_empty) / 1048576.0, (double)(file_size (db) - db_empty) / n_members, rss_start,
      rss_members, (rss_members - rss_start) / 1024.0);

  if (idle_checkpoint)
    kiosk_store_exec (store, "PRAGMA wal_autocheckpoint = 0", NULL);
  entry = kiosk_entry_new (credentials, bundle, kiosk_badge_rules_new (prefixes, NULL, 10, "worker", NULL),
                           &error);
  if (entry == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* The floor: a bare durable commit of one small row on this disk. */
  for (int i = 0; i < 2000; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (!kiosk_store_begin (store, &error)
          || !kiosk_store_exec (store, "INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', 'x')",
                                &error)
          || !kiosk_store_commit (store, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_array_append_vals (commit_us, &(gint64){ g_get_monotonic_time () - start }, 1);
    }

  /* Reads: 70 % members, 15 % rule badges, 10 % unknown, 5 % misreads; one
   * every 0.2 s of fake time. When the room is nearly full the longest
   * inside leaves through the exit reader (not timed), so it fills and
   * empties. */
  for (int i = 0; i < n_reads; i++)
    {
      g_autoptr (KioskEntryDecision) d = NULL;
      char card[16], hash[KIOSK_CARD_HASH_LEN + 1];
      int pick = g_rand_int_range (rand, 0, 100);
      gint64 start;

      if (pick < 70)
        g_snprintf (card, sizeof card, "9%09d", g_rand_int_range (rand, 0, n_members));
      else if (pick < 85)
        g_snprintf (card, sizeof card, "88%08d", g_rand_int_range (rand, 0, 100000000));
      else if (pick < 95)
        g_snprintf (card, sizeof card, "77%08d", g_rand_int_range (rand, 0, 100000000));
      else
        g_snprintf (card, sizeof card, "?%d", i);

      start = g_get_monotonic_time ();
      d = kiosk_entry_decide (entry, card, &error);
      g_array_append_vals (decide_us, &(gint64){ g_get_monotonic_time () - start }, 1);
      if (d == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      reasons[d->reason]++;
      if (d->granted)
        g_queue_push_tail (inside, g_strdup (card));
      if (d->occupancy >= kiosk_entry_get_rules (entry)->capacity - 2 && !g_queue_is_empty (inside))
        {
          g_autofree char *leaving = g_queue_pop_head (inside);
          g_autoptr (KioskEntryDecision) out = kiosk_entry_record_exit (entry, leaving, NULL);
        }

      /* The read-only part, for comparison: hash and look up. */
      start = g_get_monotonic_time ();
      if (kiosk_credentials_hash_card (credentials, card, hash))
        {
          g_autoptr (KioskMember) m = kiosk_credentials_lookup (credentials, hash, NULL);
        }
      g_array_append_vals (lookup_us, &(gint64){ g_get_monotonic_time () - start }, 1);

      if (idle_checkpoint && i % 500 == 499)
        kiosk_store_exec (store, "PRAGMA wal_checkpoint(PASSIVE)", NULL);
      kiosk_clock_advance (clock, 200 * G_TIME_SPAN_MILLISECOND);
    }
  malloc_trim (0);
  rss_end = rss_kib ();

  print_latency ("decide (incl. durable write):", decide_us);
  print_latency ("hash + lookup only:", lookup_us);
  print_latency ("bare durable commit (the floor):", commit_us);
  printf ("goal: p99 <= 1 ms for decide\n");
  printf ("outcomes:");
  for (int r = 0; r < KIOSK_ENTRY_N_REASONS; r++)
    if (reasons[r] > 0)
      printf (" %s=%d", kiosk_entry_reason_to_code (r), reasons[r]);
  printf ("\n");
  printf ("after %d reads: database %.1f MiB + WAL %.1f MiB; RSS %ld KiB (+%.1f MiB since start)\n", n_reads,
          file_size (db) / 1048576.0, file_size (wal) / 1048576.0, rss_end, (rss_end - rss_start) / 1024.0);

  g_rand_free (rand);
  g_queue_free_full (g_steal_pointer (&inside), g_free);
  g_clear_object (&entry);
  g_clear_object (&credentials);
  g_clear_object (&store);
  if (dir_arg == NULL)
    {
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);
      g_unlink (db);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return 0;
}
