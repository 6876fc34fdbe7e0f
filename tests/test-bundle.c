/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-bundle"

#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "kiosk-bundle.h"
#include "kiosk-content.h"
#include "kiosk-error.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = kiosk_test_make_tmpdir ("bundle");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* A small valid manifest; each bad case replaces one piece of it. */
static const char base[]
    = "{ \"format\": 1, \"release\": 7,"
      "  \"centre\": { \"name\": { \"zh\": \"中心\", \"en\": \"Centre\" } },"
      "  \"hours\": { \"hall\": { \"weekly\": { \"mon\": [\"08:30-12:00\", \"13:30-17:30\"] } } },"
      "  \"categories\": [ { \"id\": \"res\", \"name\": { \"zh\": \"居住\", \"en\": \"Residence\" } } ],"
      "  \"queues\": [ { \"id\": \"A\", \"prefix\": \"A\", \"name\": { \"zh\": \"甲\", \"en\": \"A\" },"
      "                  \"first\": 1, \"last\": 999, \"daily_cap\": 300, \"hours\": \"hall\" } ],"
      "  \"services\": [ { \"id\": \"permit\", \"category\": \"res\", \"queue\": \"A\", \"daily_cap\": 50,"
      "                    \"name\": { \"zh\": \"居住证\", \"en\": \"Permit\" },"
      "                    \"documents\": [ { \"zh\": \"身份证\", \"en\": \"ID card\" } ] } ],"
      "  \"announcements\": [ { \"id\": \"n1\", \"title\": { \"zh\": \"通知\", \"en\": \"Notice\" },"
      "                         \"body\": { \"zh\": \"内容\", \"en\": \"Text\" },"
      "                         \"valid_from\": \"2026-11-01T00:00:00+08:00\" } ] }";

static KioskBundle *
load_variant (Fixture *f, const char *from, const char *to, GError **error)
{
  g_autofree char *path = g_build_filename (f->dir, "manifest.json", NULL);
  g_autoptr (GString) text = g_string_new (base);

  if (from != NULL)
    g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  return kiosk_bundle_load (f->dir, error);
}

static void
test_default_bundle (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = kiosk_test_asset_path ("content/default");
  g_autoptr (GError) error = NULL;
  KioskBundle *bundle = kiosk_bundle_load (dir, &error);
  GPtrArray *services;
  guint per_category_total = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (kiosk_bundle_get_categories (bundle)->len, ==, 6);
  services = kiosk_bundle_get_services (bundle);
  g_assert_cmpuint (services->len, >=, 30);
  for (guint i = 0; i < services->len; i++)
    {
      const KioskService *s = services->pdata[i];

      g_assert_nonnull (s->queue);
      g_assert_nonnull (s->hours);
      g_assert_cmpuint (s->documents->len, >, 0);
      g_assert_cmpstr (kiosk_text_get (&s->name, "zh"), !=, kiosk_text_get (&s->name, "en"));
      g_assert_true (g_utf8_validate (s->name.zh, -1, NULL));
    }
  for (guint i = 0; i < kiosk_bundle_get_categories (bundle)->len; i++)
    {
      g_autoptr (GPtrArray) in
          = kiosk_bundle_services_in (bundle, kiosk_bundle_get_categories (bundle)->pdata[i]);
      g_assert_cmpuint (in->len, >, 0);
      per_category_total += in->len;
    }
  g_assert_cmpuint (per_category_total, ==, services->len);
  g_assert_nonnull (kiosk_bundle_get_fitness (bundle));
  g_assert_cmpint (kiosk_bundle_get_fitness (bundle)->capacity, >, 0);
  g_assert_nonnull (kiosk_bundle_find_service (bundle, "residence-permit"));
  g_assert_finalize_object (bundle);
}

static void
test_small_valid (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskBundle *bundle = load_variant (f, NULL, NULL, &error);
  const KioskService *s;
  g_autoptr (GDateTime) before = g_date_time_new_from_iso8601 ("2026-10-01T00:00:00+08:00", NULL);
  g_autoptr (GDateTime) after = g_date_time_new_from_iso8601 ("2026-11-02T00:00:00+08:00", NULL);
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) one = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (kiosk_bundle_get_release (bundle), ==, 7);
  s = kiosk_bundle_find_service (bundle, "permit");
  g_assert_nonnull (s);
  g_assert_true (s->queue == kiosk_bundle_find_queue (bundle, "A"));
  g_assert_true (s->hours == s->queue->hours);
  g_assert_cmpint (s->queue->prefix, ==, 'A');
  g_assert_true (s->priority_lanes);
  g_assert_cmpstr (kiosk_text_get (s->documents->pdata[0], "en"), ==, "ID card");

  none = kiosk_bundle_active_announcements (bundle, before);
  one = kiosk_bundle_active_announcements (bundle, after);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_finalize_object (bundle);
}

