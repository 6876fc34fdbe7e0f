/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-bundle"

#include <errno.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-bundle-limits.h"
#include "kiosk-error.h"

#define KIB (G_GINT64_CONSTANT (1024))
#define MIB (KIB * KIB)

/* Chosen so that a real centre never reaches them and a kiosk's memory stays
 * bounded. The packaged bundle (assets/content/default) has a 26 KB manifest,
 * 6 categories, 5 queues, 30 services with at most 4 documents, 3
 * announcements, titles under 40 and bodies under 130 characters; one
 * reported centre lists 123 services. A whole bundle at these limits takes
 * some tens of MiB of memory; a 2048 × 2048 image decodes to 16 MiB.
 * docs/content-releases.md keeps a copy of this table: change both. */
static const KioskBundleLimit limits[] = {
  /* Files, checked before anything is read. */
  { "manifest.json", KIOSK_LIMIT_BYTES, 1 * MIB, "manifest file" },
  { "bundle", KIOSK_LIMIT_BYTES, 64 * MIB, "whole bundle" },
  { "bundle", KIOSK_LIMIT_FILES, 256, "files and folders in the bundle" },
  { "announcements[].image", KIOSK_LIMIT_BYTES, 2 * MIB, "announcement image file" },
  { "announcements[].image", KIOSK_LIMIT_PIXELS, 2048, "announcement image width or height" },

  /* Lists. */
  { "categories", KIOSK_LIMIT_ITEMS, 32, "categories" },
  { "queues", KIOSK_LIMIT_ITEMS, 26, "queues (one letter A–Z each)" },
  { "services", KIOSK_LIMIT_ITEMS, 300, "services" },
  { "services[].documents", KIOSK_LIMIT_ITEMS, 20, "documents of a service" },
  { "fitness.groups", KIOSK_LIMIT_ITEMS, 16, "fitness groups" },
  { "announcements", KIOSK_LIMIT_ITEMS, 50, "announcements" },
  { "hours", KIOSK_LIMIT_MEMBERS, 32, "sets of opening hours" },
  { "hours.*.weekly.*", KIOSK_LIMIT_ITEMS, 8, "opening spans of a day" },
  { "hours.*.holidays", KIOSK_LIMIT_ITEMS, 400, "holidays of a set of hours" },
  { "hours.*.workdays", KIOSK_LIMIT_MEMBERS, 64, "make-up working days of a set of hours" },

  /* Text a person reads, per language. */
  { "centre.name.*", KIOSK_LIMIT_CHARS, 40, "centre name" },
  { "categories[].name.*", KIOSK_LIMIT_CHARS, 24, "category name" },
  { "queues[].name.*", KIOSK_LIMIT_CHARS, 40, "queue name" },
  { "services[].name.*", KIOSK_LIMIT_CHARS, 60, "service name" },
  { "services[].description.*", KIOSK_LIMIT_CHARS, 600, "service description" },
  { "services[].documents[].*", KIOSK_LIMIT_CHARS, 200, "document to bring" },
  { "fitness.name.*", KIOSK_LIMIT_CHARS, 40, "club name" },
  { "fitness.rules.*", KIOSK_LIMIT_CHARS, 1000, "club rules" },
  { "fitness.groups[].name.*", KIOSK_LIMIT_CHARS, 40, "fitness group name" },
  { "announcements[].title.*", KIOSK_LIMIT_CHARS, 100, "announcement title" },
  { "announcements[].body.*", KIOSK_LIMIT_CHARS, 2000, "announcement body" },

  /* Names of things and files. */
  { "categories[].id", KIOSK_LIMIT_CHARS, 64, "category id" },
  { "queues[].id", KIOSK_LIMIT_CHARS, 64, "queue id" },
  { "services[].id", KIOSK_LIMIT_CHARS, 64, "service id" },
  { "fitness.groups[].id", KIOSK_LIMIT_CHARS, 64, "fitness group id" },
  { "announcements[].id", KIOSK_LIMIT_CHARS, 64, "announcement id" },
  { "services[].category", KIOSK_LIMIT_CHARS, 64, "category id" },
  { "services[].queue", KIOSK_LIMIT_CHARS, 64, "queue id" },
  { "hours.*", KIOSK_LIMIT_CHARS, 64, "name of a set of hours" },
  { "*.hours", KIOSK_LIMIT_CHARS, 64, "name of a set of hours" },
  { "*[].hours", KIOSK_LIMIT_CHARS, 64, "name of a set of hours" },
  { "*[].icon", KIOSK_LIMIT_CHARS, 64, "icon name" },
  { "announcements[].image", KIOSK_LIMIT_CHARS, 255, "image path" },
  { "(member name)", KIOSK_LIMIT_CHARS, 64, "member name" },

  /* Anything else, unknown members included. */
  { "*", KIOSK_LIMIT_CHARS, 256, "any other text" },
  { "*", KIOSK_LIMIT_ITEMS, 64, "any other list" },
  { "*", KIOSK_LIMIT_MEMBERS, 64, "any other object" },
};

