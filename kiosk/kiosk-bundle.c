/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-bundle"

#include <json-glib/json-glib.h>

#include "kiosk-bundle-limits.h"
#include "kiosk-bundle.h"
#include "kiosk-error.h"

/* The manifest format this kiosk reads; a bundle for a newer one is refused. */
#define MANIFEST_FORMAT 1

struct _KioskBundle
{
  GObject parent_instance;

  /* Owned; never changed after kiosk_bundle_load() returns */
  char *dir;
  gint64 release;
  KioskText centre_name;
  GHashTable *hours; /* id → KioskHours* */
  GPtrArray *categories;
  GPtrArray *queues;
  GPtrArray *services;
  GPtrArray *announcements;
  KioskFitnessRules *fitness;
};

G_DEFINE_FINAL_TYPE (KioskBundle, kiosk_bundle, G_TYPE_OBJECT)

const char *
kiosk_text_get (const KioskText *text, const char *lang)
{
  return g_strcmp0 (lang, "en") == 0 ? text->en : text->zh;
}

static void
text_clear (KioskText *text)
{
  g_clear_pointer (&text->zh, g_free);
  g_clear_pointer (&text->en, g_free);
}

static void
text_free (KioskText *text)
{
  text_clear (text);
  g_free (text);
}

static void
category_free (KioskCategory *c)
{
  g_free (c->id);
  text_clear (&c->name);
  g_free (c->icon);
  g_free (c);
}

static void
queue_free (KioskQueueDef *q)
{
  g_free (q->id);
  text_clear (&q->name);
  g_free (q);
}

static void
service_free (KioskService *s)
{
  g_free (s->id);
  text_clear (&s->name);
  text_clear (&s->description);
  g_clear_pointer (&s->documents, g_ptr_array_unref);
  g_free (s->icon);
  g_free (s);
}

static void
group_free (KioskFitnessGroup *g)
{
  g_free (g->id);
  text_clear (&g->name);
  g_free (g);
}

static void
fitness_free (KioskFitnessRules *f)
{
  text_clear (&f->name);
  text_clear (&f->rules);
  g_clear_pointer (&f->groups, g_ptr_array_unref);
  g_free (f);
}

static void
announcement_free (KioskAnnouncement *a)
{
  g_free (a->id);
  text_clear (&a->title);
  text_clear (&a->body);
  g_free (a->image);
  g_clear_pointer (&a->valid_from, g_date_time_unref);
  g_clear_pointer (&a->valid_until, g_date_time_unref);
  g_free (a);
}

static void
kiosk_bundle_finalize (GObject *object)
{
  KioskBundle *self = KIOSK_BUNDLE (object);

  g_free (self->dir);
  text_clear (&self->centre_name);
  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->queues, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->announcements, g_ptr_array_unref);
  g_clear_pointer (&self->fitness, fitness_free);
  g_clear_pointer (&self->hours, g_hash_table_unref);
  G_OBJECT_CLASS (kiosk_bundle_parent_class)->finalize (object);
}

static void
kiosk_bundle_class_init (KioskBundleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_bundle_finalize;
}

static void
kiosk_bundle_init (KioskBundle *self)
{
  self->hours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)kiosk_hours_free);
  self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify)category_free);
  self->queues = g_ptr_array_new_with_free_func ((GDestroyNotify)queue_free);
  self->services = g_ptr_array_new_with_free_func ((GDestroyNotify)service_free);
  self->announcements = g_ptr_array_new_with_free_func ((GDestroyNotify)announcement_free);
}

/* Typed readers: each names @where (e.g. "services[3] (legal-aid)") in its error. */

static gboolean
fail (GError **error, const char *where, const char *member, const char *why)
{
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: \"%s\" %s", where, member, why);
  return FALSE;
}

static gboolean
read_string (JsonObject *obj, const char *member, gboolean required, const char *where, char **out,
             GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? fail (error, where, member, "is missing") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || *json_node_get_string (node) == '\0')
    return fail (error, where, member, "must be a non-empty string");
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_int (JsonObject *obj, const char *member, gint64 fallback, gint64 min, gint64 max, const char *where,
          int *out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);
  gint64 value = fallback;

  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return fail (error, where, member, "must be a whole number");
      value = json_node_get_int (node);
    }
  else if (fallback == G_MININT64)
    return fail (error, where, member, "is missing");

  if (value < min || value > max)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "%s: \"%s\" is %" G_GINT64_FORMAT ", must be between %" G_GINT64_FORMAT
                   " and %" G_GINT64_FORMAT,
                   where, member, value, min, max);
      return FALSE;
    }
  *out = (int)value;
  return TRUE;
}

