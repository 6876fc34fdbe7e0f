/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-release"

#include <glib/gstdio.h>
#include <unistd.h>

#include "kiosk-bundle.h"
#include "kiosk-error.h"
#include "kiosk-release.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *tmp;
  char *dir; /* a signed copy of the default bundle plus one file in a sub-folder */
  char *public_b64;
  guint8 secret[crypto_sign_SECRETKEYBYTES];
  const char *keys[2];
} Fixture;

static void
write_text (const char *dir, const char *rel, const char *text)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
sign (Fixture *f, gint64 release)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (kiosk_release_sign_dir (f->dir, release, NULL, NULL, f->secret, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *manifest = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *text = NULL;
  g_autofree char *secret_b64 = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr (GError) error = NULL;

  f->tmp = kiosk_test_make_tmpdir ("release");
  f->dir = g_build_filename (f->tmp, "bundle", NULL);
  g_assert_true (g_file_get_contents (manifest, &text, NULL, NULL));
  write_text (f->dir, "manifest.json", text);
  write_text (f->dir, "notes/hours.txt", "周一至周五 / Monday to Friday\n");

  kiosk_release_keygen (&f->public_b64, &secret_b64);
  key_path = g_build_filename (f->tmp, "publish.key", NULL);
  g_assert_true (g_file_set_contents (key_path, secret_b64, -1, NULL));
  g_assert_true (kiosk_release_load_secret_key (key_path, f->secret, &error));
  g_assert_no_error (error);
  f->keys[0] = f->public_b64;
  sign (f, 1);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->dir);
  g_free (f->public_b64);
}

static void
assert_refused (Fixture *f, const char *const *keys, gint64 current, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRelease) release = kiosk_release_verify_dir (f->dir, keys, current, &error);

  g_assert_null (release);
  g_assert_error (error, KIOSK_RELEASE_ERROR, code);
  g_test_message ("%s: %s", kiosk_release_error_code (code), error->message);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRelease) release = kiosk_release_verify_dir (f->dir, f->keys, 0, &error);
  const KioskReleaseFile *notes;

  g_assert_no_error (error);
  g_assert_cmpint (release->release, ==, 1);
  g_assert_cmpuint (release->files->len, ==, 2);
  notes = kiosk_release_find_file (release, "notes/hours.txt");
  g_assert_nonnull (notes);
  g_assert_cmpint (notes->size, ==, strlen ("周一至周五 / Monday to Friday\n"));
  g_assert_null (release->target);
}

/* One changed byte, same length: only the hash can tell. */
static void
test_tampered (Fixture *f, gconstpointer data)
{
  write_text (f->dir, "notes/hours.txt", "周一至周六 / Monday to Friday\n");
  assert_refused (f, f->keys, 0, KIOSK_RELEASE_ERROR_TAMPERED);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "notes/hours.txt", NULL);

  g_assert_cmpint (truncate (path, 5), ==, 0);
  assert_refused (f, f->keys, 0, KIOSK_RELEASE_ERROR_TRUNCATED);
  g_assert_cmpint (g_unlink (path), ==, 0);
  assert_refused (f, f->keys, 0, KIOSK_RELEASE_ERROR_TRUNCATED);
}

