/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-replay"

/* main() for a fuzz target in the normal (gcc) build: feeds it every file of
 * the folders or files named on the command line, one TAP line per folder,
 * so the corpus guards against regressions without clang. A crash or a
 * failed check aborts the test. */

#include <glib.h>
#include <stdio.h>

#include "fuzz-util.h"

static guint
replay (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *data = NULL;
      gsize length;
      g_autoptr (GError) error = NULL;

      if (!g_file_get_contents (path, &data, &length, &error))
        g_error ("%s", error->message);
      LLVMFuzzerTestOneInput ((const guint8 *)data, length);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *data = NULL;
      gsize length;
      g_autoptr (GError) error = NULL;
      const char *file = g_ptr_array_index (names, i);

      if (!g_file_get_contents (file, &data, &length, &error))
        g_error ("%s", error->message);
      printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", file, length);
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const guint8 *)data, length);
    }
  return names->len;
}

int
main (int argc, char *argv[])
{
  printf ("1..%d\n", argc - 1);
  for (int i = 1; i < argc; i++)
    {
      guint n = replay (argv[i]);
      printf ("ok %d %s: %u input%s\n", i, argv[i], n, n == 1 ? "" : "s");
    }
  return 0;
}