static gboolean
read_text_node (JsonNode *node, const char *where, const char *member, KioskText *out, GError **error)
{
  JsonObject *obj;
  g_autofree char *inner = g_strdup_printf ("%s: %s", where, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, where, member, "must be an object {\"zh\": …, \"en\": …}");
  obj = json_node_get_object (node);
  return read_string (obj, "zh", TRUE, inner, &out->zh, error)
         && read_string (obj, "en", TRUE, inner, &out->en, error);
}

static gboolean
read_text (JsonObject *obj, const char *member, gboolean required, const char *where, KioskText *out,
           GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL && !required)
    return TRUE;
  if (node == NULL)
    return fail (error, where, member, "is missing");
  return read_text_node (node, where, member, out, error);
}

/* An array member; *@out is NULL when an optional one is absent. */
static gboolean
read_array (JsonObject *obj, const char *member, gboolean required, const char *where, JsonArray **out,
            GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  *out = NULL;
  if (node == NULL && !required)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, where, member, node ? "must be a list" : "is missing");
  *out = json_node_get_array (node);
  return TRUE;
}

static guint
array_length (JsonArray *array)
{
  return array ? json_array_get_length (array) : 0;
}

static JsonObject *
element_object (JsonArray *array, guint i, const char *where, GError **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s[%u]: must be an object", where, i);
      return NULL;
    }
  return json_node_get_object (node);
}

static const KioskHours *
lookup_hours (KioskBundle *self, JsonObject *obj, gboolean required, const char *where, GError **error)
{
  g_autofree char *id = NULL;
  const KioskHours *hours;

  if (!read_string (obj, "hours", required, where, &id, error) || id == NULL)
    return NULL;
  hours = g_hash_table_lookup (self->hours, id);
  if (hours == NULL)
    g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: hours \"%s\" do not exist", where, id);
  return hours;
}

static gboolean
parse_hours (KioskBundle *self, JsonObject *root, GError **error)
{
  JsonNode *node = json_object_get_member (root, "hours");
  JsonObject *all;
  g_autoptr (GList) ids = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "manifest", "hours", "must be an object of named opening hours");
  all = json_node_get_object (node);
  ids = json_object_get_members (all);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonNode *h = json_object_get_member (all, l->data);
      KioskHours *hours;

      if (!JSON_NODE_HOLDS_OBJECT (h))
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "hours \"%s\": must be an object",
                       (const char *)l->data);
          return FALSE;
        }
      hours = kiosk_hours_new_from_json (l->data, json_node_get_object (h), error);
      if (hours == NULL)
        return FALSE;
      g_hash_table_insert (self->hours, g_strdup (l->data), hours);
    }
  return TRUE;
}

