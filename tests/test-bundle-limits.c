/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-bundle-limits"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "kiosk-bundle-limits.h"
#include "kiosk-bundle.h"
#include "kiosk-error.h"
#include "kiosk-test-util.h"

/* Each limit of kiosk-bundle-limits.c taken to its value (the bundle loads)
 * and one past it (it does not, and the error names the field and the
 * limit), from the packaged bundle. */

typedef struct
{
  char *dir;
  JsonNode *root; /* the packaged manifest, changed by each case */
} Fixture;

/* json_node_copy() shares objects and arrays; cases change them. */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  JsonNode *copy = json_from_string (text, NULL);

  g_assert_nonnull (copy);
  return copy;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = kiosk_test_asset_path ("content/default/manifest.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  f->dir = kiosk_test_make_tmpdir ("bundle-limits");
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  f->root = deep_copy (json_parser_get_root (parser));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  json_node_unref (f->root);
}

static void
write_manifest (Fixture *f, JsonNode *root)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *path = g_build_filename (f->dir, "manifest.json", NULL);
  g_autoptr (GError) error = NULL;

  json_generator_set_root (generator, root);
  g_assert_true (json_generator_to_file (generator, path, &error));
  g_assert_no_error (error);
}

static KioskBundle *
load (Fixture *f, JsonNode *root, GError **error)
{
  if (root != NULL)
    write_manifest (f, root);
  return kiosk_bundle_load (f->dir, error);
}

static void
assert_loads (Fixture *f, JsonNode *root)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = load (f, root, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bundle);
}

/* Refused, naming @field and @max. */
static void
assert_refused (Fixture *f, JsonNode *root, const char *field, gint64 max)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = load (f, root, &error);
  g_autofree char *named = g_strdup_printf (": %s: 超出上限 / over the limit: ", field);
  g_autofree char *limit = g_strdup_printf (", at most %" G_GINT64_FORMAT " (", max);

  g_assert_null (bundle);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, named));
  g_assert_nonnull (strstr (error->message, limit));
}

/* The node at "a.b[2].c" (NULL if there is none). */
static JsonNode *
lookup (JsonNode *root, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      char *bracket = strchr (parts[i], '[');
      guint index = bracket ? (guint)g_ascii_strtoull (bracket + 1, NULL, 10) : 0;

      if (bracket != NULL)
        *bracket = '\0';
      node = JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node), parts[i])
                                           : NULL;
      if (bracket != NULL && node != NULL)
        node = JSON_NODE_HOLDS_ARRAY (node) && index < json_array_get_length (json_node_get_array (node))
                   ? json_array_get_element (json_node_get_array (node), index)
                   : NULL;
    }
  return node;
}

static char *
repeat (const char *unit, gint64 n)
{
  GString *out = g_string_new (NULL);

  for (gint64 i = 0; i < n; i++)
    g_string_append (out, unit);
  return g_string_free (out, FALSE);
}

/* Every string equal to @from becomes @to: an id renamed everywhere stays
 * referred to. */
static void
rename_values (JsonNode *node, const char *from, const char *to)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        rename_values (json_array_get_element (array, i), from, to);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr (GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        rename_values (json_object_get_member (object, l->data), from, to);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
           && g_str_equal (json_node_get_string (node), from))
    json_node_set_string (node, to);
}

/* As rename_values(), and the set of hours of that name too. */
static void
rename_everywhere (JsonNode *root, const char *from, const char *to)
{
  JsonObject *hours = json_node_get_object (lookup (root, "hours"));

  rename_values (root, from, to);
  if (json_object_has_member (hours, from))
    {
      JsonNode *member = deep_copy (json_object_get_member (hours, from));
      json_object_remove_member (hours, from);
      json_object_set_member (hours, to, member);
    }
}

