/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-secret"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk-error.h"
#include "kiosk-secret.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = kiosk_test_make_tmpdir ("secret");
  /* A folder that does not exist yet, as on a fresh kiosk. */
  f->path = g_build_filename (f->dir, "var", "lib", "linli-kiosk", "kiosk.key", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
test_created_once (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) again = NULL;
  g_autoptr (GBytes) other = NULL;
  g_autofree char *other_path = g_build_filename (f->dir, "other.key", NULL);
  g_autoptr (GDir) dir = NULL;
  g_autofree char *parent = g_path_get_dirname (f->path);
  struct stat st;

  first = kiosk_secret_load_or_create (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (first), ==, KIOSK_SECRET_BYTES);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* The next start reads the same key: public codes stay verifiable. */
  again = kiosk_secret_load_or_create (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, again));

  /* Another kiosk gets another key. */
  other = kiosk_secret_load_or_create (other_path, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (first, other));

  /* No temporary file is left beside the key. */
  dir = g_dir_open (parent, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "kiosk.key");
  g_assert_null (g_dir_read_name (dir));
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *name;
    gsize length; /* written before loading; G_MAXSIZE: nothing written */
    int code;
  } cases[] = {
    { "missing", G_MAXSIZE, KIOSK_ERROR_NOT_FOUND },
    { "empty", 0, KIOSK_ERROR_INVALID },
    { "short", KIOSK_SECRET_MIN_BYTES - 1, KIOSK_ERROR_INVALID },
    { "huge", 8192, KIOSK_ERROR_INVALID },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, cases[i].name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) key = NULL;

      if (cases[i].length != G_MAXSIZE)
        {
          g_autofree char *bytes = g_malloc0 (cases[i].length + 1);

          memset (bytes, 'k', cases[i].length);
          g_assert_true (g_file_set_contents (path, bytes, (gssize)cases[i].length, NULL));
        }
      key = kiosk_secret_load (path, &error);
      g_assert_null (key);
      g_assert_error (error, KIOSK_ERROR, cases[i].code);
      /* The message names the file, never the bytes. */
      g_assert_nonnull (strstr (error->message, path));
      g_assert_null (strstr (error->message, "kkkk"));
    }

  /* A key of the minimum length is accepted as it is, not replaced. */
  {
    g_autofree char *path = g_build_filename (f->dir, "minimum", NULL);
    g_autoptr (GBytes) key = NULL;
    g_autoptr (GError) error = NULL;

    g_assert_true (g_file_set_contents (path, "0123456789abcdef", KIOSK_SECRET_MIN_BYTES, NULL));
    key = kiosk_secret_load_or_create (path, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (key, NULL), g_bytes_get_size (key), "0123456789abcdef", 16);
  }
}

static void
test_unwritable (Fixture *f, gconstpointer data)
{
  g_autofree char *blocker = g_build_filename (f->dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "kiosk.key", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = NULL;

  /* The key's folder is a file: a clear error, no key. */
  g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
  key = kiosk_secret_load_or_create (path, &error);
  g_assert_null (key);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/secret/created-once", Fixture, NULL, fixture_setup, test_created_once,
              fixture_teardown);
  g_test_add ("/kiosk/secret/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/kiosk/secret/unwritable", Fixture, NULL, fixture_setup, test_unwritable, fixture_teardown);
  return g_test_run ();
}
