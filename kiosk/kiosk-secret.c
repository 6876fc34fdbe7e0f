/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-secret"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "kiosk-error.h"
#include "kiosk-secret.h"

#define MAX_SECRET_BYTES 4096

/* The key's bytes with their length, wiped when the last GBytes ref goes. */
typedef struct
{
  gsize length;
  guint8 data[];
} Secret;

static void
secret_free (Secret *secret)
{
  sodium_memzero (secret->data, secret->length);
  g_free (secret);
}

static GBytes *
secret_bytes_new (const guint8 *data, gsize length)
{
  Secret *secret = g_malloc (sizeof (Secret) + length);

  secret->length = length;
  memcpy (secret->data, data, length);
  return g_bytes_new_with_free_func (secret->data, length, (GDestroyNotify)secret_free, secret);
}

GBytes *
kiosk_secret_load (const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;
  GBytes *bytes;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      gboolean missing = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

      g_set_error (error, KIOSK_ERROR, missing ? KIOSK_ERROR_NOT_FOUND : KIOSK_ERROR_READ_ONLY,
                   "kiosk key %s: %s", path, local_error->message);
      return NULL;
    }
  if (length < KIOSK_SECRET_MIN_BYTES || length > MAX_SECRET_BYTES)
    {
      sodium_memzero (contents, length);
      g_free (contents);
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "kiosk key %s: %" G_GSIZE_FORMAT " bytes; expected %d to %d", path, length,
                   KIOSK_SECRET_MIN_BYTES, MAX_SECRET_BYTES);
      return NULL;
    }
  bytes = secret_bytes_new ((const guint8 *)contents, length);
  sodium_memzero (contents, length);
  g_free (contents);
  return bytes;
}

/* Writes a fresh key to a temporary file beside @path and links it into
 * place; EEXIST from link() means another process won, which is fine. */
static gboolean
create_secret (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_strconcat (path, ".new-XXXXXX", NULL);
  guint8 fresh[KIOSK_SECRET_BYTES];
  gboolean ok;
  int saved = 0;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved = errno;
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY, "kiosk key %s: cannot create %s: %s", path, dir,
                   g_strerror (saved));
      return FALSE;
    }
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY, "kiosk key %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  randombytes_buf (fresh, sizeof fresh);
  ok = write (fd, fresh, sizeof fresh) == (ssize_t)sizeof fresh && fsync (fd) == 0;
  if (!ok)
    saved = errno;
  sodium_memzero (fresh, sizeof fresh);
  if (close (fd) != 0 && ok)
    {
      ok = FALSE;
      saved = errno;
    }
  if (ok && link (tmp, path) != 0 && errno != EEXIST)
    {
      ok = FALSE;
      saved = errno;
    }
  g_unlink (tmp);
  if (!ok)
    {
      g_set_error (error, KIOSK_ERROR, saved == ENOSPC ? KIOSK_ERROR_STORAGE_FULL : KIOSK_ERROR_STORAGE,
                   "kiosk key %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  /* The new name must survive a power cut too. */
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  return TRUE;
}

GBytes *
kiosk_secret_load_or_create (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      if (!create_secret (path, error))
        return NULL;
    }
  return kiosk_secret_load (path, error);
}