static gboolean
parse_categories (KioskBundle *self, JsonObject *root, GError **error)
{
  JsonArray *array;

  if (!read_array (root, "categories", TRUE, "manifest", &array, error))
    return FALSE;
  for (guint i = 0; i < array_length (array); i++)
    {
      JsonObject *obj = element_object (array, i, "categories", error);
      KioskCategory *c = g_new0 (KioskCategory, 1);
      g_autofree char *where = g_strdup_printf ("categories[%u]", i);

      g_ptr_array_add (self->categories, c);
      if (obj == NULL || !read_string (obj, "id", TRUE, where, &c->id, error))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("categories[%u] (%s)", i, c->id);
      if (kiosk_bundle_find_category (self, c->id) != c)
        return fail (error, where, "id", "is used twice");
      if (!read_text (obj, "name", TRUE, where, &c->name, error)
          || !read_string (obj, "icon", FALSE, where, &c->icon, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_queues (KioskBundle *self, JsonObject *root, GError **error)
{
  JsonArray *array;

  if (!read_array (root, "queues", TRUE, "manifest", &array, error))
    return FALSE;
  for (guint i = 0; i < array_length (array); i++)
    {
      JsonObject *obj = element_object (array, i, "queues", error);
      KioskQueueDef *q = g_new0 (KioskQueueDef, 1);
      g_autofree char *where = g_strdup_printf ("queues[%u]", i);
      g_autofree char *prefix = NULL;

      g_ptr_array_add (self->queues, q);
      if (obj == NULL || !read_string (obj, "id", TRUE, where, &q->id, error))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("queues[%u] (%s)", i, q->id);
      if (kiosk_bundle_find_queue (self, q->id) != q)
        return fail (error, where, "id", "is used twice");
      if (!read_string (obj, "prefix", TRUE, where, &prefix, error)
          || !read_text (obj, "name", TRUE, where, &q->name, error)
          || !read_int (obj, "first", 1, 0, 9999, where, &q->first, error)
          || !read_int (obj, "last", 999, 0, 9999, where, &q->last, error)
          || !read_int (obj, "daily_cap", 0, 0, 9999, where, &q->daily_cap, error)
          || !read_int (obj, "default_service_minutes", 10, 1, 240, where, &q->default_service_minutes, error)
          || !read_int (obj, "counters", 1, 1, 99, where, &q->counters, error))
        return FALSE;
      if (strlen (prefix) != 1 || !g_ascii_isupper (prefix[0]))
        return fail (error, where, "prefix", "must be one capital letter A–Z");
      q->prefix = prefix[0];
      for (guint j = 0; j + 1 < self->queues->len; j++)
        if (((KioskQueueDef *)self->queues->pdata[j])->prefix == q->prefix)
          return fail (error, where, "prefix", "is used by another queue");
      if (q->first > q->last)
        return fail (error, where, "first", "is after \"last\"");
      if (q->daily_cap > q->last - q->first + 1)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                       "%s: the range %d–%d cannot hold a day's cap of %d tickets", where, q->first, q->last,
                       q->daily_cap);
          return FALSE;
        }
      q->hours = lookup_hours (self, obj, TRUE, where, error);
      if (q->hours == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_services (KioskBundle *self, JsonObject *root, GError **error)
{
  JsonArray *array;

  if (!read_array (root, "services", TRUE, "manifest", &array, error))
    return FALSE;
  for (guint i = 0; i < array_length (array); i++)
    {
      JsonObject *obj = element_object (array, i, "services", error);
      KioskService *s = g_new0 (KioskService, 1);
      g_autofree char *where = g_strdup_printf ("services[%u]", i);
      g_autofree char *category = NULL;
      g_autofree char *queue = NULL;
      JsonArray *docs;
      JsonNode *lanes;

      g_ptr_array_add (self->services, s);
      s->documents = g_ptr_array_new_with_free_func ((GDestroyNotify)text_free);
      if (obj == NULL || !read_string (obj, "id", TRUE, where, &s->id, error))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("services[%u] (%s)", i, s->id);
      if (kiosk_bundle_find_service (self, s->id) != s)
        return fail (error, where, "id", "is used twice");
      if (!read_text (obj, "name", TRUE, where, &s->name, error)
          || !read_text (obj, "description", FALSE, where, &s->description, error)
          || !read_string (obj, "icon", FALSE, where, &s->icon, error)
          || !read_string (obj, "category", TRUE, where, &category, error)
          || !read_string (obj, "queue", TRUE, where, &queue, error)
          || !read_int (obj, "daily_cap", 0, G_MININT32, 9999, where, &s->daily_cap, error))
        return FALSE;
      if (s->daily_cap < 0)
        return fail (error, where, "daily_cap", "must not be negative");
      s->category = kiosk_bundle_find_category (self, category);
      if (s->category == NULL)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: category \"%s\" does not exist", where,
                       category);
          return FALSE;
        }
      s->queue = kiosk_bundle_find_queue (self, queue);
      if (s->queue == NULL)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: queue \"%s\" does not exist", where,
                       queue);
          return FALSE;
        }
      s->hours = json_object_has_member (obj, "hours") ? lookup_hours (self, obj, TRUE, where, error)
                                                       : s->queue->hours;
      if (s->hours == NULL)
        return FALSE;

      lanes = json_object_get_member (obj, "priority_lanes");
      if (lanes != NULL
          && (!JSON_NODE_HOLDS_VALUE (lanes) || json_node_get_value_type (lanes) != G_TYPE_BOOLEAN))
        return fail (error, where, "priority_lanes", "must be true or false");
      s->priority_lanes = lanes ? json_node_get_boolean (lanes) : TRUE;

      if (!read_array (obj, "documents", FALSE, where, &docs, error))
        return FALSE;
      for (guint j = 0; j < array_length (docs); j++)
        {
          KioskText *doc = g_new0 (KioskText, 1);
          g_autofree char *member = g_strdup_printf ("documents[%u]", j);

          g_ptr_array_add (s->documents, doc);
          if (!read_text_node (json_array_get_element (docs, j), where, member, doc, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_fitness (KioskBundle *self, JsonObject *root, GError **error)
{
  JsonNode *node = json_object_get_member (root, "fitness");
  JsonObject *obj;
  KioskFitnessRules *f;
  JsonArray *groups;
  const char *where = "fitness";

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "manifest", "fitness", "must be an object");
  obj = json_node_get_object (node);
  f = self->fitness = g_new0 (KioskFitnessRules, 1);
  f->groups = g_ptr_array_new_with_free_func ((GDestroyNotify)group_free);
  if (!read_text (obj, "name", TRUE, where, &f->name, error)
      || !read_text (obj, "rules", FALSE, where, &f->rules, error)
      || !read_int (obj, "capacity", G_MININT64, 1, 10000, where, &f->capacity, error)
      || !read_int (obj, "anti_passback_minutes", 5, 0, 24 * 60, where, &f->anti_passback_minutes, error)
      || !read_int (obj, "stay_hours", 3, 1, 24, where, &f->stay_hours, error))
    return FALSE;
  f->hours = lookup_hours (self, obj, TRUE, where, error);
  if (f->hours == NULL)
    return FALSE;

  if (!read_array (obj, "groups", FALSE, where, &groups, error))
    return FALSE;
  for (guint i = 0; i < array_length (groups); i++)
    {
      JsonObject *g = element_object (groups, i, "fitness.groups", error);
      KioskFitnessGroup *group = g_new0 (KioskFitnessGroup, 1);
      g_autofree char *gwhere = g_strdup_printf ("fitness.groups[%u]", i);

      g_ptr_array_add (f->groups, group);
      if (g == NULL || !read_string (g, "id", TRUE, gwhere, &group->id, error)
          || !read_text (g, "name", TRUE, gwhere, &group->name, error))
        return FALSE;
      group->hours
          = json_object_has_member (g, "hours") ? lookup_hours (self, g, TRUE, gwhere, error) : f->hours;
      if (group->hours == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_time (JsonObject *obj, const char *member, const char *where, GDateTime **out, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");

  if (!read_string (obj, member, FALSE, where, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (tz == NULL)
    tz = g_time_zone_new_offset (8 * 3600);
  *out = g_date_time_new_from_iso8601 (text, tz);
  if (*out == NULL)
    return fail (error, where, member, "is not a time like \"2026-11-23T08:00:00+08:00\"");
  return TRUE;
}

static gboolean
parse_announcements (KioskBundle *self, JsonObject *root, GError **error)
{
  JsonArray *array;

  if (!read_array (root, "announcements", FALSE, "manifest", &array, error))
    return FALSE;
  for (guint i = 0; i < array_length (array); i++)
    {
      JsonObject *obj = element_object (array, i, "announcements", error);
      KioskAnnouncement *a = g_new0 (KioskAnnouncement, 1);
      g_autofree char *where = g_strdup_printf ("announcements[%u]", i);
      g_autofree char *image = NULL;

      g_ptr_array_add (self->announcements, a);
      if (obj == NULL || !read_string (obj, "id", TRUE, where, &a->id, error))
        return FALSE;
      g_free (where);
      where = g_strdup_printf ("announcements[%u] (%s)", i, a->id);
      if (!read_text (obj, "title", TRUE, where, &a->title, error)
          || !read_text (obj, "body", TRUE, where, &a->body, error)
          || !read_time (obj, "valid_from", where, &a->valid_from, error)
          || !read_time (obj, "valid_until", where, &a->valid_until, error)
          || !read_string (obj, "image", FALSE, where, &image, error))
        return FALSE;
      if (a->valid_from && a->valid_until && g_date_time_compare (a->valid_from, a->valid_until) >= 0)
        return fail (error, where, "valid_until", "is not after \"valid_from\"");
      if (image != NULL)
        {
          g_autofree char *field = g_strdup_printf ("announcements[%u].image", i);

          /* Only files inside the bundle: a release must be self-contained. */
          if (g_path_is_absolute (image) || strstr (image, "..") != NULL)
            return fail (error, where, "image", "must be a relative path inside the bundle");
          a->image = g_build_filename (self->dir, image, NULL);
          if (!g_file_test (a->image, G_FILE_TEST_IS_REGULAR))
            return fail (error, where, "image", "names a file that is not in the bundle");
          if (!kiosk_bundle_check_image (a->image, field, error))
            return FALSE;
        }
    }
  return TRUE;
}

KioskBundle *
kiosk_bundle_load (const char *dir, GError **error)
{
  g_autoptr (KioskBundle) self = g_object_new (KIOSK_TYPE_BUNDLE, NULL);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *manifest = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonObject *root;
  JsonNode *centre;
  int format = 0;
  int release = 0;

  g_return_val_if_fail (dir != NULL, NULL);

  self->dir = g_canonicalize_filename (dir, NULL);
  manifest = g_build_filename (self->dir, "manifest.json", NULL);
  if (!g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "no manifest.json in content bundle %s",
                   self->dir);
      return NULL;
    }
  /* Sizes before reading anything: docs/content-releases.md, "Limits". */
  if (!kiosk_bundle_check_manifest_size (manifest, error) || !kiosk_bundle_check_folder (self->dir, error))
    goto invalid;
  if (!json_parser_load_from_mapped_file (parser, manifest, &local_error))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: not valid JSON: %s", manifest,
                   local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: the top level must be an object", manifest);
      return NULL;
    }
  if (!kiosk_bundle_check_json (json_parser_get_root (parser), error))
    goto invalid;
  root = json_node_get_object (json_parser_get_root (parser));

  if (!read_int (root, "format", G_MININT64, 1, G_MAXINT32, "manifest", &format, error)
      || !read_int (root, "release", G_MININT64, 1, G_MAXINT32, "manifest", &release, error))
    goto invalid;
  if (format != MANIFEST_FORMAT)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "manifest: format %d is not supported (this kiosk reads %d)", format, MANIFEST_FORMAT);
      goto invalid;
    }
  self->release = release;

  centre = json_object_get_member (root, "centre");
  if (centre == NULL || !JSON_NODE_HOLDS_OBJECT (centre))
    {
      fail (error, "manifest", "centre", "must be an object with a name");
      goto invalid;
    }
  if (!read_text (json_node_get_object (centre), "name", TRUE, "centre", &self->centre_name, error)
      || !parse_hours (self, root, error) || !parse_categories (self, root, error)
      || !parse_queues (self, root, error) || !parse_services (self, root, error)
      || !parse_fitness (self, root, error) || !parse_announcements (self, root, error))
    goto invalid;

  return g_steal_pointer (&self);

invalid:
  g_prefix_error (error, "content bundle %s: ", self->dir);
  return NULL;
}

const char *
kiosk_bundle_get_dir (KioskBundle *self)
{
  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), NULL);
  return self->dir;
}

gint64
kiosk_bundle_get_release (KioskBundle *self)
{
  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), 0);
  return self->release;
}

const KioskText *
kiosk_bundle_get_centre_name (KioskBundle *self)
{
  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), NULL);
  return &self->centre_name;
}