static void
test_unknown_key (Fixture *f, gconstpointer data)
{
  g_autofree char *other_public = NULL;
  g_autofree char *other_secret = NULL;
  g_autofree char *json_path = g_build_filename (f->dir, KIOSK_RELEASE_JSON, NULL);
  g_autofree char *json = NULL;
  const char *other[] = { NULL, NULL };
  const char *none[] = { NULL };
  const char *junk[] = { "not-a-key", NULL };
  char *at;

  kiosk_release_keygen (&other_public, &other_secret);
  other[0] = other_public;
  assert_refused (f, other, 0, KIOSK_RELEASE_ERROR_SIGNATURE);
  assert_refused (f, none, 0, KIOSK_RELEASE_ERROR_SIGNATURE);
  assert_refused (f, junk, 0, KIOSK_RELEASE_ERROR_SIGNATURE);

  /* A trusted key among others, one of them mistyped, still verifies. */
  {
    const char *mixed[] = { "not-a-key", other_public, f->public_b64, NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (KioskRelease) release = kiosk_release_verify_dir (f->dir, mixed, 0, &error);

    g_assert_no_error (error);
    g_assert_nonnull (release);
  }

  /* release.json changed after signing (release 1 → 9). */
  g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
  at = strstr (json, "\"release\" : 1");
  g_assert_nonnull (at);
  at[strlen ("\"release\" : ")] = '9';
  g_assert_true (g_file_set_contents (json_path, json, -1, NULL));
  assert_refused (f, f->keys, 0, KIOSK_RELEASE_ERROR_SIGNATURE);
}

/* A release.json signed by the trusted key but naming a path outside the
 * folder: the parser refuses it before any file is opened. */
static void
test_path_escape (Fixture *f, gconstpointer data)
{
  static const char *const bad[] = { "../etc/passwd", "/etc/passwd",  "notes/../../x", "./manifest.json",
                                     "a//b",          "release.json", "a\\b" };
  g_autofree char *sig_path = g_build_filename (f->dir, KIOSK_RELEASE_SIG, NULL);
  g_autofree char *json_path = g_build_filename (f->dir, KIOSK_RELEASE_JSON, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (KioskRelease) evil = kiosk_release_new (2);
      KioskReleaseFile *file = g_new0 (KioskReleaseFile, 1);
      g_autofree char *json = NULL;
      g_autofree char *sig = NULL;

      file->path = g_strdup (bad[i]);
      file->size = 1;
      file->sha256 = g_strnfill (64, 'a');
      g_ptr_array_add (evil->files, file);
      json = kiosk_release_to_json (evil);
      sig = kiosk_release_sign_bytes (json, strlen (json), f->secret);
      g_assert_true (g_file_set_contents (json_path, json, -1, NULL));
      g_assert_true (g_file_set_contents (sig_path, sig, -1, NULL));
      assert_refused (f, f->keys, 0, KIOSK_RELEASE_ERROR_PATH);
    }
}

static void
test_symlinks (Fixture *f, gconstpointer data)
{
  g_autofree char *link = g_build_filename (f->dir, "passwd", NULL);
  g_autofree char *notes = g_build_filename (f->dir, "notes", NULL);
  g_autofree char *elsewhere = g_build_filename (f->tmp, "elsewhere", NULL);
  g_autoptr (GError) error = NULL;

  /* Signing refuses a folder with a symlink in it. */
  g_assert_cmpint (symlink ("/etc/passwd", link), ==, 0);
  g_assert_false (kiosk_release_sign_dir (f->dir, 2, NULL, NULL, f->secret, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_PATH);
  /* So does verifying one, even of a signed release. */
  assert_refused (f, f->keys, 0, KIOSK_RELEASE_ERROR_PATH);
  g_unlink (link);

  /* A listed file reached through a symlinked folder. */
  g_assert_cmpint (rename (notes, elsewhere), ==, 0);
  g_assert_cmpint (symlink (elsewhere, notes), ==, 0);
  assert_refused (f, f->keys, 0, KIOSK_RELEASE_ERROR_PATH);
}

/* A file not in release.json must not ride along: the bundle would load it. */
static void
test_unlisted (Fixture *f, gconstpointer data)
{
  write_text (f->dir, "images/extra.png", "png");
  assert_refused (f, f->keys, 0, KIOSK_RELEASE_ERROR_PATH);
}

static void
test_replay (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  assert_refused (f, f->keys, 1, KIOSK_RELEASE_ERROR_REPLAY);
  assert_refused (f, f->keys, 7, KIOSK_RELEASE_ERROR_REPLAY);
  g_assert_true (kiosk_release_check_newer (8, 7, &error));
  g_assert_no_error (error);
}

/* Writes @json as release.json with a good signature by the trusted key. */
static void
sign_text (Fixture *f, const char *json)
{
  g_autofree char *sig = kiosk_release_sign_bytes (json, strlen (json), f->secret);

  write_text (f->dir, KIOSK_RELEASE_JSON, json);
  write_text (f->dir, KIOSK_RELEASE_SIG, sig);
}

/* Signed by the trusted key and still refused: a release.json nested 100,000
 * levels (a stack overflow before) or with a key twice, and a manifest with a
 * key twice (the signature covers bytes; readers must agree on their meaning). */
static void
test_signed_hostile (Fixture *f, gconstpointer data)
{
  g_autofree char *json_path = g_build_filename (f->dir, KIOSK_RELEASE_JSON, NULL);
  g_autofree char *manifest_path = g_build_filename (f->dir, "manifest.json", NULL);
  g_autofree char *deep = kiosk_test_deep_json (100000, TRUE);
  g_autofree char *deep_json = g_strdup_printf ("{\"format\":1,\"release\":2,\"files\":%s}", deep);
  g_autofree char *good = NULL, *manifest = NULL;
  g_autoptr (GString) twice = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRelease) release = NULL;
  g_autoptr (KioskBundle) bundle = NULL;

  g_assert_true (g_file_get_contents (json_path, &good, NULL, NULL));
  sign_text (f, deep_json);
  release = kiosk_release_verify_dir (f->dir, f->keys, 0, &error);
  g_assert_null (release);
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "nested deeper than 32 levels"));
  g_clear_error (&error);

  twice = g_string_new (good);
  g_assert_cmpuint (g_string_replace (twice, "\"release\" : 1", "\"release\" : 9, \"release\" : 1", 1), ==,
                    1);
  sign_text (f, twice->str);
  release = kiosk_release_verify_dir (f->dir, f->keys, 0, &error);
  g_assert_null (release);
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "key \"release\" appears twice"));
  g_clear_error (&error);

  /* The manifest: signed and whole, but the bundle does not load. */
  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  g_string_assign (twice, manifest);
  g_assert_cmpuint (g_string_replace (twice, "\"release\"", "\"release\": 99, \"release\"", 1), ==, 1);
  write_text (f->dir, "manifest.json", twice->str);
  sign (f, 1);
  release = kiosk_release_verify_dir (f->dir, f->keys, 0, &error);
  g_assert_no_error (error);
  bundle = kiosk_bundle_load (f->dir, &error);
  g_assert_null (bundle);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "key \"release\" appears twice"));
}

