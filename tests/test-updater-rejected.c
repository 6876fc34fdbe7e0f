/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-updater"

/* KioskUpdater refusing bad releases from the stand-in hub
 * (updater-test-hub.h): tampered, truncated, unknown key, a path outside the
 * release, a replay, a bundle that does not load, a release for another
 * kiosk, one too large, and a full disk (a real tmpfs). Each leaves the last
 * good release in force. */

#include <errno.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kiosk-test-util.h"
#include "updater-test-hub.h"

static gboolean can_mount; /* this process has its own mount namespace */

/* Ways a release 3 on the hub can be bad. Each must leave release 2 in force. */

static void
spoil_file (Fixture *f, gint64 n, const char *contents)
{
  g_autofree char *news
      = g_strdup_printf ("第 %" G_GINT64_FORMAT " 版 / Release %" G_GINT64_FORMAT "\n", n, n);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, news, -1);
  g_autofree char *path = g_build_filename (f->hub, "files", sha, NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
spoil_tampered (Fixture *f)
{
  publish (f, 3);
  spoil_file (f, 3, "第 9 版 / Release 9\n"); /* same length, other bytes */
}

static void
spoil_truncated (Fixture *f)
{
  publish (f, 3);
  spoil_file (f, 3, "第 3 版");
}

static void
spoil_unknown_key (Fixture *f)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];

  crypto_sign_keypair (pk, sk);
  publish_full (f, 3, NULL, NULL, sk, NULL, 0);
}

/* Signed by the trusted key, but naming a file outside the release folder. */
static void
spoil_path (Fixture *f)
{
  g_autofree char *dir = build_release (f, 3, NULL, 0);
  g_autoptr (KioskRelease) release = kiosk_release_scan (dir, 3, NULL);
  KioskReleaseFile *evil = g_new0 (KioskReleaseFile, 1);
  g_autofree char *json = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "owned\n", -1);

  evil->path = g_strdup ("../../escape.txt");
  evil->size = 6;
  evil->sha256 = g_strdup (sha);
  g_ptr_array_add (release->files, evil);
  json = kiosk_release_to_json (release);
  sig = kiosk_release_sign_bytes (json, strlen (json), f->secret);
  {
    g_autofree char *rel = g_strconcat ("files/", sha, NULL);

    write_file (f->hub, rel, "owned\n", 6);
  }
  write_file (f->hub, KIOSK_RELEASE_JSON, json, -1);
  write_file (f->hub, KIOSK_RELEASE_SIG, sig, -1);
}

static void
spoil_replay (Fixture *f)
{
  publish (f, 1);
}

static void
spoil_bad_bundle (Fixture *f)
{
  publish_full (f, 3, NULL, NULL, NULL, "{\"format\": 1, \"release\": 3, \"hours\": {}}", 0);
}

static void
spoil_not_for_us (Fixture *f)
{
  publish_full (f, 3, "kiosk:k2", NULL, NULL, NULL, 0);
}

static void
spoil_too_large (Fixture *f)
{
  publish_full (f, 3, NULL, NULL, NULL, NULL, f->max_bytes);
}

typedef struct
{
  void (*spoil) (Fixture *f);
  int code;
} Rejection;

static const Rejection rejections[] = {
  { spoil_tampered, KIOSK_RELEASE_ERROR_TAMPERED },     { spoil_truncated, KIOSK_RELEASE_ERROR_TRUNCATED },
  { spoil_unknown_key, KIOSK_RELEASE_ERROR_SIGNATURE }, { spoil_path, KIOSK_RELEASE_ERROR_PATH },
  { spoil_replay, KIOSK_RELEASE_ERROR_REPLAY },         { spoil_bad_bundle, KIOSK_RELEASE_ERROR_BAD_BUNDLE },
  { spoil_not_for_us, KIOSK_RELEASE_ERROR_NOT_FOR_US }, { spoil_too_large, KIOSK_RELEASE_ERROR_TOO_LARGE },
};

