/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json"

#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-error.h"
#include "kiosk-json.h"
#include "kiosk-test-util.h"

/* What json-glib 1.6 reads without complaint, and what we accept. */
static const char *const accepted[] = {
  "{}",
  "[]",
  "1",
  "-0.5e+10",
  "[1e-999, 1.7976931348623157e308, 123456789012345678901234567890]", /* underflow is 0, not refused */
  "\"text\"",
  "true",
  " \n\t{ \"a\" : [1, 2.5, -3, true, false, null, \"x\"] }\r\n",
  "{\"a\":{\"a\":1},\"b\":{\"a\":2}}",         /* the same key in two objects */
  "[{\"a\":1},{\"a\":1}]",                     /* in two objects of one array */
  "{\"a\":{\"x\":1},\"b\":{\"x\":1,\"y\":2}}", /* a closed object's keys are forgotten */
  "{\"A\":1,\"a\":2}",                         /* keys differ by case */
  "{\"\\u00e9\":1,\"e\":2}",
  "{\"😀\":1,\"\\ud83d\\ude00x\":2}",
  "\xef\xbb\xbf{\"bom\":1}",
  "{\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
  "{\"a\":\"}]{[\\\"\"}", /* brackets inside a string are text */
};

static void
test_accepted (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) root = kiosk_json_parse (accepted[i], -1, NULL, &error);

      g_test_message ("%s", accepted[i]);
      g_assert_no_error (error);
      g_assert_nonnull (root);
    }
}

typedef struct
{
  const char *json;
  gsize offset; /* where the error points */
  const char *says;
} Refused;

/* Each is either a stack overflow, a document two readers read differently,
 * or something json-glib reads that RFC 8259 does not allow. */
static const Refused refused[] = {
  { "{\"a\":1,\"a\":2}", 7, "key \"a\" appears twice" },
  { "{\"a\":1,\"\\u0061\":2}", 7, "key \"a\" appears twice" }, /* equal once decoded */
  { "{\"x\":{\"k\":1,\"j\":{},\"k\":2}}", 19, "key \"k\" appears twice" },
  { "{\"a\":1 \"a\":2}", 7, "key \"a\" appears twice" },
  { "[{\"a\":1,\"b\":[{\"c\":1}],\"a\":3}]", 22, "key \"a\" appears twice" },
  { "{\"a\":1} {\"a\":2}", 8, "more text after the end" },
  { "1 2", 2, "more text after the end" },
  { "{'a':1}", 1, "unexpected '''" },
  { "{\"a\":1 /* c */}", 7, "unexpected '/'" },
  { "[0x10]", 1, "malformed number" },
  { "[010]", 1, "malformed number" },
  { "[1.]", 1, "malformed number" },
  { "[.5]", 1, "unexpected '.'" },
  { "[-]", 1, "malformed number" },
  { "[1e999]", 1, "number too large" }, /* json-glib: infinity, written back as "inf" */
  { "{\"a\":-1E+400}", 5, "number too large" },
  { "[+1]", 1, "unexpected '+'" },
  { "[True]", 1, "unexpected word \"True\"" },
  { "[NaN]", 1, "unexpected word \"NaN\"" },
  { "{\"a\":\"x\\u0000y\"}", 7, "\\u0000" },
  { "[\"\\ud800\"]", 2, "without its second half" },
  { "[\"\\udc00\"]", 2, "without its first half" },
  { "[\"\\ud800\\u0041\"]", 2, "without its second half" },
  { "[\"\\q\"]", 2, "unknown escape" },
  { "[\"\\u12\"]", 2, "four hex digits" },
  { "[\"a\nb\"]", 3, "control character 0x0a" },
  { "[\"abc", 1, "string not closed" },
  { "[1}", 2, "'}' does not close an open '['" },
  { "]", 0, "does not close an open bracket" },
  { "[[1]", 4, "1 bracket still open" },
  { "", 0, "empty" },
  { " \n ", 3, "empty" },
  { ",", 0, "',' outside any brackets" },
  { "[1,:2]", 3, "':' without a key" },
  { "[\"\xff\"]", 2, "not UTF-8" },
  { "{\"a\" 1}", 3, "expected character `:'" }, /* json-glib's own error, with a byte offset */
};

