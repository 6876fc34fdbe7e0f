/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-linli-content"

#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-release.h"
#include "kiosk-test-util.h"

/* The tool itself, run as the centre runs it: what it signs and what it
 * refuses, with its exit status and messages. */

typedef struct
{
  char *tmp;
  char *bundle;
  char *key;
} Fixture;

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_tool (Run *run, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, (gpointer)LINLI_CONTENT);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &run->out,
                               &run->err, &run->status, &error));
  g_assert_no_error (error);
  g_test_message ("linli-content %s: %s%s", args[0], run->out, run->err);
}

/* Exit status 1: refused (2 would be bad usage). */
static void
assert_refused (const Run *run)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (g_spawn_check_wait_status (run->status, &error));
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 1);
}

/* The packaged manifest with its first announcement's Chinese title set to
 * @n copies of "长". */
static void
write_bundle (Fixture *f, gsize n)
{
  g_autofree char *source = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *path = g_build_filename (f->bundle, "manifest.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GString) manifest = NULL;
  GString *title = g_string_sized_new (n * 3 + 2);
  g_autofree char *quoted = NULL;

  g_assert_true (g_file_get_contents (source, &text, NULL, NULL));
  manifest = g_string_new (text);
  g_string_append_c (title, '"');
  for (gsize i = 0; i < n; i++)
    g_string_append (title, "长");
  g_string_append_c (title, '"');
  quoted = g_string_free (title, FALSE);
  g_assert_cmpuint (g_string_replace (manifest, "\"健身俱乐部冬季开放时间\"", quoted, 1), ==, 1);
  g_assert_true (g_file_set_contents (path, manifest->str, (gssize)manifest->len, NULL));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };
  g_autofree char *keys = NULL;

  f->tmp = kiosk_test_make_tmpdir ("linli-content");
  f->bundle = g_build_filename (f->tmp, "content", NULL);
  g_assert_cmpint (g_mkdir (f->bundle, 0755), ==, 0);
  keys = g_build_filename (f->tmp, "keys", NULL);
  f->key = g_build_filename (keys, "publish.key", NULL);
  run_tool (&run, (const char *[]){ "keygen", "--out", keys, NULL });
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->bundle);
  g_free (f->key);
}

static gboolean
signed_files_exist (Fixture *f)
{
  g_autofree char *json = g_build_filename (f->bundle, KIOSK_RELEASE_JSON, NULL);
  g_autofree char *sig = g_build_filename (f->bundle, KIOSK_RELEASE_SIG, NULL);

  return g_file_test (json, G_FILE_TEST_EXISTS) || g_file_test (sig, G_FILE_TEST_EXISTS);
}

/* #18: a 20-million-character title (60 MB) is refused, and nothing signed. */
static void
test_huge_title (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  write_bundle (f, 20 * 1000 * 1000);
  run_tool (&run, (const char *[]){ "sign", f->bundle, "--key", f->key, NULL });
  assert_refused (&run);
  g_assert_nonnull (strstr (run.err, "manifest.json: 超出上限 / over the limit: "));
  g_assert_nonnull (strstr (run.err, "at most 1048576 (manifest file)"));
  g_assert_false (signed_files_exist (f));
}

/* One character past the title's limit, in a small manifest: the field is named. */
static void
test_title_limit (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };
  g_auto (Run) ok = { 0 };

  write_bundle (f, 101);
  run_tool (&run, (const char *[]){ "sign", f->bundle, "--key", f->key, NULL });
  assert_refused (&run);
  g_assert_nonnull (strstr (run.err, "announcements[0].title.zh: 超出上限 / over the limit: 101 characters, "
                                     "at most 100 (announcement title)"));
  g_assert_false (signed_files_exist (f));

  write_bundle (f, 100);
  run_tool (&ok, (const char *[]){ "sign", f->bundle, "--key", f->key, NULL });
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_true (g_str_has_prefix (ok.out, "signed release 1"));
  g_assert_true (signed_files_exist (f));
}

