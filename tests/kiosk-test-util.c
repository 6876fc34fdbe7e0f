/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-test"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "kiosk-test-util.h"

char *
kiosk_test_make_tmpdir (const char *name)
{
  g_autofree char *tmpl = g_strdup_printf ("kiosk-%s-XXXXXX", name);
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

void
kiosk_test_remove_tree (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileEnumerator) e
      = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (e != NULL && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
    {
      g_autoptr (GFileInfo) owned = info;
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (owned), NULL);

      if (g_file_info_get_file_type (owned) == G_FILE_TYPE_DIRECTORY)
        kiosk_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

char *
kiosk_test_asset_path (const char *relative)
{
  const char *root = g_getenv ("KIOSK_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "assets", relative, NULL);
}

char *
kiosk_test_deep_json (guint depth, gboolean objects)
{
  GString *s = g_string_sized_new (depth * (objects ? 6 : 2) + 1);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, objects ? "{\"a\":" : "[");
  if (objects)
    g_string_append_c (s, '1');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, objects ? '}' : ']');
  return g_string_free (s, FALSE);
}