GPtrArray *
kiosk_bundle_get_categories (KioskBundle *self)
{
  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), NULL);
  return self->categories;
}

GPtrArray *
kiosk_bundle_get_queues (KioskBundle *self)
{
  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), NULL);
  return self->queues;
}

GPtrArray *
kiosk_bundle_get_services (KioskBundle *self)
{
  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), NULL);
  return self->services;
}

GPtrArray *
kiosk_bundle_get_announcements (KioskBundle *self)
{
  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), NULL);
  return self->announcements;
}

const KioskFitnessRules *
kiosk_bundle_get_fitness (KioskBundle *self)
{
  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), NULL);
  return self->fitness;
}

/* The first element of @array whose leading "char *id" equals @id. All the
 * bundle's item structs start with their id. */
static gpointer
find_by_id (GPtrArray *array, const char *id)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (*(char **)array->pdata[i], id) == 0)
      return array->pdata[i];
  return NULL;
}

const KioskCategory *
kiosk_bundle_find_category (KioskBundle *self, const char *id)
{
  return find_by_id (self->categories, id);
}

const KioskQueueDef *
kiosk_bundle_find_queue (KioskBundle *self, const char *id)
{
  return find_by_id (self->queues, id);
}

const KioskService *
kiosk_bundle_find_service (KioskBundle *self, const char *id)
{
  return find_by_id (self->services, id);
}

const KioskHours *
kiosk_bundle_find_hours (KioskBundle *self, const char *id)
{
  return g_hash_table_lookup (self->hours, id);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
kiosk_bundle_get_hours_names (KioskBundle *self)
{
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (KIOSK_IS_BUNDLE (self), NULL);

  g_hash_table_iter_init (&iter, self->hours);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (out, key);
  g_ptr_array_sort (out, compare_names);
  return out;
}

GPtrArray *
kiosk_bundle_services_in (KioskBundle *self, const KioskCategory *category)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < self->services->len; i++)
    if (((KioskService *)self->services->pdata[i])->category == category)
      g_ptr_array_add (out, self->services->pdata[i]);
  return out;
}

GPtrArray *
kiosk_bundle_active_announcements (KioskBundle *self, GDateTime *now)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < self->announcements->len; i++)
    {
      KioskAnnouncement *a = self->announcements->pdata[i];

      if ((a->valid_from == NULL || g_date_time_compare (now, a->valid_from) >= 0)
          && (a->valid_until == NULL || g_date_time_compare (now, a->valid_until) < 0))
        g_ptr_array_add (out, a);
    }
  return out;
}