static void
test_rejected (Fixture *f, gconstpointer data)
{
  const Rejection *r = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *like = g_strdup_printf ("%s: %%", kiosk_release_error_code (r->code));
  KioskBundle *before;
  guint notified = 0;

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  before = kiosk_content_get_bundle (kiosk_updater_get_content (f->updater));
  g_signal_connect (kiosk_updater_get_content (f->updater), "notify::bundle", G_CALLBACK (count_notify),
                    &notified);

  r->spoil (f);
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, r->code);
  g_test_message ("%s: %s", kiosk_release_error_code (r->code), error->message);

  /* The last good release stays in force, on screen and on disk. */
  g_assert_true (kiosk_content_get_bundle (kiosk_updater_get_content (f->updater)) == before);
  g_assert_cmpuint (notified, ==, 0);
  g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, 2);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  g_assert_false (release_on_disk (f, 3));
  assert_no_leftovers (f);
  g_assert_cmpint (kiosk_updater_get_last_error_code (f->updater), ==, r->code);
  g_assert_true (
      g_str_has_prefix (kiosk_updater_get_last_error (f->updater), kiosk_release_error_title (r->code)));
  g_assert_cmpint (count_events (f, "content-rejected", like), ==, 1);

  /* Asked again: reported once, not at every poll. */
  g_clear_error (&error);
  check (f, &error);
  g_assert_cmpint (count_events (f, "content-rejected", like), ==, 1);
  g_assert_cmpint (bundle_release (f), ==, 2);

  /* A good release afterwards goes through and clears the error. */
  g_clear_error (&error);
  publish (f, 4);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 4);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_null (kiosk_updater_get_last_error (f->updater));
}

/* The releases folder on a 512 KiB tmpfs; release 3 carries 900 KiB. */
static void
test_disk_full (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRelease) kept = NULL;
  g_autofree char *dir2 = NULL;

  if (!can_mount)
    {
      g_test_skip ("no mount namespace for a tmpfs (needs root or user namespaces)");
      return;
    }
  f->tmpfs = g_build_filename (f->tmp, "small", NULL);
  g_assert_cmpint (g_mkdir (f->tmpfs, 0755), ==, 0);
  if (mount ("tmpfs", f->tmpfs, "tmpfs", 0, "size=512k") < 0)
    {
      g_test_skip_printf ("mount tmpfs: %s", g_strerror (errno));
      g_clear_pointer (&f->tmpfs, g_free);
      return;
    }
  g_test_message ("full disk: a real 512 KiB tmpfs at %s", f->tmpfs);
  g_free (f->releases_dir);
  f->releases_dir = g_build_filename (f->tmpfs, "kiosk", NULL);

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish_full (f, 3, NULL, NULL, NULL, NULL, 900 * 1024);
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_DISK_FULL);
  g_test_message ("%s", error->message);
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  assert_no_leftovers (f);
  g_assert_cmpint (count_events (f, "content-rejected", "disk-full: %"), ==, 1);

  /* Release 2 is whole on disk, and the space of the failed staging is back. */
  g_clear_error (&error);
  dir2 = g_build_filename (f->releases_dir, "releases", "2", NULL);
  kept = kiosk_release_verify_dir (dir2, f->keys, 0, &error);
  g_assert_no_error (error);
  publish (f, 4);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 4);
}

/* #18: a signed release whose manifest has a 20-million-character title
 * (60 MB, under this kiosk's max_size_mb) is refused as a bundle over the
 * limits from its listing, before a file is fetched; one whose title is a
 * character past its limit is fetched and refused by the loader. The release
 * in force stays, on screen and on disk. */