/* Signed to apply from a fixed day, so that what has ended by then does not
 * depend on the day the test runs. */
#define NOT_BEFORE "2026-12-01T10:00:00+08:00"

/* The packaged manifest with @from replaced by @to. */
static void
write_changed (Fixture *f, const char *from, const char *to)
{
  g_autofree char *source = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *path = g_build_filename (f->bundle, "manifest.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GString) manifest = NULL;

  g_assert_true (g_file_get_contents (source, &text, NULL, NULL));
  manifest = g_string_new (text);
  g_assert_cmpuint (g_string_replace (manifest, from, to, 1), ==, 1);
  g_assert_true (g_file_set_contents (path, manifest->str, (gssize)manifest->len, NULL));
}

/* The packaged content passes the consistency check, warnings included; an
 * announcement that has ended by --at is a warning. */
static void
test_check_default (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = kiosk_test_asset_path ("content/default");
  g_auto (Run) run = { 0 };

  /* As of a fixed day: the winter notice ends in March 2027. */
  run_tool (&run, (const char *[]){ "check", dir, "--strict", "--at", "2026-12-01T10:00:00+08:00", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, "release 1: loads, 0 warning(s)\n");

  {
    g_auto (Run) later = { 0 };

    run_tool (&later, (const char *[]){ "check", dir, "--at", "2027-03-02T10:00:00+08:00", NULL });
    g_assert_cmpint (later.status, ==, 0);
    g_assert_nonnull (strstr (later.err, "警告 / warning: announcements[0] (winter-hours): 已过期"));
    g_assert_cmpstr (later.out, ==, "release 1: loads, 1 warning(s)\n");
  }
}

/* An error (a category with no service) refuses the bundle: nothing signed. */
static void
test_sign_refuses_error (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  write_changed (f, "\"categories\": [",
                 "\"categories\": [ { \"id\": \"empty\", \"name\": { \"zh\": \"空\", \"en\": \"Empty\" } },");
  run_tool (&run, (const char *[]){ "sign", f->bundle, "--key", f->key, "--not-before", NOT_BEFORE, NULL });
  assert_refused (&run);
  g_assert_nonnull (strstr (run.err, "错误 / error: categories[0] (empty): 没有服务"));
  g_assert_nonnull (strstr (run.err, "refused: 1 error(s), 0 warning(s)"));
  g_assert_false (signed_files_exist (f));
}

/* A warning (the packaged bundle's old evening title) is printed and the
 * bundle signed; with --strict it is refused. */
static void
test_sign_warns (Fixture *f, gconstpointer data)
{
  g_auto (Run) strict = { 0 };
  g_auto (Run) run = { 0 };

  write_changed (f, "\"就业服务夜间延时\"", "\"居住证夜间办理\"");
  run_tool (&strict, (const char *[]){ "sign", f->bundle, "--key", f->key, "--strict", "--not-before",
                                       NOT_BEFORE, NULL });
  assert_refused (&strict);
  g_assert_nonnull (strstr (strict.err, "refused: 0 error(s), 1 warning(s) (--strict)"));
  g_assert_false (signed_files_exist (f));

  run_tool (&run, (const char *[]){ "sign", f->bundle, "--key", f->key, "--not-before", NOT_BEFORE, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (
      strstr (run.err, "警告 / warning: announcements[1] (jobs-evenings): 说 \"夜间\"（zh），但居住证申领 "
                       "(residence-permit) 此时不开放"));
  g_assert_nonnull (strstr (run.out, ", 1 warning(s)"));
  g_assert_true (signed_files_exist (f));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/tools/linli-content/sign-refuses-huge-title", test_huge_title);
  ADD ("/tools/linli-content/sign-names-the-field", test_title_limit);
  ADD ("/tools/linli-content/check-default-content", test_check_default);
  ADD ("/tools/linli-content/sign-refuses-inconsistent", test_sign_refuses_error);
  ADD ("/tools/linli-content/sign-warns", test_sign_warns);
#undef ADD
  return g_test_run ();
}
