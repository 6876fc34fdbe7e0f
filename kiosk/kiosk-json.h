/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The one way JSON bytes become a JsonNode, in the kiosk, the hub and the
 * tools. json-glib 1.6 (Debian 12) recurses once per nesting level, so a
 * document 100,000 levels deep overflows the stack; it keeps the last of two
 * equal keys, truncates a string at \u0000 and ignores text after the first
 * value, so two readers of one signed file could disagree on what it says.
 * Before json-glib sees the bytes, a single pass over them (no recursion)
 * checks the size, the depth, each object's keys and each token, and refuses
 * with a KIOSK_ERROR_INVALID that names the problem and its byte offset.
 * docs/json-limits.md lists the limits of each caller. */

#define KIOSK_JSON_DEFAULT_MAX_BYTES (1024 * 1024)
/* Our deepest document (a manifest) nests six levels. */
#define KIOSK_JSON_DEFAULT_MAX_DEPTH 32

typedef struct
{
  gsize max_bytes; /* 0: KIOSK_JSON_DEFAULT_MAX_BYTES */
  guint max_depth; /* 0: KIOSK_JSON_DEFAULT_MAX_DEPTH; objects and arrays, the top one counts 1 */
} KioskJsonLimits;

/* Where the bytes were refused; line and column count from 1, column in bytes. */
typedef struct
{
  gsize offset;
  guint line;
  guint column;
} KioskJsonPosition;

/* Checks @data without building anything. @length -1: NUL-terminated.
 * @limits NULL: the defaults. @where (may be NULL) is set on failure. */
gboolean kiosk_json_check (const char *data, gssize length, const KioskJsonLimits *limits,
                           KioskJsonPosition *where, GError **error);

/* Checks, then parses: the root node (never NULL) or NULL and an error. */
JsonNode *kiosk_json_parse (const char *data, gssize length, const KioskJsonLimits *limits, GError **error);

/* As kiosk_json_parse(), into a parser the caller made, for callers that
 * connect to its signals (the credentials import counts lines). */
gboolean kiosk_json_parse_into (JsonParser *parser, const char *data, gssize length,
                                const KioskJsonLimits *limits, KioskJsonPosition *where, GError **error);

/* Reads @path (refused unread when larger than the limit) and parses it. */
JsonNode *kiosk_json_parse_file (const char *path, const KioskJsonLimits *limits, GError **error);

/* @node as compact JSON, for bytes that came from outside and go on (the
 * hub stores kiosks' records). json-glib 1.6 writes a double such as 1e98
 * as "1e+98.0", which is not JSON and which PostgreSQL refuses: the text is
 * checked, and such a node gives a KIOSK_ERROR_INVALID instead. */
char *kiosk_json_write (JsonNode *node, GError **error);

G_END_DECLS
