/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-release"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk-json.h"
#include "kiosk-release.h"

G_DEFINE_QUARK (kiosk - release - error - quark, kiosk_release_error)

/* Longest path and component a release may carry (ext4's name limit). */
#define MAX_PATH_BYTES 1024
#define MAX_NAME_BYTES 255
/* A single file above this is refused by the parser (4 GiB). */
#define MAX_FILE_BYTES (G_GINT64_CONSTANT (1) << 32)

/* libsodium must be set up before use; sodium_init() is idempotent and thread-safe. */
static void
ensure_sodium (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
}

static const struct
{
  const char *code;
  const char *title;
} error_names[] = {
  [KIOSK_RELEASE_ERROR_MALFORMED] = { "malformed", "发布文件无法读取 / Release unreadable" },
  [KIOSK_RELEASE_ERROR_SIGNATURE] = { "signature", "签名无效或密钥不受信任 / Bad signature or unknown key" },
  [KIOSK_RELEASE_ERROR_TAMPERED] = { "tampered", "文件被篡改 / File tampered with" },
  [KIOSK_RELEASE_ERROR_TRUNCATED] = { "truncated", "文件不完整 / File incomplete" },
  [KIOSK_RELEASE_ERROR_PATH] = { "path", "文件路径不安全 / Unsafe file path" },
  [KIOSK_RELEASE_ERROR_REPLAY] = { "replay", "版本不比当前新 / Release not newer than current" },
  [KIOSK_RELEASE_ERROR_NOT_FOR_US] = { "not-for-us", "不是发给本机的 / Meant for another kiosk" },
  [KIOSK_RELEASE_ERROR_TOO_LARGE] = { "too-large", "发布内容过大 / Release too large" },
  [KIOSK_RELEASE_ERROR_DISK_FULL] = { "disk-full", "磁盘已满 / Disk full" },
  [KIOSK_RELEASE_ERROR_BAD_BUNDLE] = { "bad-bundle", "内容无法加载 / Content does not load" },
  [KIOSK_RELEASE_ERROR_IO] = { "io", "文件读写失败 / File error" },
};

const char *
kiosk_release_error_code (int code)
{
  if (code < 0 || code >= (int)G_N_ELEMENTS (error_names))
    return "unknown";
  return error_names[code].code;
}

const char *
kiosk_release_error_title (int code)
{
  if (code < 0 || code >= (int)G_N_ELEMENTS (error_names))
    return "内容更新失败 / Content update failed";
  return error_names[code].title;
}

static void
release_file_free (KioskReleaseFile *file)
{
  g_free (file->path);
  g_free (file->sha256);
  g_free (file);
}

KioskRelease *
kiosk_release_new (gint64 release)
{
  KioskRelease *self = g_new0 (KioskRelease, 1);

  self->release = release;
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify)release_file_free);
  return self;
}

void
kiosk_release_free (KioskRelease *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->files);
  g_free (self->target);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_free (self);
}

static int
compare_files (gconstpointer a, gconstpointer b)
{
  const KioskReleaseFile *fa = *(KioskReleaseFile *const *)a;
  const KioskReleaseFile *fb = *(KioskReleaseFile *const *)b;

  return strcmp (fa->path, fb->path);
}

/* A binary search: files are sorted by path, and a release may list tens of
 * thousands (a linear search per file made parsing one quadratic). */
const KioskReleaseFile *
kiosk_release_find_file (const KioskRelease *self, const char *path)
{
  guint low = 0, high = self->files->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      const KioskReleaseFile *file = self->files->pdata[mid];
      int order = strcmp (file->path, path);

      if (order == 0)
        return file;
      if (order < 0)
        low = mid + 1;
      else
        high = mid;
    }
  return NULL;
}

gint64
kiosk_release_total_size (const KioskRelease *self)
{
  gint64 total = 0;

  for (guint i = 0; i < self->files->len; i++)
    total += ((KioskReleaseFile *)self->files->pdata[i])->size;
  return total;
}