const KioskBundleLimit *
kiosk_bundle_limits (guint *n_limits)
{
  if (n_limits != NULL)
    *n_limits = G_N_ELEMENTS (limits);
  return limits;
}

/* '*' stands for one name: any run of characters without '.' or '['. A
 * pattern of just "*" matches every path. */
static gboolean
match (const char *pattern, const char *path)
{
  if (*pattern == '\0')
    return *path == '\0';
  if (*pattern != '*')
    return *pattern == *path && match (pattern + 1, path + 1);
  for (const char *p = path;; p++)
    {
      if (match (pattern + 1, p))
        return TRUE;
      if (*p == '\0' || *p == '.' || *p == '[')
        return FALSE;
    }
}

const KioskBundleLimit *
kiosk_bundle_limit_find (const char *path, KioskLimitKind kind)
{
  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    if (limits[i].kind == kind && (g_str_equal (limits[i].field, "*") || match (limits[i].field, path)))
      return &limits[i];
  return NULL;
}

const char *
kiosk_bundle_limit_unit (KioskLimitKind kind)
{
  switch (kind)
    {
      case KIOSK_LIMIT_CHARS:
        return "characters";
      case KIOSK_LIMIT_ITEMS:
        return "items";
      case KIOSK_LIMIT_MEMBERS:
        return "members";
      case KIOSK_LIMIT_BYTES:
        return "bytes";
      case KIOSK_LIMIT_FILES:
        return "files";
      case KIOSK_LIMIT_PIXELS:
        return "pixels";
      default:
        break;
    }
  return "";
}

/* FALSE with the error when @value is over @limit. */
static gboolean
within (const KioskBundleLimit *limit, const char *field, gint64 value, GError **error)
{
  if (value <= limit->max)
    return TRUE;
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
               "%s: 超出上限 / over the limit: %" G_GINT64_FORMAT " %s, at most %" G_GINT64_FORMAT " (%s)",
               field, value, kiosk_bundle_limit_unit (limit->kind), limit->max, limit->what);
  return FALSE;
}

static gboolean
check (const char *pattern, KioskLimitKind kind, const char *field, gint64 value, GError **error)
{
  return within (kiosk_bundle_limit_find (pattern, kind), field, value, error);
}

gboolean
kiosk_bundle_check_manifest_size (const char *manifest, GError **error)
{
  GStatBuf st;

  g_return_val_if_fail (manifest != NULL, FALSE);

  if (g_stat (manifest, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "%s: %s", manifest, g_strerror (saved));
      return FALSE;
    }
  return check ("manifest.json", KIOSK_LIMIT_BYTES, "manifest.json", st.st_size, error);
}

