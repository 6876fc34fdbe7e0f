/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-linli-content"

/* The linli-content tool run as staff run it, on hostile bundle folders: a
 * clear error and exit status 1, never a crash, and nothing signed. */

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "kiosk-release.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *tmp;
  char *bundle;
  char *key;
  char *manifest; /* the default content's manifest.json */
} Fixture;

/* Runs the tool; returns its exit status, asserting it exited (no signal). */
static int
run_tool (const char *const *args, char **err)
{
  g_autofree char *tool = g_build_filename (g_getenv ("KIOSK_BUILD_ROOT"), "tools", "linli-content", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_ptr_array_add (argv, tool);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, err,
                               &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %.300s", (char *)argv->pdata[1], *err);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *default_manifest = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *keys = NULL;
  g_autofree char *err = NULL;

  g_assert_nonnull (g_getenv ("KIOSK_BUILD_ROOT"));
  f->tmp = kiosk_test_make_tmpdir ("linli-content");
  f->bundle = g_build_filename (f->tmp, "bundle", NULL);
  keys = g_build_filename (f->tmp, "keys", NULL);
  f->key = g_build_filename (keys, "publish.key", NULL);
  g_assert_cmpint (g_mkdir (f->bundle, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (keys, 0700), ==, 0);
  g_assert_true (g_file_get_contents (default_manifest, &f->manifest, NULL, NULL));
  g_assert_cmpint (run_tool ((const char *[]){ "keygen", "--out", keys, NULL }, &err), ==, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->bundle);
  g_free (f->key);
  g_free (f->manifest);
}

/* Writes @text as the bundle's manifest.json and signs; returns the exit status. */
static int
sign_manifest (Fixture *f, const char *text, char **err)
{
  g_autofree char *path = g_build_filename (f->bundle, "manifest.json", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return run_tool ((const char *[]){ "sign", f->bundle, "--key", f->key, NULL }, err);
}

static gboolean
signed_ (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->bundle, KIOSK_RELEASE_JSON, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The default content signs: the tool and the key work, so the refusals
 * below are about the manifest. */
static void
test_sign_default (Fixture *f, gconstpointer data)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (sign_manifest (f, f->manifest, &err), ==, 0);
  g_assert_true (signed_ (f));
}

/* The attack: a manifest nested 100,000 levels crashed the tool. */
static void
test_sign_deep (Fixture *f, gconstpointer data)
{
  g_autofree char *deep = kiosk_test_deep_json (100000, FALSE);
  g_autoptr (GString) in_announcement = g_string_new (f->manifest);
  g_autofree char *deep_title = g_strdup_printf ("\"title\": %s, \"x\":", deep);
  const char *manifests[] = { deep, NULL };

  g_assert_cmpuint (g_string_replace (in_announcement, "\"title\":", deep_title, 1), ==, 1);
  manifests[1] = in_announcement->str;
  for (guint i = 0; i < G_N_ELEMENTS (manifests); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (sign_manifest (f, manifests[i], &err), ==, 1);
      g_assert_true (g_str_has_prefix (err, "linli-content sign: "));
      g_assert_nonnull (strstr (err, "manifest.json: JSON 无效 / not valid JSON at byte "));
      g_assert_nonnull (strstr (err, "nested deeper than 32 levels"));
      g_assert_false (signed_ (f));
    }
}

/* A key twice: which value was signed would depend on the reader. */
static void
test_sign_duplicate_key (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) twice = g_string_new (f->manifest);
  g_autofree char *err = NULL;

  g_assert_cmpuint (g_string_replace (twice, "\"release\"", "\"release\": 99, \"release\"", 1), ==, 1);
  g_assert_cmpint (sign_manifest (f, twice->str, &err), ==, 1);
  g_assert_nonnull (strstr (err, "key \"release\" appears twice in one object"));
  g_assert_false (signed_ (f));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/tools/linli-content/sign-default", test_sign_default);
  ADD ("/tools/linli-content/sign-deep-manifest", test_sign_deep);
  ADD ("/tools/linli-content/sign-duplicate-key", test_sign_duplicate_key);
#undef ADD
  return g_test_run ();
}