/* Item @i of a list grown from its first: unique where it must be. */
static JsonNode *
make_item (const char *field, JsonNode *first, guint i)
{
  JsonNode *item = deep_copy (first);

  if (g_str_equal (field, "hours.*.weekly.*"))
    {
      g_autofree char *span = g_strdup_printf ("%02u:00-%02u:30", i, i);
      json_node_set_string (item, span);
    }
  else if (g_str_equal (field, "hours.*.holidays"))
    {
      g_autoptr (GDateTime) day = g_date_time_new_utc (2030, 1, 1, 0, 0, 0);
      g_autoptr (GDateTime) later = g_date_time_add_days (day, (int)i);
      g_autofree char *text = g_date_time_format (later, "%Y-%m-%d");
      json_node_set_string (item, text);
    }
  else if (JSON_NODE_HOLDS_OBJECT (item))
    {
      JsonObject *object = json_node_get_object (item);
      g_autofree char *id = g_strdup_printf ("item-%u", i);
      char prefix[2] = { (char)('A' + i % 26), '\0' };

      if (json_object_has_member (object, "id"))
        json_object_set_string_member (object, "id", id);
      if (json_object_has_member (object, "prefix"))
        json_object_set_string_member (object, "prefix", prefix);
    }
  return item;
}

/* The list at @at grown to exactly @n items, keeping those it has (others
 * refer to them). */
static void
set_items (JsonNode *root, const char *field, const char *at, gint64 n)
{
  JsonArray *array = json_node_get_array (lookup (root, at));
  g_autoptr (JsonNode) first = deep_copy (json_array_get_element (array, 0));

  if (g_str_equal (field, "hours.*.weekly.*"))
    while (json_array_get_length (array) > 0)
      json_array_remove_element (array, 0);
  for (guint i = json_array_get_length (array); i < n; i++)
    json_array_add_element (array, make_item (field, first, i));
}

/* The object at @at with exactly @n members. */
static void
set_members (JsonNode *root, const char *field, const char *at, gint64 n)
{
  JsonObject *object = json_node_get_object (lookup (root, at));
  g_autoptr (GList) names = json_object_get_members (object);
  g_autoptr (JsonNode) first = deep_copy (json_object_get_member (object, names->data));

  for (guint i = 0; json_object_get_size (object) < n; i++)
    {
      g_autofree char *name = NULL;

      if (g_str_equal (field, "hours.*.workdays"))
        {
          g_autoptr (GDateTime) day = g_date_time_new_utc (2031, 1, 1, 0, 0, 0);
          g_autoptr (GDateTime) later = g_date_time_add_days (day, (int)i);
          name = g_date_time_format (later, "%Y-%m-%d");
        }
      else
        name = g_strdup_printf ("extra-%u", i);
      if (!json_object_has_member (object, name))
        json_object_set_member (object, name, deep_copy (first));
    }
}

typedef struct
{
  const char *field; /* as in the table */
  KioskLimitKind kind;
  const char *at;    /* where the packaged manifest has one */
  const char *named; /* the path the error names, when not @at */
} LimitCase;

static const LimitCase cases[] = {
  { "categories", KIOSK_LIMIT_ITEMS, "categories" },
  { "queues", KIOSK_LIMIT_ITEMS, "queues" },
  { "services", KIOSK_LIMIT_ITEMS, "services" },
  { "services[].documents", KIOSK_LIMIT_ITEMS, "services[0].documents" },
  { "fitness.groups", KIOSK_LIMIT_ITEMS, "fitness.groups" },
  { "announcements", KIOSK_LIMIT_ITEMS, "announcements" },
  { "hours", KIOSK_LIMIT_MEMBERS, "hours" },
  { "hours.*.weekly.*", KIOSK_LIMIT_ITEMS, "hours.hall.weekly.mon" },
  { "hours.*.holidays", KIOSK_LIMIT_ITEMS, "hours.hall.holidays" },
  { "hours.*.workdays", KIOSK_LIMIT_MEMBERS, "hours.hall.workdays" },
  { "centre.name.*", KIOSK_LIMIT_CHARS, "centre.name.zh" },
  { "categories[].name.*", KIOSK_LIMIT_CHARS, "categories[1].name.en" },
  { "queues[].name.*", KIOSK_LIMIT_CHARS, "queues[0].name.zh" },
  { "services[].name.*", KIOSK_LIMIT_CHARS, "services[2].name.zh" },
  { "services[].description.*", KIOSK_LIMIT_CHARS, "services[0].description.en" },
  { "services[].documents[].*", KIOSK_LIMIT_CHARS, "services[0].documents[1].zh" },
  { "fitness.name.*", KIOSK_LIMIT_CHARS, "fitness.name.zh" },
  { "fitness.rules.*", KIOSK_LIMIT_CHARS, "fitness.rules.en" },
  { "fitness.groups[].name.*", KIOSK_LIMIT_CHARS, "fitness.groups[0].name.zh" },
  { "announcements[].title.*", KIOSK_LIMIT_CHARS, "announcements[0].title.zh" },
  { "announcements[].body.*", KIOSK_LIMIT_CHARS, "announcements[2].body.en" },
  { "categories[].id", KIOSK_LIMIT_CHARS, "categories[3].id" },
  { "queues[].id", KIOSK_LIMIT_CHARS, "queues[1].id" },
  { "services[].id", KIOSK_LIMIT_CHARS, "services[0].id" },
  { "fitness.groups[].id", KIOSK_LIMIT_CHARS, "fitness.groups[1].id" },
  { "announcements[].id", KIOSK_LIMIT_CHARS, "announcements[1].id" },
  { "services[].category", KIOSK_LIMIT_CHARS, "services[4].category" },
  { "services[].queue", KIOSK_LIMIT_CHARS, "services[4].queue" },
  { "hours.*", KIOSK_LIMIT_CHARS, "hours.legal-duty", "hours" },
  { "*.hours", KIOSK_LIMIT_CHARS, "fitness.hours" },
  { "*[].hours", KIOSK_LIMIT_CHARS, "queues[4].hours" },
  { "*[].icon", KIOSK_LIMIT_CHARS, "services[3].icon" },
};