gboolean
kiosk_release_check_path (const char *path, GError **error)
{
  g_auto (GStrv) parts = NULL;
  const char *why = NULL;

  if (path == NULL || *path == '\0')
    why = "is empty";
  else if (strlen (path) > MAX_PATH_BYTES)
    why = "is too long";
  else if (!g_utf8_validate (path, -1, NULL))
    why = "is not UTF-8";
  else if (path[0] == '/')
    why = "is absolute";
  else if (strchr (path, '\\') != NULL)
    why = "contains a backslash";
  else if (g_str_equal (path, KIOSK_RELEASE_JSON) || g_str_equal (path, KIOSK_RELEASE_SIG))
    why = "is reserved for the release itself";
  else
    {
      for (const char *p = path; *p != '\0' && why == NULL; p++)
        if ((guchar)*p < 0x20 || *p == 0x7f)
          why = "contains a control character";
      parts = g_strsplit (path, "/", -1);
      for (guint i = 0; why == NULL && parts[i] != NULL; i++)
        {
          if (*parts[i] == '\0')
            why = "has an empty component";
          else if (g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
            why = "leaves its folder (\".\" or \"..\")";
          else if (strlen (parts[i]) > MAX_NAME_BYTES)
            why = "has a name that is too long";
        }
    }

  if (why != NULL)
    {
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_PATH, "path \"%s\" %s", path ? path : "",
                   why);
      return FALSE;
    }
  return TRUE;
}

gboolean
kiosk_release_check_newer (gint64 release, gint64 current, GError **error)
{
  if (release > current)
    return TRUE;
  g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_REPLAY,
               "release %" G_GINT64_FORMAT " is not newer than release %" G_GINT64_FORMAT, release, current);
  return FALSE;
}

static gboolean
target_valid (const char *target)
{
  return g_str_equal (target, "all") || (g_str_has_prefix (target, "hall:") && target[5] != '\0')
         || (g_str_has_prefix (target, "kiosk:") && target[6] != '\0');
}

gboolean
kiosk_release_check_target (const KioskRelease *self, const char *kiosk_id, const char *hall, GError **error)
{
  const char *t = self->target;

  if (t == NULL || g_str_equal (t, "all") || (g_str_has_prefix (t, "hall:") && g_strcmp0 (t + 5, hall) == 0)
      || (g_str_has_prefix (t, "kiosk:") && g_strcmp0 (t + 6, kiosk_id) == 0))
    return TRUE;
  g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_NOT_FOR_US,
               "release %" G_GINT64_FORMAT " targets %s, this is kiosk %s in %s", self->release, t,
               kiosk_id ? kiosk_id : "?", hall ? hall : "?");
  return FALSE;
}

static gboolean malformed (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
malformed (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_MALFORMED, "release.json: %s", message);
  return FALSE;
}

static gboolean
member_int (JsonObject *obj, const char *member, gint64 min, gint64 max, const char *where, gint64 *out,
            GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return malformed (error, "%s\"%s\" must be a whole number", where, member);
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return malformed (error, "%s\"%s\" is out of range", where, member);
  return TRUE;
}

static const char *
member_string (JsonObject *obj, const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
parse_file (KioskRelease *self, JsonNode *node, guint i, GError **error)
{
  g_autofree char *where = g_strdup_printf ("files[%u]: ", i);
  KioskReleaseFile *file;
  JsonObject *obj;
  const char *path;
  const char *sha;
  gint64 size;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed (error, "%smust be an object", where);
  obj = json_node_get_object (node);
  path = member_string (obj, "path");
  sha = member_string (obj, "sha256");
  if (path == NULL)
    return malformed (error, "%s\"path\" must be a string", where);
  if (!kiosk_release_check_path (path, error))
    return FALSE;
  if (!member_int (obj, "size", 0, MAX_FILE_BYTES, where, &size, error))
    return FALSE;
  if (!is_sha256_hex (sha))
    return malformed (error, "%s\"sha256\" must be 64 lower-case hex digits", where);
  file = g_new0 (KioskReleaseFile, 1);
  file->path = g_strdup (path);
  file->size = size;
  file->sha256 = g_strdup (sha);
  g_ptr_array_add (self->files, file);
  return TRUE;
}

KioskRelease *
kiosk_release_parse (const char *json, gssize length, GError **error)
{
  static const KioskJsonLimits limits = { KIOSK_RELEASE_JSON_MAX_BYTES, 0 };
  g_autoptr (KioskRelease) self = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) top = kiosk_json_parse (json, length, &limits, &local_error);
  JsonObject *root;
  JsonNode *node;
  JsonArray *files;
  const char *text;
  gint64 number;

  if (top == NULL)
    {
      malformed (error, "%s", local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (top))
    {
      malformed (error, "must be a JSON object");
      return NULL;
    }
  root = json_node_get_object (top);
  if (!member_int (root, "format", 0, G_MAXINT32, "", &number, error))
    return NULL;
  if (number != KIOSK_RELEASE_FORMAT)
    {
      malformed (error, "format %" G_GINT64_FORMAT " is not known to this kiosk", number);
      return NULL;
    }
  if (!member_int (root, "release", 1, G_MAXINT32, "", &number, error))
    return NULL;
  self = kiosk_release_new (number);

  node = json_object_get_member (root, "target");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      text = member_string (root, "target");
      if (text == NULL || !target_valid (text))
        {
          malformed (error, "\"target\" must be \"all\", \"hall:ID\" or \"kiosk:ID\"");
          return NULL;
        }
      self->target = g_strdup (text);
    }
  node = json_object_get_member (root, "not_before");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

      text = member_string (root, "not_before");
      self->not_before = text ? g_date_time_new_from_iso8601 (text, utc) : NULL;
      if (self->not_before == NULL)
        {
          malformed (error, "\"not_before\" must be a time like 2026-12-01T08:00:00+08:00");
          return NULL;
        }
    }

  node = json_object_get_member (root, "files");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      malformed (error, "\"files\" must be a list");
      return NULL;
    }
  files = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (files); i++)
    if (!parse_file (self, json_array_get_element (files, i), i, error))
      return NULL;
  g_ptr_array_sort (self->files, compare_files);
  for (guint i = 1; i < self->files->len; i++)
    if (compare_files (&self->files->pdata[i - 1], &self->files->pdata[i]) == 0)
      {
        malformed (error, "\"files\": \"%s\" is listed twice",
                   ((KioskReleaseFile *)self->files->pdata[i])->path);
        return NULL;
      }
  return g_steal_pointer (&self);
}