static void
test_check_path (void)
{
  static const struct
  {
    const char *path;
    gboolean ok;
  } cases[] = {
    { "manifest.json", TRUE }, { "images/a b.png", TRUE },
    { "图片/公告.png", TRUE }, { "a/b/c/d.txt", TRUE },
    { "..a", TRUE },           { "", FALSE },
    { "/abs", FALSE },         { "..", FALSE },
    { "a/..", FALSE },         { "a/../b", FALSE },
    { "a/./b", FALSE },        { "a/", FALSE },
    { "a\\..\\b", FALSE },     { "a\nb", FALSE },
    { "release.sig", FALSE },  { "\xff\xfe", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = kiosk_release_check_path (cases[i].path, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_PATH);
    }
}

static void
test_parse (void)
{
  static const char sha[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static const struct
  {
    const char *json;
    int code; /* -1: parses */
  } cases[] = {
    { "{\"format\":1,\"release\":3,\"files\":[]}", -1 },
    { "{\"format\":1,\"release\":3,\"target\":\"hall:east\",\"not_before\":\"2026-12-01T08:00:00+08:00\","
      "\"files\":[]}",
      -1 },
    { "", KIOSK_RELEASE_ERROR_MALFORMED },
    { "[]", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"release\":3,\"files\":[]}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":2,\"release\":3,\"files\":[]}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":0,\"files\":[]}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":\"3\",\"files\":[]}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"target\":\"everyone\",\"files\":[]}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"not_before\":\"soon\",\"files\":[]}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"files\":[1]}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"files\":[{\"path\":\"a\",\"size\":-1,\"sha256\":\"%s\"}]}",
      KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"files\":[{\"path\":\"a\",\"size\":1,\"sha256\":\"ABC\"}]}",
      KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"files\":[{\"path\":\"a\",\"size\":1,\"sha256\":\"%s\"},"
      "{\"path\":\"a\",\"size\":1,\"sha256\":\"%s\"}]}",
      KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"files\":[{\"path\":\"../a\",\"size\":1,\"sha256\":\"%s\"}]}",
      KIOSK_RELEASE_ERROR_PATH },
    { "{\"format\":1,\"release\":3,\"release\":4,\"files\":[]}", KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"files\":[{\"path\":\"a\",\"size\":1,\"size\":2,\"sha256\":\"%s\"}]}",
      KIOSK_RELEASE_ERROR_MALFORMED },
    { "{\"format\":1,\"release\":3,\"files\":[]} {\"format\":1,\"release\":9,\"files\":[]}",
      KIOSK_RELEASE_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GString) json = g_string_new (cases[i].json);
      g_autoptr (KioskRelease) release = NULL;

      g_string_replace (json, "%s", sha, 0);
      release = kiosk_release_parse (json->str, json->len, &error);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_cmpint (release->release, ==, 3);
        }
      else
        {
          g_assert_null (release);
          g_assert_error (error, KIOSK_RELEASE_ERROR, cases[i].code);
        }
    }
}

static void
test_target (void)
{
  static const struct
  {
    const char *target;
    gboolean ok;
  } cases[] = {
    { NULL, TRUE },         { "all", TRUE },      { "hall:east", TRUE },
    { "hall:west", FALSE }, { "kiosk:k7", TRUE }, { "kiosk:k8", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (KioskRelease) release = kiosk_release_new (2);
      g_autoptr (GError) error = NULL;

      release->target = g_strdup (cases[i].target);
      g_assert_cmpint (kiosk_release_check_target (release, "k7", "east", &error), ==, cases[i].ok);
      if (!cases[i].ok)
        g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_NOT_FOR_US);
    }
}

static void
test_error_names (void)
{
  for (int code = KIOSK_RELEASE_ERROR_MALFORMED; code <= KIOSK_RELEASE_ERROR_IO; code++)
    {
      g_assert_cmpstr (kiosk_release_error_code (code), !=, "unknown");
      /* Chinese first, then English. */
      g_assert_nonnull (strstr (kiosk_release_error_title (code), " / "));
      g_assert_false (g_ascii_isalpha (kiosk_release_error_title (code)[0]));
    }
  g_assert_cmpstr (kiosk_release_error_code (99), ==, "unknown");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/release/round-trip", test_round_trip);
  ADD ("/kiosk/release/tampered", test_tampered);
  ADD ("/kiosk/release/truncated", test_truncated);
  ADD ("/kiosk/release/unknown-key", test_unknown_key);
  ADD ("/kiosk/release/path-escape", test_path_escape);
  ADD ("/kiosk/release/symlinks", test_symlinks);
  ADD ("/kiosk/release/unlisted", test_unlisted);
  ADD ("/kiosk/release/replay", test_replay);
  ADD ("/kiosk/release/signed-hostile", test_signed_hostile);
#undef ADD
  g_test_add_func ("/kiosk/release/check-path", test_check_path);
  g_test_add_func ("/kiosk/release/parse", test_parse);
  g_test_add_func ("/kiosk/release/target", test_target);
  g_test_add_func ("/kiosk/release/error-names", test_error_names);
  return g_test_run ();
}