gboolean
kiosk_bundle_check_folder (const char *dir, GError **error)
{
  g_autoptr (GQueue) pending = g_queue_new ();
  gint64 bytes = 0, entries = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (dir != NULL, FALSE);

  /* Breadth first with a queue: a deep tree cannot exhaust the stack, and
   * folders count as entries, so the walk ends after the limit. */
  g_queue_push_tail (pending, g_strdup (dir));
  while (ok && !g_queue_is_empty (pending))
    {
      g_autofree char *folder = g_queue_pop_head (pending);
      g_autoptr (GDir) d = g_dir_open (folder, 0, error);
      const char *name;

      if (d == NULL)
        {
          ok = FALSE;
          break;
        }
      while (ok && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *path = g_build_filename (folder, name, NULL);
          GStatBuf st;

          if (g_lstat (path, &st) != 0)
            {
              int saved = errno;
              g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: %s", path, g_strerror (saved));
              ok = FALSE;
              break;
            }
          entries++;
          if (S_ISDIR (st.st_mode))
            g_queue_push_tail (pending, g_steal_pointer (&path));
          else
            bytes += st.st_size;
          ok = check ("bundle", KIOSK_LIMIT_FILES, "bundle", entries, error)
               && check ("bundle", KIOSK_LIMIT_BYTES, "bundle", bytes, error);
        }
    }
  g_queue_foreach (pending, (GFunc)g_free, NULL);
  return ok;
}

gboolean
kiosk_bundle_check_listing (const KioskRelease *release, GError **error)
{
  const KioskReleaseFile *manifest;

  g_return_val_if_fail (release != NULL, FALSE);

  manifest = kiosk_release_find_file (release, "manifest.json");
  return (manifest == NULL
          || check ("manifest.json", KIOSK_LIMIT_BYTES, "manifest.json", manifest->size, error))
         && check ("bundle", KIOSK_LIMIT_FILES, "bundle", release->files->len, error)
         && check ("bundle", KIOSK_LIMIT_BYTES, "bundle", kiosk_release_total_size (release), error);
}

/* The walk over the parsed manifest: @path names the node for people
 * ("services[3].name.zh"), @pattern for the table ("services[].name.zh"). */
static gboolean
walk (JsonNode *node, const char *path, const char *pattern, GError **error)
{
  switch (JSON_NODE_TYPE (node))
    {
      case JSON_NODE_ARRAY:
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);
          g_autofree char *inner = g_strconcat (pattern, "[]", NULL);

          if (!check (pattern, KIOSK_LIMIT_ITEMS, path, n, error))
            return FALSE;
          for (guint i = 0; i < n; i++)
            {
              g_autofree char *at = g_strdup_printf ("%s[%u]", path, i);

              if (!walk (json_array_get_element (array, i), at, inner, error))
                return FALSE;
            }
          return TRUE;
        }
      case JSON_NODE_OBJECT:
        {
          JsonObject *object = json_node_get_object (node);
          g_autoptr (GList) names = json_object_get_members (object);
          g_autofree char *any = *pattern ? g_strconcat (pattern, ".*", NULL) : g_strdup ("*");
          const KioskBundleLimit *members = kiosk_bundle_limit_find (pattern, KIOSK_LIMIT_MEMBERS);
          /* A map (hours by name, workdays by date) has a limit of its own;
           * its member names are values, limited like text. */
          gboolean map = g_strcmp0 (members->field, "*") != 0;

          if (!within (members, *path ? path : "manifest", json_object_get_size (object), error))
            return FALSE;
          for (GList *l = names; l != NULL; l = l->next)
            {
              const char *name = l->data;
              glong chars = g_utf8_strlen (name, -1);
              g_autofree char *child_pattern = NULL;
              g_autofree char *child_path = NULL;

              if (!within (map ? kiosk_bundle_limit_find (any, KIOSK_LIMIT_CHARS)
                               : kiosk_bundle_limit_find ("(member name)", KIOSK_LIMIT_CHARS),
                           *path ? path : "manifest", chars, error))
                return FALSE;
              child_pattern = map        ? g_strdup (any)
                              : *pattern ? g_strconcat (pattern, ".", name, NULL)
                                         : g_strdup (name);
              child_path = *path ? g_strconcat (path, ".", name, NULL) : g_strdup (name);
              if (!walk (json_object_get_member (object, name), child_path, child_pattern, error))
                return FALSE;
            }
          return TRUE;
        }
      case JSON_NODE_VALUE:
        if (json_node_get_value_type (node) == G_TYPE_STRING)
          return check (pattern, KIOSK_LIMIT_CHARS, path, g_utf8_strlen (json_node_get_string (node), -1),
                        error);
        return TRUE;
      case JSON_NODE_NULL:
      default:
        return TRUE;
    }
}