char *
kiosk_release_to_json (const KioskRelease *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, KIOSK_RELEASE_FORMAT);
  json_builder_set_member_name (b, "release");
  json_builder_add_int_value (b, self->release);
  if (self->target != NULL)
    {
      json_builder_set_member_name (b, "target");
      json_builder_add_string_value (b, self->target);
    }
  if (self->not_before != NULL)
    {
      g_autofree char *iso = g_date_time_format_iso8601 (self->not_before);

      json_builder_set_member_name (b, "not_before");
      json_builder_add_string_value (b, iso);
    }
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->files->len; i++)
    {
      const KioskReleaseFile *file = self->files->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, file->path);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, file->size);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, file->sha256);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

/* Base64 of exactly @want bytes, or FALSE: g_base64_decode() skips stray
 * characters silently, so the alphabet is checked first. */
static gboolean
decode_exact (const char *text, guint8 *out, gsize want)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_autofree guchar *raw = NULL;
  gsize length = 0;

  if (*copy == '\0'
      || strspn (copy, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen (copy))
    return FALSE;
  raw = g_base64_decode (copy, &length);
  if (length != want)
    {
      sodium_memzero (raw, length);
      return FALSE;
    }
  memcpy (out, raw, want);
  sodium_memzero (raw, length);
  return TRUE;
}

void
kiosk_release_keygen (char **public_b64, char **secret_b64)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];

  ensure_sodium ();
  crypto_sign_keypair (pk, sk);
  *public_b64 = g_base64_encode (pk, sizeof pk);
  *secret_b64 = g_base64_encode (sk, sizeof sk);
  sodium_memzero (sk, sizeof sk);
}

gboolean
kiosk_release_decode_public_key (const char *b64, guint8 out[crypto_sign_PUBLICKEYBYTES], GError **error)
{
  if (b64 != NULL && decode_exact (b64, out, crypto_sign_PUBLICKEYBYTES))
    return TRUE;
  g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_SIGNATURE,
               "public key \"%s\" is not base64 of %d bytes", b64 ? b64 : "", crypto_sign_PUBLICKEYBYTES);
  return FALSE;
}

gboolean
kiosk_release_load_secret_key (const char *path, guint8 out[crypto_sign_SECRETKEYBYTES], GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  gboolean ok;

  if (!g_file_get_contents (path, &text, &length, error))
    return FALSE;
  ok = decode_exact (text, out, crypto_sign_SECRETKEYBYTES);
  sodium_memzero (text, length);
  if (!ok)
    g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_MALFORMED,
                 "%s: not a secret key (base64 of %d bytes)", path, crypto_sign_SECRETKEYBYTES);
  return ok;
}

char *
kiosk_release_sign_bytes (const char *data, gsize length, const guint8 secret[crypto_sign_SECRETKEYBYTES])
{
  guint8 sig[crypto_sign_BYTES];
  g_autofree char *b64 = NULL;

  ensure_sodium ();
  crypto_sign_detached (sig, NULL, (const guint8 *)data, length, secret);
  b64 = g_base64_encode (sig, sizeof sig);
  return g_strconcat (b64, "\n", NULL);
}