static void
test_huge_title (Fixture *f, gconstpointer data)
{
  g_autofree char *source = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *text = NULL;
  g_autoptr (GString) manifest = NULL;
  g_autoptr (GString) title = g_string_sized_new (60 * 1000 * 1000 + 2);
  g_autoptr (GError) error = NULL;
  KioskBundle *before;
  guint served;

  g_assert_true (g_file_get_contents (source, &text, NULL, NULL));
  manifest = g_string_new (text);
  g_assert_cmpuint (g_string_replace (manifest, "\"release\": 1,", "\"release\": 3,", 1), ==, 1);
  g_string_append_c (title, '"');
  for (guint i = 0; i < 20 * 1000 * 1000; i++)
    g_string_append (title, "长");
  g_string_append_c (title, '"');
  g_assert_cmpuint (g_string_replace (manifest, "\"健身俱乐部冬季开放时间\"", title->str, 1), ==, 1);

  f->max_bytes = 256 * 1024 * 1024;
  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  before = kiosk_content_get_bundle (kiosk_updater_get_content (f->updater));

  publish_full (f, 3, NULL, NULL, NULL, manifest->str, 0);
  served = f->files_served;
  g_assert_false (check (f, &error));
  g_assert_cmpuint (f->files_served, ==, served);
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_BAD_BUNDLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "manifest.json: 超出上限 / over the limit: "));
  g_assert_true (kiosk_content_get_bundle (kiosk_updater_get_content (f->updater)) == before);
  g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, 2);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  g_assert_false (release_on_disk (f, 3));
  assert_no_leftovers (f);
  g_assert_cmpint (count_events (f, "content-rejected", "bad-bundle: %"), ==, 1);

  /* Small enough to fetch, one character too long to load. */
  g_clear_error (&error);
  g_string_assign (manifest, text);
  g_assert_cmpuint (g_string_replace (manifest, "\"release\": 1,", "\"release\": 4,", 1), ==, 1);
  g_string_truncate (title, 0);
  g_string_append_c (title, '"');
  for (guint i = 0; i < 101; i++)
    g_string_append (title, "长");
  g_string_append_c (title, '"');
  g_assert_cmpuint (g_string_replace (manifest, "\"健身俱乐部冬季开放时间\"", title->str, 1), ==, 1);
  publish_full (f, 4, NULL, NULL, NULL, manifest->str, 0);
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_BAD_BUNDLE);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (f->files_served, >, served);
  g_assert_nonnull (
      strstr (error->message, "announcements[0].title.zh: 超出上限 / over the limit: 101 characters"));
  g_assert_true (kiosk_content_get_bundle (kiosk_updater_get_content (f->updater)) == before);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  g_assert_false (release_on_disk (f, 4));
  assert_no_leftovers (f);
  g_assert_cmpint (count_events (f, "content-rejected", "bad-bundle: %"), ==, 2);
}

/* The full-disk case wants a tmpfs of its own: enter a private mount
 * namespace while the process still has one thread. */
static void
enter_mount_namespace (void)
{
  if (unshare (geteuid () == 0 ? CLONE_NEWNS : CLONE_NEWNS | CLONE_NEWUSER) < 0)
    return;
  if (geteuid () != 0)
    {
      g_autofree char *map = g_strdup_printf ("0 %u 1", (guint)getuid ());

      if (!g_file_set_contents ("/proc/self/setgroups", "deny", -1, NULL)
          || !g_file_set_contents ("/proc/self/uid_map", map, -1, NULL))
        return;
    }
  /* The source and type are ignored for a propagation change. */
  can_mount = mount ("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0;
}

int
main (int argc, char **argv)
{
  enter_mount_namespace ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, data) g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
  for (guint i = 0; i < G_N_ELEMENTS (rejections); i++)
    {
      g_autofree char *path
          = g_strdup_printf ("/kiosk/updater/rejected/%s", kiosk_release_error_code (rejections[i].code));

      ADD (path, test_rejected, &rejections[i]);
    }
  ADD ("/kiosk/updater/disk-full", test_disk_full, NULL);
  ADD ("/kiosk/updater/rejected/over-limits", test_huge_title, NULL);
#undef ADD
  return g_test_run ();
}