static void
test_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonParser) parser = json_parser_new_immutable ();
      g_autofree char *at = g_strdup_printf ("at byte %" G_GSIZE_FORMAT " ", refused[i].offset);
      KioskJsonPosition where = { 0 };

      g_autofree char *shown = g_strescape (refused[i].json, NULL);

      g_test_message ("%s", shown);
      g_assert_false (kiosk_json_parse_into (parser, refused[i].json, -1, NULL, &where, &error));
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, refused[i].says));
      g_assert_nonnull (strstr (error->message, at));
      g_assert_cmpuint (where.offset, ==, refused[i].offset);
    }
}

/* The attack: 100,000 levels in 200 KB overflowed json-glib's stack. */
static void
test_deep (void)
{
  for (int objects = 0; objects <= 1; objects++)
    {
      g_autofree char *doc = kiosk_test_deep_json (100000, objects);
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) root = kiosk_json_parse (doc, -1, NULL, &error);
      g_autofree char *at = g_strdup_printf ("at byte %u ", KIOSK_JSON_DEFAULT_MAX_DEPTH * (objects ? 5 : 1));

      g_assert_null (root);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "nested deeper than 32 levels"));
      g_assert_nonnull (strstr (error->message, at));
    }
}

static void
test_depth_limit (void)
{
  const KioskJsonLimits two = { 0, 2 };
  g_autofree char *at_limit = kiosk_test_deep_json (KIOSK_JSON_DEFAULT_MAX_DEPTH, TRUE);
  g_autofree char *past = kiosk_test_deep_json (KIOSK_JSON_DEFAULT_MAX_DEPTH + 1, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) a = kiosk_json_parse (at_limit, -1, NULL, &error);
  g_autoptr (JsonNode) b = NULL, c = NULL, d = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_assert_null (kiosk_json_parse (past, -1, NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);

  /* A caller's own limit. */
  b = kiosk_json_parse ("[[1]]", -1, &two, &error);
  g_assert_no_error (error);
  g_assert_null (kiosk_json_parse ("[[[1]]]", -1, &two, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "at byte 2 (line 1, column 3): nested deeper than 2 levels"));
}

static void
test_size_limit (void)
{
  const KioskJsonLimits small = { 8, 0 };
  g_autofree char *big = g_strnfill (KIOSK_JSON_DEFAULT_MAX_BYTES + 1, ' ');
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) ok = kiosk_json_parse ("[1,2,3]", -1, &small, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ok);
  g_assert_null (kiosk_json_parse ("[1,2,3,4]", 9, &small, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "JSON 过大 / JSON too large: 9 bytes, the limit is 8");
  g_clear_error (&error);

  /* NUL-terminated text is measured only up to the limit. */
  big[0] = '[';
  big[KIOSK_JSON_DEFAULT_MAX_BYTES] = ']';
  g_assert_null (kiosk_json_parse (big, -1, NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "JSON 过大 / JSON too large: more than 1048576 bytes, the limit is 1048576");
  g_clear_error (&error);
  g_assert_false (kiosk_json_check (big, KIOSK_JSON_DEFAULT_MAX_BYTES + 1, NULL, NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
}

/* Bytes that are not text: a NUL inside @length stops json-glib early. */
static void
test_nul_byte (void)
{
  static const char doc[] = "{\"a\":1}\0{\"a\":2}";
  g_autoptr (GError) error = NULL;

  g_assert_false (kiosk_json_check (doc, sizeof doc - 1, NULL, NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "at byte 7 (line 1, column 8): NUL byte"));
}

static void
test_line_column (void)
{
  g_autoptr (GError) error = NULL;
  KioskJsonPosition where;

  g_assert_false (kiosk_json_check ("{\n  \"a\": 1,\n  \"a\": 2\n}", -1, NULL, &where, &error));
  g_assert_cmpuint (where.offset, ==, 14);
  g_assert_cmpuint (where.line, ==, 3);
  g_assert_cmpuint (where.column, ==, 3);
  g_assert_nonnull (strstr (error->message, "at byte 14 (line 3, column 3): key \"a\" appears twice"));
}

/* json-glib 1.6 writes the double 1e98 as "1e+98.0": not JSON, refused by
 * PostgreSQL. kiosk_json_write says so instead of passing it on. */
static void
test_write (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) fine = kiosk_json_parse ("{\"a\":[1,2.5,\"x\"],\"b\":1.25e20}", -1, NULL, &error);
  g_autoptr (JsonNode) big = kiosk_json_parse ("{\"a\":1e98}", -1, NULL, &error);
  g_autofree char *text = kiosk_json_write (fine, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "{\"a\":[1,2.5,\"x\"],\"b\":1.25e+20}");
  g_assert_null (kiosk_json_write (big, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "malformed number"));
}

static void
test_file (void)
{
  g_autofree char *dir = kiosk_test_make_tmpdir ("json");
  g_autofree char *good = g_build_filename (dir, "good.json", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  FILE *fp;

  g_assert_true (g_file_set_contents (good, "{\"a\":[1]}", -1, NULL));
  root = kiosk_json_parse_file (good, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  /* 4 GiB, sparse: refused by its size, never read. */
  fp = fopen (huge, "w");
  g_assert_nonnull (fp);
  g_assert_cmpint (ftruncate (fileno (fp), G_GINT64_CONSTANT (4) << 30), ==, 0);
  fclose (fp);
  g_assert_null (kiosk_json_parse_file (huge, NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "4294967296 bytes, the limit is 1048576"));
  g_clear_error (&error);

  g_assert_null (kiosk_json_parse_file (missing, NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_null (kiosk_json_parse_file (empty, NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "empty"));
  kiosk_test_remove_tree (dir);
}

/* Every JSON parse in the programs goes through kiosk-json.c: json-glib's
 * own entry points appear nowhere else (tests read their own output). */
static const char *const parse_calls[] = {
  "json_parser_load_from",  "json_from_string",       "json_gvariant_deserialize_data",
  "json_gobject_from_data", "json_construct_gobject",
};
static const char *const program_dirs[] = { "kiosk", "hub", "tools", "ui", "drivers", "fuzz", "bench" };

static void
scan_tree (const char *root, const char *path, GPtrArray *offenders, guint *n_files)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *text = NULL;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          scan_tree (root, child, offenders, n_files);
          continue;
        }
      if (!(g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".h"))
          || g_str_equal (name, "kiosk-json.c"))
        continue;
      g_assert_true (g_file_get_contents (child, &text, NULL, NULL));
      (*n_files)++;
      for (guint i = 0; i < G_N_ELEMENTS (parse_calls); i++)
        if (strstr (text, parse_calls[i]) != NULL)
          g_ptr_array_add (offenders,
                           g_strdup_printf ("%s calls %s", child + strlen (root) + 1, parse_calls[i]));
    }
}

static void
test_no_direct_parser (void)
{
  const char *root = g_getenv ("KIOSK_SOURCE_ROOT");
  g_autoptr (GPtrArray) offenders = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  guint n_files = 0;

  g_assert_nonnull (root);
  for (guint i = 0; i < G_N_ELEMENTS (program_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (root, program_dirs[i], NULL);
      scan_tree (root, dir, offenders, &n_files);
    }
  g_assert_cmpuint (n_files, >, 100); /* the tree was found */
  g_ptr_array_add (offenders, NULL);
  joined = g_strjoinv ("\n", (char **)offenders->pdata);
  g_assert_cmpstr (joined, ==, "");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/json/accepted", test_accepted);
  g_test_add_func ("/kiosk/json/refused", test_refused);
  g_test_add_func ("/kiosk/json/deep-100000", test_deep);
  g_test_add_func ("/kiosk/json/depth-limit", test_depth_limit);
  g_test_add_func ("/kiosk/json/size-limit", test_size_limit);
  g_test_add_func ("/kiosk/json/nul-byte", test_nul_byte);
  g_test_add_func ("/kiosk/json/line-column", test_line_column);
  g_test_add_func ("/kiosk/json/file", test_file);
  g_test_add_func ("/kiosk/json/write", test_write);
  g_test_add_func ("/kiosk/json/no-direct-parser", test_no_direct_parser);
  return g_test_run ();
}