static void
take_to (Fixture *f, JsonNode *root, const LimitCase *c, gint64 n, gboolean everywhere)
{
  if (c->kind == KIOSK_LIMIT_ITEMS)
    set_items (root, c->field, c->at, n);
  else if (c->kind == KIOSK_LIMIT_MEMBERS)
    set_members (root, c->field, c->at, n);
  else if (g_str_equal (c->field, "hours.*"))
    {
      /* A name of a map: renamed with everything that refers to it. */
      g_autofree char *name = repeat ("h", n);
      rename_everywhere (root, strrchr (c->at, '.') + 1, name);
    }
  else
    {
      JsonNode *node = lookup (root, c->at);
      /* Chinese characters: the limit counts characters, not bytes. */
      g_autofree char *text = repeat (g_str_has_suffix (c->at, ".en") ? "e" : "字", n);

      /* Names of things are renamed with what refers to them; text is not
       * (a queue and a category may share a name but not its limit). */
      if (everywhere && !g_str_has_suffix (c->field, ".*"))
        {
          g_autofree char *from = g_strdup (json_node_get_string (node));
          rename_everywhere (root, from, text);
        }
      else
        json_node_set_string (node, text);
    }
}

static void
test_each_limit (Fixture *f, gconstpointer data)
{
  JsonArray *services = json_node_get_array (lookup (f->root, "services"));

  /* Five services are enough to take each limit, and keep the test quick
   * under the sanitizers, which slow every allocation down. */
  while (json_array_get_length (services) > 5)
    json_array_remove_element (services, json_array_get_length (services) - 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const LimitCase *c = &cases[i];
      const KioskBundleLimit *limit = kiosk_bundle_limit_find (c->field, c->kind);
      g_autoptr (JsonNode) at_limit = deep_copy (f->root);
      g_autoptr (JsonNode) past = deep_copy (f->root);

      g_test_message ("%s: %" G_GINT64_FORMAT " %s", c->field, limit->max, kiosk_bundle_limit_unit (c->kind));
      g_assert_cmpstr (limit->field, ==, c->field);
      g_assert_nonnull (lookup (f->root, c->at));
      take_to (f, at_limit, c, limit->max, TRUE);
      assert_loads (f, at_limit);
      take_to (f, past, c, limit->max + 1, FALSE);
      assert_refused (f, past, c->named ? c->named : c->at, limit->max);
    }
}

/* Every limit of the table is taken by a case here or by the file tests
 * below, but the defaults, which bound what no valid manifest has. */
