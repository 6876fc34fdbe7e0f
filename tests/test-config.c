/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-config"

#include "kiosk-config.h"
#include "kiosk-error.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = kiosk_test_make_tmpdir ("config");
  f->path = g_build_filename (f->dir, "kiosk.conf", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static KioskConfig *
load_text (Fixture *f, const char *text, GError **error)
{
  g_assert_true (g_file_set_contents (f->path, text, -1, NULL));
  return kiosk_config_load (f->path, error);
}

static void
test_defaults (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskConfig) config = kiosk_config_new ();

  g_assert_cmpstr (kiosk_config_get_string (config, "kiosk", "time_zone"), ==, "Asia/Shanghai");
  g_assert_cmpint (kiosk_config_get_int (config, "kiosk", "width"), ==, 1080);
  g_assert_cmpint (kiosk_config_get_int (config, "kiosk", "height"), ==, 1920);
  g_assert_true (kiosk_config_get_bool (config, "kiosk", "hide_cursor"));
  g_assert_cmpint (kiosk_config_get_minutes (config, "queue", "reset_time"), ==, 0);
  g_assert_cmpstr (kiosk_config_get_string (config, "printer", "transport"), ==, "folder");
  g_assert_cmpuint (g_strv_length ((GStrv)kiosk_config_get_strv (config, "readers", "paths")), ==, 0);
}

static void
test_values (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config
      = load_text (f,
                   "# a comment\n[kiosk]\nid = east-lobby\nwidth=1920\nheight = 1080\nhide_cursor=false\n"
                   "[queue]\nreset_time = 03:30\n[readers]\nusb_ids = ffff:0035 ; 08ff:0009;\n",
                   &error);

  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_config_get_string (config, "kiosk", "id"), ==, "east-lobby");
  g_assert_cmpint (kiosk_config_get_int (config, "kiosk", "width"), ==, 1920);
  g_assert_false (kiosk_config_get_bool (config, "kiosk", "hide_cursor"));
  g_assert_cmpint (kiosk_config_get_minutes (config, "queue", "reset_time"), ==, 210);
  {
    const char *const *ids = kiosk_config_get_strv (config, "readers", "usb_ids");
    g_assert_cmpuint (g_strv_length ((GStrv)ids), ==, 2);
    g_assert_cmpstr (ids[0], ==, "ffff:0035");
    g_assert_cmpstr (ids[1], ==, "08ff:0009");
  }
  g_assert_cmpuint (kiosk_config_get_warnings (config)->len, ==, 0);

  /* Given by the file, or left at the default. */
  g_assert_true (kiosk_config_is_given (config, "kiosk", "width"));
  g_assert_false (kiosk_config_is_given (config, "kiosk", "time_zone"));
  g_assert_true (kiosk_config_set (config, "kiosk", "time_zone", "Asia/Shanghai", &error));
  g_assert_true (kiosk_config_is_given (config, "kiosk", "time_zone"));
}

/* Each bad file must fail with the file, the line and the key in the message. */
static const struct
{
  const char *text;
  const char *expect; /* after "PATH:" */
} bad_cases[] = {
  { "[kiosk]\nid = a\nwidth = wide\n", "3: [kiosk] width: \"wide\" is not a whole number" },
  { "[kiosk]\n\nwidth = 99999\n", "3: [kiosk] width: \"99999\" is not a whole number from 320 to 7680" },
  { "[queue]\nreset_time = 25:00\n", "2: [queue] reset_time: \"25:00\" is not a time of day" },
  { "[queue]\nreset_time = 8.30\n", "2: [queue] reset_time:" },
  { "[kiosk]\nhide_cursor = yes\n", "2: [kiosk] hide_cursor: \"yes\" is not true or false" },
  { "[printer]\n# usb\ntransport = bluetooth\n", "3: [printer] transport: \"bluetooth\" is not one of" },
};

static void
test_bad_values (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskConfig) config = load_text (f, bad_cases[i].text, &error);
      g_autofree char *expect = g_strdup_printf ("%s:%s", f->path, bad_cases[i].expect);

      g_assert_null (config);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, expect))
        g_error ("case %u: got \"%s\", want prefix \"%s\"", i, error->message, expect);
    }
}

static void
test_unknown_warned (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config
      = load_text (f, "[kiosk]\nid = a\nwdith = 1080\n[printr]\nport = 9\n", &error);
  GPtrArray *warnings;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  warnings = kiosk_config_get_warnings (config);
  g_assert_cmpuint (warnings->len, ==, 2);
  first = g_strdup_printf ("%s:3: [kiosk] wdith: unknown key ignored", f->path);
  second = g_strdup_printf ("%s:4: unknown group [printr] ignored", f->path);
  g_assert_cmpstr (warnings->pdata[0], ==, first);
  g_assert_cmpstr (warnings->pdata[1], ==, second);
  /* The misspelt key did not change the real one. */
  g_assert_cmpint (kiosk_config_get_int (config, "kiosk", "width"), ==, 1080);
}

static void
test_syntax_error (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = load_text (f, "[kiosk\nid = a\n", &error);

  g_assert_null (config);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, f->path));
}

static void
test_missing_file (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = kiosk_config_load (f->path, &error);

  g_assert_null (config);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
}

/* The example file is the documentation: it must name every key, no more,
 * and load without a warning. */
static void
test_example_documents_every_key (Fixture *f, gconstpointer data)
{
  g_autofree char *example = kiosk_test_asset_path ("kiosk.conf.example");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = kiosk_config_load (example, &error);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  guint n_keys = 0;
  const KioskConfigKeyName *names = kiosk_config_list_keys (&n_keys);
  g_auto (GStrv) groups = NULL;
  guint in_file = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (kiosk_config_get_warnings (config)->len, ==, 0);
  g_assert_true (g_key_file_load_from_file (file, example, G_KEY_FILE_NONE, NULL));
  for (guint i = 0; i < n_keys; i++)
    if (!g_key_file_has_key (file, names[i].group, names[i].key, NULL))
      g_error ("[%s] %s is not documented in kiosk.conf.example", names[i].group, names[i].key);
  groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; groups[g]; g++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (file, groups[g], NULL, NULL);
      in_file += g_strv_length (keys);
    }
  g_assert_cmpuint (in_file, ==, n_keys);
}

static void
test_set (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = kiosk_config_new ();

  g_assert_true (kiosk_config_set (config, "kiosk", "state_dir", "/tmp/x", &error));
  g_assert_cmpstr (kiosk_config_get_string (config, "kiosk", "state_dir"), ==, "/tmp/x");
  g_assert_false (kiosk_config_set (config, "kiosk", "width", "-5", &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kiosk_config_set (config, "kiosk", "nope", "1", &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/config/defaults", test_defaults);
  ADD ("/kiosk/config/values", test_values);
  ADD ("/kiosk/config/bad-values", test_bad_values);
  ADD ("/kiosk/config/unknown-warned", test_unknown_warned);
  ADD ("/kiosk/config/syntax-error", test_syntax_error);
  ADD ("/kiosk/config/missing-file", test_missing_file);
  ADD ("/kiosk/config/example-documents-every-key", test_example_documents_every_key);
  ADD ("/kiosk/config/set", test_set);
#undef ADD
  return g_test_run ();
}
