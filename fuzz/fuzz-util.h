/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What every fuzz target shares: libFuzzer's entry point, and a scratch
 * folder made once per process and removed at exit. The same sources build
 * with fuzz-replay.c's main() in the normal build, which feeds them every
 * file of fuzz/corpus (meson test fuzz-replay-NAME). */

#include <gio/gio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Any bytes a target did not expect to accept (or refuse) abort here, so
 * that libFuzzer and the replay test both report them as a crash. */
#define FUZZ_CHECK(cond)                                                                                     \
  do                                                                                                         \
    {                                                                                                        \
      if (!(cond))                                                                                           \
        {                                                                                                    \
          g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                               \
          abort ();                                                                                          \
        }                                                                                                    \
    }                                                                                                        \
  while (0)

static inline char **
fuzz_scratch_slot (void)
{
  static char *dir;
  return &dir;
}

static inline void
fuzz_remove_scratch (void)
{
  g_autoptr (GFile) dir = g_file_new_for_path (*fuzz_scratch_slot ());
  g_autoptr (GFileEnumerator) e = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                             G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (e != NULL && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
    {
      g_autoptr (GFile) child = g_file_get_child (dir, g_file_info_get_name (info));
      g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }
  g_file_delete (dir, NULL, NULL);
}

/* A folder of its own for this process (flat: only files go in it). */
static inline const char *
fuzz_scratch (void)
{
  char **dir = fuzz_scratch_slot ();

  if (*dir == NULL)
    {
      *dir = g_dir_make_tmp ("linli-fuzz-XXXXXX", NULL);
      if (*dir == NULL)
        abort ();
      atexit (fuzz_remove_scratch);
    }
  return *dir;
}