static void
test_table_covered (void)
{
  guint n;
  const KioskBundleLimit *table = kiosk_bundle_limits (&n);

  for (guint i = 0; i < n; i++)
    {
      gboolean found = table[i].kind == KIOSK_LIMIT_BYTES || table[i].kind == KIOSK_LIMIT_FILES
                       || table[i].kind == KIOSK_LIMIT_PIXELS || g_str_equal (table[i].field, "*");

      for (guint j = 0; !found && j < G_N_ELEMENTS (cases); j++)
        found = g_str_equal (cases[j].field, table[i].field) && cases[j].kind == table[i].kind;
      if (!found)
        g_test_message ("no case for %s", table[i].field);
      /* Member names and image paths are taken by their own tests. */
      g_assert_true (found || g_str_equal (table[i].field, "(member name)")     /* test_defaults */
                     || g_str_equal (table[i].field, "announcements[].image")); /* test_image */
    }
}

/* docs/content-releases.md keeps a copy of the table for people: each limit's
 * number must be in its "Limits" section, in the words the docs use. */
static void
test_docs_agree (void)
{
  g_autofree char *root = g_strdup (g_getenv ("KIOSK_SOURCE_ROOT"));
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  const char *start, *end;
  g_autofree char *section = NULL;
  guint n;
  const KioskBundleLimit *table = kiosk_bundle_limits (&n);

  g_assert_nonnull (root);
  path = g_build_filename (root, "docs", "content-releases.md", NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  start = strstr (text, "\n## Limits\n");
  g_assert_nonnull (start);
  end = strstr (start + 1, "\n## ");
  section = g_strndup (start, end ? (gsize)(end - start) : strlen (start));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *words = NULL;

      switch (table[i].kind)
        {
          case KIOSK_LIMIT_BYTES:
            words = g_strdup_printf ("%" G_GINT64_FORMAT " MiB", table[i].max / (1024 * 1024));
            break;
          case KIOSK_LIMIT_CHARS:
            words = g_strdup_printf ("%" G_GINT64_FORMAT " characters", table[i].max);
            break;
          case KIOSK_LIMIT_FILES:
            words = g_strdup_printf ("%" G_GINT64_FORMAT " files", table[i].max);
            break;
          case KIOSK_LIMIT_PIXELS:
            words = g_strdup_printf ("%" G_GINT64_FORMAT " pixels", table[i].max);
            break;
          case KIOSK_LIMIT_ITEMS:
          case KIOSK_LIMIT_MEMBERS:
          default:
            words = g_str_equal (table[i].field, "*")
                        ? g_strdup_printf ("%" G_GINT64_FORMAT " %s", table[i].max,
                                           kiosk_bundle_limit_unit (table[i].kind))
                        : g_strdup_printf ("| %" G_GINT64_FORMAT " ", table[i].max);
            break;
        }
      g_test_message ("%s: \"%s\"", table[i].field, words);
      g_assert_nonnull (strstr (section, words));
    }
}

/* Unknown members: a long name, a long string, a long list: all bounded. */
static void
test_defaults (Fixture *f, gconstpointer data)
{
  JsonObject *centre = json_node_get_object (lookup (f->root, "centre"));
  g_autofree char *long_name = repeat ("m", 65);
  g_autofree char *long_text = repeat ("t", 257);
  JsonArray *list = json_array_new ();

  json_object_set_string_member (centre, "motto", long_text);
  assert_refused (f, f->root, "centre.motto", 256);
  json_object_remove_member (centre, "motto");

  json_object_set_int_member (centre, long_name, 1);
  assert_refused (f, f->root, "centre", 64);
  json_object_remove_member (centre, long_name);

  for (int i = 0; i < 65; i++)
    json_array_add_int_element (list, i);
  json_object_set_array_member (centre, "numbers", list);
  assert_refused (f, f->root, "centre.numbers", 64);
}

/* The case: a 60 MB manifest with a 20-million-character title. */
static void
test_huge_title (Fixture *f, gconstpointer data)
{
  g_autofree char *title = repeat ("长", 20 * 1000 * 1000);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = NULL;

  json_node_set_string (lookup (f->root, "announcements[0].title.zh"), title);
  bundle = load (f, f->root, &error);
  g_assert_null (bundle);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "manifest.json: 超出上限 / over the limit: "));
  g_assert_nonnull (strstr (error->message, "at most 1048576"));
}