gboolean
kiosk_bundle_check_json (JsonNode *root, GError **error)
{
  g_return_val_if_fail (root != NULL, FALSE);

  return walk (root, "", "", error);
}

static guint
be16 (const guint8 *p)
{
  return (guint)p[0] << 8 | p[1];
}

static guint32
be32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* Width and height from a PNG's IHDR, which the format puts first. */
static gboolean
png_size (const guint8 *data, gsize length, guint32 *width, guint32 *height)
{
  static const guint8 magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (length < 24 || memcmp (data, magic, sizeof magic) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;
  *width = be32 (data + 16);
  *height = be32 (data + 20);
  return TRUE;
}

/* Width and height from a JPEG's first start-of-frame segment, walking the
 * segments before it by their lengths. */
static gboolean
jpeg_size (const guint8 *data, gsize length, guint32 *width, guint32 *height)
{
  gsize i = 2;

  if (length < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;
  while (i + 4 <= length)
    {
      guint8 marker;
      guint segment;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++; /* fill byte */
          continue;
        }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8))
        {
          i += 2; /* markers without a length */
          continue;
        }
      if (marker == 0xd9 || marker == 0xda)
        return FALSE; /* end of image or scan data before any frame */
      segment = be16 (data + i + 2);
      if (segment < 2)
        return FALSE;
      /* SOF0–SOF15 but DHT (c4), JPG (c8) and DAC (cc). */
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (i + 9 > length || segment < 7)
            return FALSE;
          *height = be16 (data + i + 5);
          *width = be16 (data + i + 7);
          return TRUE;
        }
      i += 2 + segment;
    }
  return FALSE;
}

gboolean
kiosk_bundle_check_image (const char *path, const char *field, GError **error)
{
  const KioskBundleLimit *pixels = kiosk_bundle_limit_find ("announcements[].image", KIOSK_LIMIT_PIXELS);
  const KioskBundleLimit *bytes = kiosk_bundle_limit_find ("announcements[].image", KIOSK_LIMIT_BYTES);
  g_autofree guint8 *data = NULL;
  gsize length = 0;
  FILE *file;
  GStatBuf st;
  guint32 width = 0, height = 0;

  g_return_val_if_fail (path != NULL && field != NULL, FALSE);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: %s", field, g_strerror (saved));
      return FALSE;
    }
  if (!within (bytes, field, st.st_size, error))
    return FALSE;
  /* Read no more than the limit, even from a file that grew since. */
  if ((file = g_fopen (path, "rb")) == NULL)
    {
      int saved = errno;
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: %s", field, g_strerror (saved));
      return FALSE;
    }
  data = g_malloc (MAX (st.st_size, 1));
  length = fread (data, 1, MIN ((gsize)st.st_size, (gsize)bytes->max), file);
  fclose (file);
  if (!png_size (data, length, &width, &height) && !jpeg_size (data, length, &width, &height))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "%s: 不是 PNG 或 JPEG 图片 / not a PNG or JPEG image with its size in the header", field);
      return FALSE;
    }
  if (width == 0 || height == 0)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: 图片尺寸为零 / the image is %u × %u pixels",
                   field, width, height);
      return FALSE;
    }
  return within (pixels, field, MAX (width, height), error);
}