KioskRelease *
kiosk_release_verify_signature (const char *json, gsize json_length, const char *sig_text,
                                const char *const *public_keys, GError **error)
{
  guint8 sig[crypto_sign_BYTES];
  guint n_keys = 0;

  ensure_sodium ();
  if (sig_text == NULL || !decode_exact (sig_text, sig, sizeof sig))
    {
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_SIGNATURE,
                   "release.sig is not base64 of a %d-byte signature", crypto_sign_BYTES);
      return NULL;
    }
  for (guint i = 0; public_keys != NULL && public_keys[i] != NULL; i++)
    {
      guint8 pk[crypto_sign_PUBLICKEYBYTES];

      /* A mistyped key in the config only removes that key. */
      if (!kiosk_release_decode_public_key (public_keys[i], pk, NULL))
        continue;
      n_keys++;
      if (crypto_sign_verify_detached (sig, (const guint8 *)json, json_length, pk) == 0)
        return kiosk_release_parse (json, json_length, error);
    }
  g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_SIGNATURE,
               n_keys == 0 ? "no trusted public key is configured ([content] public_keys)"
                           : "release.json is not signed by a trusted key, or was changed after signing");
  return NULL;
}

static gboolean
io_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, KIOSK_RELEASE_ERROR,
               saved_errno == ENOSPC || saved_errno == EDQUOT ? KIOSK_RELEASE_ERROR_DISK_FULL
                                                              : KIOSK_RELEASE_ERROR_IO,
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

char *
kiosk_release_hash_fd (int fd, gint64 *size, GError **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 buf[65536];
  gint64 total = 0;
  gssize n;

  if (lseek (fd, 0, SEEK_SET) < 0)
    {
      io_error (error, errno, "seek", "file");
      return NULL;
    }
  while ((n = read (fd, buf, sizeof buf)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          io_error (error, errno, "read", "file");
          return NULL;
        }
      g_checksum_update (sum, buf, n);
      total += n;
    }
  if (size != NULL)
    *size = total;
  return g_strdup (g_checksum_get_string (sum));
}

/* Every file under @dir (relative paths, sorted), refusing symlinks and
 * special files: a release is plain files and folders. */
static gboolean
list_dir (const char *root, const char *rel, GPtrArray *out, GError **error)
{
  g_autofree char *path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GDir) dir = g_dir_open (path, 0, &local_error);
  const char *name;

  if (dir == NULL)
    return io_error (error, local_error->code == G_FILE_ERROR_NOENT ? ENOENT : EIO, "open", path);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = rel ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      struct stat st;

      if (rel == NULL && (g_str_equal (name, KIOSK_RELEASE_JSON) || g_str_equal (name, KIOSK_RELEASE_SIG)))
        continue;
      if (lstat (child, &st) < 0)
        return io_error (error, errno, "stat", child);
      if (S_ISDIR (st.st_mode))
        {
          if (!list_dir (root, child_rel, out, error))
            return FALSE;
        }
      else if (S_ISREG (st.st_mode))
        {
          if (!kiosk_release_check_path (child_rel, error))
            return FALSE;
          g_ptr_array_add (out, g_steal_pointer (&child_rel));
        }
      else
        {
          g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_PATH,
                       "\"%s\" is a symlink or special file; a release holds plain files only", child_rel);
          return FALSE;
        }
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* Opens @rel under @root without following a symlink at any step. */
static int
open_beneath (const char *root, const char *rel, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (rel, "/", -1);
  int fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      io_error (error, errno, "open", root);
      return -1;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean last = parts[i + 1] == NULL;
      int next = openat (fd, parts[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? 0 : O_DIRECTORY));
      int saved = errno;

      close (fd);
      if (next < 0)
        {
          if (saved == ELOOP || saved == ENOTDIR)
            g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_PATH,
                         "\"%s\" goes through a symlink", rel);
          else if (saved == ENOENT)
            g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_TRUNCATED, "\"%s\" is missing", rel);
          else
            io_error (error, saved, "open", rel);
          return -1;
        }
      fd = next;
    }
  return fd;
}