/* The manifest pads to exactly its limit with spaces, then one byte more. */
static void
test_manifest_size (Fixture *f, gconstpointer data)
{
  const KioskBundleLimit *limit = kiosk_bundle_limit_find ("manifest.json", KIOSK_LIMIT_BYTES);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *path = g_build_filename (f->dir, "manifest.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr (GString) text = NULL;

  json_generator_set_root (generator, f->root);
  json = json_generator_to_data (generator, NULL);
  text = g_string_new (json);
  while (text->len < (gsize)limit->max)
    g_string_append_c (text, ' ');
  g_assert_true (g_file_set_contents (path, text->str, (gssize)text->len, NULL));
  assert_loads (f, NULL);
  g_string_append_c (text, ' ');
  g_assert_true (g_file_set_contents (path, text->str, (gssize)text->len, NULL));
  assert_refused (f, NULL, "manifest.json", limit->max);
}

static void
sparse_file (const char *path, gint64 size)
{
  FILE *file = g_fopen (path, "wb");

  g_assert_nonnull (file);
  g_assert_cmpint (ftruncate (fileno (file), size), ==, 0);
  fclose (file);
}

/* The folder's bytes (sparse files: no disk used) and its number of files. */
static void
test_folder (Fixture *f, gconstpointer data)
{
  const KioskBundleLimit *bytes = kiosk_bundle_limit_find ("bundle", KIOSK_LIMIT_BYTES);
  const KioskBundleLimit *files = kiosk_bundle_limit_find ("bundle", KIOSK_LIMIT_FILES);
  g_autofree char *manifest = g_build_filename (f->dir, "manifest.json", NULL);
  g_autofree char *filler = g_build_filename (f->dir, "filler.bin", NULL);
  g_autofree char *sub = g_build_filename (f->dir, "many", NULL);
  GStatBuf st;

  write_manifest (f, f->root);
  g_assert_cmpint (g_stat (manifest, &st), ==, 0);
  sparse_file (filler, bytes->max - st.st_size);
  assert_loads (f, NULL);
  sparse_file (filler, bytes->max - st.st_size + 1);
  assert_refused (f, NULL, "bundle", bytes->max);
  g_assert_cmpint (g_unlink (filler), ==, 0);

  /* manifest.json and the folder "many" count too. */
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  for (gint64 i = 0; i < files->max - 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/%" G_GINT64_FORMAT ".txt", sub, i);
      g_assert_true (g_file_set_contents (name, "x", 1, NULL));
    }
  assert_loads (f, NULL);
  {
    g_autofree char *name = g_build_filename (sub, "one-more.txt", NULL);
    g_assert_true (g_file_set_contents (name, "x", 1, NULL));
  }
  assert_refused (f, NULL, "bundle", files->max);
}

static void
add_listed (KioskRelease *release, const char *path, gint64 size)
{
  KioskReleaseFile *file = g_new0 (KioskReleaseFile, 1);

  file->path = g_strdup (path);
  file->size = size;
  file->sha256 = g_strnfill (64, '0');
  g_ptr_array_add (release->files, file);
}

/* What the updater checks from a signed release.json, before fetching. */
static void
test_listing (void)
{
  const gint64 mib = 1024 * 1024;
  struct
  {
    gint64 manifest, other, n_other;
    const char *refused; /* NULL: accepted */
  } listings[] = {
    { 26 * 1024, 64 * 1024, 1, NULL },
    { mib, 63 * mib, 1, NULL },
    { mib + 1, 0, 0, "manifest.json: 超出上限 / over the limit: 1048577 bytes" },
    { 1024, 64 * mib - 1024 + 1, 1, "bundle: 超出上限 / over the limit: 67108865 bytes" },
    { 1024, 10, 255, NULL },
    { 1024, 10, 256, "bundle: 超出上限 / over the limit: 257 files" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (listings); i++)
    {
      g_autoptr (KioskRelease) release = kiosk_release_new (7);
      g_autoptr (GError) error = NULL;

      add_listed (release, "manifest.json", listings[i].manifest);
      for (gint64 j = 0; j < listings[i].n_other; j++)
        {
          g_autofree char *path = g_strdup_printf ("images/%04" G_GINT64_FORMAT ".png", j);
          add_listed (release, path, listings[i].other);
        }
      g_assert_cmpint (kiosk_bundle_check_listing (release, &error), ==, listings[i].refused == NULL);
      if (listings[i].refused != NULL)
        {
          g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
          g_assert_true (g_str_has_prefix (error->message, listings[i].refused));
        }
    }
}

/* A PNG signature and IHDR claiming @width × @height: 33 bytes. */
static GBytes *
png_header (guint32 width, guint32 height)
{
  guint8 png[33] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

  for (int i = 0; i < 4; i++)
    {
      png[16 + i] = (guint8)(width >> (24 - 8 * i));
      png[20 + i] = (guint8)(height >> (24 - 8 * i));
    }
  png[24] = 8; /* bit depth; colour type, compression, filter, interlace 0; CRC not read */
  return g_bytes_new (png, sizeof png);
}

/* A JPEG's SOI, an APP0 segment, then SOF0 claiming @width × @height. */
static GBytes *
jpeg_header (guint16 width, guint16 height)
{
  guint8 jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0,    0, 1,    0,   1,
                    0,    0,    0xff, 0xc0, 0, 11, 8,   0,   0,   0,   0, 1, 1, 0x11, 0, 0xff, 0xd9 };

  jpeg[25] = (guint8)(height >> 8);
  jpeg[26] = (guint8)height;
  jpeg[27] = (guint8)(width >> 8);
  jpeg[28] = (guint8)width;
  return g_bytes_new (jpeg, sizeof jpeg);
}

static void
with_image (Fixture *f, GBytes *bytes)
{
  g_autofree char *path = g_build_filename (f->dir, "poster.img", NULL);
  JsonObject *first = json_node_get_object (lookup (f->root, "announcements[1]"));

  g_assert_true (
      g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize)g_bytes_get_size (bytes), NULL));
  json_object_set_string_member (first, "image", "poster.img");
  g_bytes_unref (bytes);
}