static const struct
{
  const char *name;
  const char *from;
  const char *to;
  const char *expect;
} bad_cases[] = {
  { "service-missing-queue", "\"queue\": \"A\", \"daily_cap\": 50", "\"queue\": \"Z\", \"daily_cap\": 50",
    "services[0] (permit): queue \"Z\" does not exist" },
  { "service-missing-category", "\"category\": \"res\"", "\"category\": \"jobs\"",
    "services[0] (permit): category \"jobs\" does not exist" },
  { "overlapping-hours", "\"13:30-17:30\"", "\"11:30-17:30\"",
    "hours \"hall\": mon: 11:30-17:30 overlaps 08:30-12:00" },
  { "bad-time", "\"13:30-17:30\"", "\"13:30-27:30\"",
    "hours \"hall\": mon[1]: \"13:30-27:30\" is not a time range" },
  { "negative-cap", "\"daily_cap\": 50", "\"daily_cap\": -1",
    "services[0] (permit): \"daily_cap\" must not be negative" },
  { "range-too-small", "\"last\": 999", "\"last\": 99",
    "queues[0] (A): the range 1–99 cannot hold a day's cap of 300" },
  { "wrong-type", "\"release\": 7", "\"release\": \"7\"", "manifest: \"release\" must be a whole number" },
  { "missing-english", "\"en\": \"Permit\"", "\"fr\": \"Permis\"",
    "services[0] (permit): name: \"en\" is missing" },
  { "unknown-hours", "\"hours\": \"hall\" } ]", "\"hours\": \"night\" } ]",
    "queues[0] (A): hours \"night\" do not exist" },
  { "bad-prefix", "\"prefix\": \"A\"", "\"prefix\": \"AB\"",
    "queues[0] (A): \"prefix\" must be one capital letter" },
  { "bad-date", "2026-11-01T00:00:00+08:00", "first of November",
    "announcements[0] (n1): \"valid_from\" is not a time" },
  { "image-escapes",
    "\"body\":", "\"image\": \"../../etc/passwd\", \"body\":", "\"image\" must be a relative path" },
  { "image-missing",
    "\"body\":", "\"image\": \"pic.png\", \"body\":", "\"image\" names a file that is not in the bundle" },
  { "newer-format", "\"format\": 1", "\"format\": 2", "manifest: format 2 is not supported" },
  { "duplicate-service", "\"id\": \"permit\"", "\"id\": \"res\"", NULL }, /* ids are per kind: allowed */
};

static void
test_bad_inputs (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskBundle) bundle = load_variant (f, bad_cases[i].from, bad_cases[i].to, &error);

      if (bad_cases[i].expect == NULL)
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_null (bundle);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      if (strstr (error->message, bad_cases[i].expect) == NULL)
        g_error ("%s: got \"%s\", want \"%s\"", bad_cases[i].name, error->message, bad_cases[i].expect);
    }
}

static void
test_missing_and_invalid_json (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "manifest.json", NULL);
  KioskBundle *bundle = kiosk_bundle_load (f->dir, &error);

  g_assert_null (bundle);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no manifest.json"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{ \"format\": 1, ", -1, NULL));
  bundle = kiosk_bundle_load (f->dir, &error);
  g_assert_null (bundle);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not valid JSON"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "[1, 2]", -1, NULL));
  bundle = kiosk_bundle_load (f->dir, &error);
  g_assert_null (bundle);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
}

/* The attacks on the loader: 100,000 levels (a stack overflow
 * before), a key given twice (json-glib kept the last one silently), and a
 * manifest too large to read. Each refused with where and why. */
static void
test_hostile_manifest (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "manifest.json", NULL);
  g_autofree char *deep = kiosk_test_deep_json (100000, FALSE);
  g_autofree char *deep_body = g_strdup_printf ("\"body\": %s", deep);
  const struct
  {
    const char *from, *to, *says;
  } cases[] = {
    { "\"body\": { \"zh\": \"内容\", \"en\": \"Text\" }", deep_body, "nested deeper than 32 levels" },
    { "\"release\": 7,", "\"release\": 7, \"release\": 8,", "key \"release\" appears twice" },
    { "\"zh\": \"居住证\",", "\"zh\": \"居住证\", \"zh\": \"户口\",", "key \"zh\" appears twice" },
  };
  g_autoptr (GError) error = NULL;
  FILE *fp;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (KioskBundle) bundle = load_variant (f, cases[i].from, cases[i].to, &error);

      g_assert_null (bundle);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_test_message ("%.200s", error->message);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_clear_error (&error);
    }

  g_assert_true (g_file_set_contents (path, deep, -1, NULL));
  g_assert_null (kiosk_bundle_load (f->dir, &error));
  g_assert_nonnull (strstr (error->message, "at byte 32 (line 1, column 33): nested deeper than 32 levels"));
  g_clear_error (&error);

  /* Sparse: refused by its size, never read. */
  fp = fopen (path, "w");
  g_assert_nonnull (fp);
  g_assert_cmpint (ftruncate (fileno (fp), KIOSK_BUNDLE_MANIFEST_MAX_BYTES + 1), ==, 0);
  fclose (fp);
  g_assert_null (kiosk_bundle_load (f->dir, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (
      strstr (error->message, "over the limit: 1048577 bytes, at most 1048576 (manifest file)"));
}

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(int *)user_data)++;
}

static void
test_swap (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskBundle *first = load_variant (f, NULL, NULL, &error);
  KioskBundle *second = load_variant (f, "\"release\": 7", "\"release\": 8", &error);
  KioskContent *content = kiosk_content_new (first);
  int notified = 0;

  g_assert_no_error (error);
  g_signal_connect (content, "notify::bundle", G_CALLBACK (on_notify), &notified);
  kiosk_content_swap (content, second);
  g_assert_cmpint (notified, ==, 1);
  g_assert_true (kiosk_content_get_bundle (content) == second);
  kiosk_content_swap (content, second);
  g_assert_cmpint (notified, ==, 1);

  g_object_unref (first);
  g_object_unref (second);
  g_assert_finalize_object (content);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/bundle/default", test_default_bundle);
  ADD ("/kiosk/bundle/small-valid", test_small_valid);
  ADD ("/kiosk/bundle/bad-inputs", test_bad_inputs);
  ADD ("/kiosk/bundle/missing-and-invalid-json", test_missing_and_invalid_json);
  ADD ("/kiosk/bundle/hostile-manifest", test_hostile_manifest);
  ADD ("/kiosk/bundle/swap", test_swap);
#undef ADD
  return g_test_run ();
}