gboolean
kiosk_release_verify_file (const char *dir, const KioskReleaseFile *file, GError **error)
{
  g_autofree char *sha = NULL;
  struct stat st;
  gint64 size = 0;
  int fd;

  if (!kiosk_release_check_path (file->path, error))
    return FALSE;
  fd = open_beneath (dir, file->path, error);
  if (fd < 0)
    return FALSE;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_PATH, "\"%s\" is not a plain file",
                   file->path);
      return FALSE;
    }
  if (st.st_size != file->size)
    {
      close (fd);
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_TRUNCATED,
                   "\"%s\" has %" G_GINT64_FORMAT " bytes, release.json says %" G_GINT64_FORMAT, file->path,
                   (gint64)st.st_size, file->size);
      return FALSE;
    }
  sha = kiosk_release_hash_fd (fd, &size, error);
  close (fd);
  if (sha == NULL)
    return FALSE;
  if (size != file->size || !g_str_equal (sha, file->sha256))
    {
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_TAMPERED,
                   "\"%s\" has SHA-256 %.12s…, release.json says %.12s…", file->path, sha, file->sha256);
      return FALSE;
    }
  return TRUE;
}

KioskRelease *
kiosk_release_scan (const char *dir, gint64 release, GError **error)
{
  g_autoptr (KioskRelease) self = kiosk_release_new (release);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (!list_dir (dir, NULL, paths, error))
    return NULL;
  g_ptr_array_sort (paths, compare_strings);
  for (guint i = 0; i < paths->len; i++)
    {
      KioskReleaseFile *file = g_new0 (KioskReleaseFile, 1);
      int fd;

      file->path = g_strdup (paths->pdata[i]);
      g_ptr_array_add (self->files, file);
      fd = open_beneath (dir, file->path, error);
      if (fd < 0)
        return NULL;
      file->sha256 = kiosk_release_hash_fd (fd, &file->size, error);
      close (fd);
      if (file->sha256 == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
write_file (const char *dir, const char *name, const char *text, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) local_error = NULL;

  if (g_file_set_contents (path, text, -1, &local_error))
    return TRUE;
  g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_IO, "%s", local_error->message);
  return FALSE;
}

gboolean
kiosk_release_sign_dir (const char *dir, gint64 release, const char *target, GDateTime *not_before,
                        const guint8 secret[crypto_sign_SECRETKEYBYTES], GError **error)
{
  g_autoptr (KioskRelease) self = kiosk_release_scan (dir, release, error);
  g_autofree char *json = NULL;
  g_autofree char *sig = NULL;

  if (self == NULL)
    return FALSE;
  if (target != NULL && !target_valid (target))
    {
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_MALFORMED,
                   "target \"%s\" must be \"all\", \"hall:ID\" or \"kiosk:ID\"", target);
      return FALSE;
    }
  self->target = g_strdup (target);
  self->not_before = not_before ? g_date_time_ref (not_before) : NULL;
  json = kiosk_release_to_json (self);
  sig = kiosk_release_sign_bytes (json, strlen (json), secret);
  return write_file (dir, KIOSK_RELEASE_JSON, json, error) && write_file (dir, KIOSK_RELEASE_SIG, sig, error);
}

KioskRelease *
kiosk_release_verify_dir (const char *dir, const char *const *public_keys, gint64 current, GError **error)
{
  g_autofree char *json_path = g_build_filename (dir, KIOSK_RELEASE_JSON, NULL);
  g_autofree char *sig_path = g_build_filename (dir, KIOSK_RELEASE_SIG, NULL);
  g_autofree char *json = NULL;
  g_autofree char *sig = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (KioskRelease) self = NULL;
  g_autoptr (GPtrArray) present = g_ptr_array_new_with_free_func (g_free);
  gsize length;

  if (!g_file_get_contents (json_path, &json, &length, &local_error)
      || !g_file_get_contents (sig_path, &sig, NULL, &local_error))
    {
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_MALFORMED, "%s", local_error->message);
      return NULL;
    }
  self = kiosk_release_verify_signature (json, length, sig, public_keys, error);
  if (self == NULL || !kiosk_release_check_newer (self->release, current, error))
    return NULL;

  /* Only what is signed may be loaded: an unlisted manifest.json would be. */
  if (!list_dir (dir, NULL, present, error))
    return NULL;
  for (guint i = 0; i < present->len; i++)
    if (kiosk_release_find_file (self, present->pdata[i]) == NULL)
      {
        g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_PATH,
                     "\"%s\" is in the folder but not in release.json", (char *)present->pdata[i]);
        return NULL;
      }
  for (guint i = 0; i < self->files->len; i++)
    if (!kiosk_release_verify_file (dir, self->files->pdata[i], error))
      return NULL;
  return g_steal_pointer (&self);
}