static void
test_image (Fixture *f, gconstpointer data)
{
  const KioskBundleLimit *pixels = kiosk_bundle_limit_find ("announcements[].image", KIOSK_LIMIT_PIXELS);
  const KioskBundleLimit *bytes = kiosk_bundle_limit_find ("announcements[].image", KIOSK_LIMIT_BYTES);
  g_autofree char *path = g_build_filename (f->dir, "poster.img", NULL);

  with_image (f, png_header (1080, (guint32)pixels->max));
  assert_loads (f, f->root);
  /* 33 bytes claiming a 100000 × 100000 picture: refused from its header. */
  with_image (f, png_header (100000, 100000));
  assert_refused (f, f->root, "announcements[1].image", pixels->max);
  with_image (f, png_header ((guint32)pixels->max + 1, 10));
  assert_refused (f, f->root, "announcements[1].image", pixels->max);

  with_image (f, jpeg_header ((guint16)pixels->max, 600));
  assert_loads (f, f->root);
  with_image (f, jpeg_header (65535, 65535));
  assert_refused (f, f->root, "announcements[1].image", pixels->max);

  /* Bytes: a PNG header padded to the limit loads; one byte more does not. */
  with_image (f, png_header (800, 600));
  g_assert_cmpint (truncate (path, bytes->max), ==, 0);
  assert_loads (f, f->root);
  g_assert_cmpint (truncate (path, bytes->max + 1), ==, 0);
  assert_refused (f, f->root, "announcements[1].image", bytes->max);

  /* The path itself. */
  {
    g_autofree char *name = repeat ("p", 256);
    with_image (f, png_header (800, 600));
    json_object_set_string_member (json_node_get_object (lookup (f->root, "announcements[1]")), "image",
                                   name);
    assert_refused (f, f->root, "announcements[1].image", 255);
  }

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (KioskBundle) bundle = NULL;

    with_image (f, g_bytes_new_static ("GIF89a\x01\x00\x01\x00", 10));
    bundle = load (f, f->root, &error);
    g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "announcements[1].image: 不是 PNG 或 JPEG"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/bundle-limits/each-limit", test_each_limit);
  g_test_add_func ("/kiosk/bundle-limits/table-covered", test_table_covered);
  g_test_add_func ("/kiosk/bundle-limits/docs-agree", test_docs_agree);
  g_test_add_func ("/kiosk/bundle-limits/listing", test_listing);
  ADD ("/kiosk/bundle-limits/defaults", test_defaults);
  ADD ("/kiosk/bundle-limits/huge-title", test_huge_title);
  ADD ("/kiosk/bundle-limits/manifest-size", test_manifest_size);
  ADD ("/kiosk/bundle-limits/folder", test_folder);
  ADD ("/kiosk/bundle-limits/image", test_image);
#undef ADD
  return g_test_run ();
}
