/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "kiosk-release.h"

G_BEGIN_DECLS

/* Every field and list of a content bundle has a limit, so that a bundle, the
 * hub that publishes it and the kiosk that loads it use bounded memory. The
 * limits are far above what a real centre writes (the packaged bundle uses a
 * tenth of each or less) and are checked by kiosk_bundle_load(), the one path
 * that `linli-content sign`, `linli-hub content publish` and the kiosk's
 * updater all take. docs/content-releases.md lists them. */

typedef enum
{
  KIOSK_LIMIT_CHARS,   /* a string's length in characters (Unicode code points) */
  KIOSK_LIMIT_ITEMS,   /* a list's length */
  KIOSK_LIMIT_MEMBERS, /* an object's number of members */
  KIOSK_LIMIT_BYTES,   /* a file's or the whole bundle's size */
  KIOSK_LIMIT_FILES,   /* files in the bundle folder */
  KIOSK_LIMIT_PIXELS,  /* an image's width and height, each */
} KioskLimitKind;

typedef struct
{
  /* A manifest path with "[]" for any index and "*" for any one name ("*"
   * alone: anything), or "manifest.json", "bundle". */
  const char *field;
  KioskLimitKind kind;
  gint64 max;
  const char *what; /* for the docs and messages: "announcement title" */
} KioskBundleLimit;

/* The table, most specific first; the last entries are the defaults that
 * bound anything else (unknown members included). */
const KioskBundleLimit *kiosk_bundle_limits (guint *n_limits);
/* The first limit of @kind whose pattern matches @path ("services[].name.zh"). */
const KioskBundleLimit *kiosk_bundle_limit_find (const char *path, KioskLimitKind kind);
/* "characters", "items", …: the unit of @kind in messages. */
const char *kiosk_bundle_limit_unit (KioskLimitKind kind);

/* The checks, each failing with KIOSK_ERROR_INVALID naming the field and
 * the limit, e.g. "announcements[3].title.zh: 超出上限 / over the limit:
 * 20000000 characters, at most 100 (announcement title)". */

/* @manifest's size, from stat(2), before anything reads it. */
gboolean kiosk_bundle_check_manifest_size (const char *manifest, GError **error);
/* The folder's total size and file count (symlinks are not followed). */
gboolean kiosk_bundle_check_folder (const char *dir, GError **error);
/* A signed release's listing, before any file is fetched: manifest.json's
 * size, the files' total and their number. */
gboolean kiosk_bundle_check_listing (const KioskRelease *release, GError **error);
/* Every string, list and object of the parsed manifest. */
gboolean kiosk_bundle_check_json (JsonNode *root, GError **error);
/* An image named by @field: its size, then its format (PNG or JPEG) and
 * pixel dimensions read from its header, before anything decodes it. */
gboolean kiosk_bundle_check_image (const char *path, const char *field, GError **error);

G_END_DECLS
