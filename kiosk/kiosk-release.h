/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sodium.h>

G_BEGIN_DECLS

/* A content release: a bundle folder plus release.json (what is in it) and
 * release.sig (an Ed25519 signature over the exact bytes of release.json).
 * docs/content-releases.md describes the format. */

#define KIOSK_RELEASE_JSON "release.json"
#define KIOSK_RELEASE_SIG "release.sig"
#define KIOSK_RELEASE_FORMAT 1
/* The most bytes release.json may have, when downloaded and when parsed. */
#define KIOSK_RELEASE_JSON_MAX_BYTES (4 * 1024 * 1024)

#define KIOSK_RELEASE_ERROR (kiosk_release_error_quark ())

/* Why a release was refused. Its own domain, not KIOSK_ERROR, because the
 * hub groups rejections by these codes and the UI names them; the text of
 * each error says which file or key. */
typedef enum
{
  KIOSK_RELEASE_ERROR_MALFORMED,  /* release.json or release.sig cannot be read */
  KIOSK_RELEASE_ERROR_SIGNATURE,  /* not signed by a trusted key, or changed after signing */
  KIOSK_RELEASE_ERROR_TAMPERED,   /* a file's SHA-256 differs from release.json */
  KIOSK_RELEASE_ERROR_TRUNCATED,  /* a file's size differs: cut short or padded */
  KIOSK_RELEASE_ERROR_PATH,       /* a path leaves the folder, or a symlink or unlisted file */
  KIOSK_RELEASE_ERROR_REPLAY,     /* not newer than the release in force */
  KIOSK_RELEASE_ERROR_NOT_FOR_US, /* targets another hall or kiosk */
  KIOSK_RELEASE_ERROR_TOO_LARGE,  /* more bytes than the kiosk accepts */
  KIOSK_RELEASE_ERROR_DISK_FULL,  /* no space left while staging */
  KIOSK_RELEASE_ERROR_BAD_BUNDLE, /* signed and whole, but manifest.json does not load */
  KIOSK_RELEASE_ERROR_IO,         /* any other file system failure */
} KioskReleaseError;

GQuark kiosk_release_error_quark (void);
/* A short stable code for reports, e.g. "tampered". */
const char *kiosk_release_error_code (int code);
/* What a person reads, Chinese first: "文件被篡改 / File tampered with". */
const char *kiosk_release_error_title (int code);

typedef struct
{
  char *path; /* relative, '/'-separated, checked by kiosk_release_check_path() */
  gint64 size;
  char *sha256; /* 64 lower-case hex digits */
} KioskReleaseFile;

typedef struct
{
  gint64 release;
  GPtrArray *files;      /* KioskReleaseFile*, sorted by path */
  char *target;          /* NULL or "all", "hall:ID", "kiosk:ID" */
  GDateTime *not_before; /* NULL: at once */
} KioskRelease;

KioskRelease *kiosk_release_new (gint64 release);
void kiosk_release_free (KioskRelease *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskRelease, kiosk_release_free)

const KioskReleaseFile *kiosk_release_find_file (const KioskRelease *self, const char *path);
gint64 kiosk_release_total_size (const KioskRelease *self);

/* Pure checks, table-tested. */
gboolean kiosk_release_check_path (const char *path, GError **error);
gboolean kiosk_release_check_newer (gint64 release, gint64 current, GError **error);
gboolean kiosk_release_check_target (const KioskRelease *self, const char *kiosk_id, const char *hall,
                                     GError **error);

/* release.json: parse (the libFuzzer target) and write. Parsing does not
 * check the signature: use kiosk_release_verify_signature() on bytes from
 * outside. */
KioskRelease *kiosk_release_parse (const char *json, gssize length, GError **error);
char *kiosk_release_to_json (const KioskRelease *self);

/* Keys travel as base64 (standard alphabet): the public key is 32 bytes,
 * the secret key 64 (libsodium's seed + public key). */
void kiosk_release_keygen (char **public_b64, char **secret_b64);
gboolean kiosk_release_decode_public_key (const char *b64, guint8 out[crypto_sign_PUBLICKEYBYTES],
                                          GError **error);
gboolean kiosk_release_load_secret_key (const char *path, guint8 out[crypto_sign_SECRETKEYBYTES],
                                        GError **error);

/* A base64 line with the detached signature of @data. */
char *kiosk_release_sign_bytes (const char *data, gsize length,
                                const guint8 secret[crypto_sign_SECRETKEYBYTES]);
/* Checks @sig_text (the contents of release.sig) over @json against each of
 * @public_keys (base64) and parses @json once one matches. */
KioskRelease *kiosk_release_verify_signature (const char *json, gsize json_length, const char *sig_text,
                                              const char *const *public_keys, GError **error);

/* Walks @dir (no symlinks, no special files) and lists every file but
 * release.json and release.sig with its size and SHA-256. */
KioskRelease *kiosk_release_scan (const char *dir, gint64 release, GError **error);
/* Scans @dir, then writes @dir/release.json and @dir/release.sig. */
gboolean kiosk_release_sign_dir (const char *dir, gint64 release, const char *target, GDateTime *not_before,
                                 const guint8 secret[crypto_sign_SECRETKEYBYTES], GError **error);

/* One file of @dir against its entry: a regular file (not a symlink) of the
 * listed size and SHA-256. */
gboolean kiosk_release_verify_file (const char *dir, const KioskReleaseFile *file, GError **error);
/* The whole of @dir: signature by one of @public_keys, newer than @current,
 * every listed file whole, and nothing unlisted. */
KioskRelease *kiosk_release_verify_dir (const char *dir, const char *const *public_keys, gint64 current,
                                        GError **error);

/* SHA-256 of a file as hex, read through @fd from its start. */
char *kiosk_release_hash_fd (int fd, gint64 *size, GError **error);

G_END_DECLS
