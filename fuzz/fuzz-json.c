/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-json"

/* libFuzzer: the JSON entry point itself. Any bytes give a node or an error,
 * never both, never a crash; with small limits nothing larger or deeper gets
 * through; and what it accepts, kiosk_json_write() writes back as JSON that
 * it accepts again as the same tree (no key lost or doubled on the way). */

#include <string.h>

#include "fuzz-util.h"
#include "kiosk-error.h"
#include "kiosk-json.h"

static guint
depth_of (JsonNode *node)
{
  guint deepest = 0;

  /* Not MAX (deepest, depth_of (…)): the macro would recurse twice a level. */
  if (JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        guint d = depth_of (json_array_get_element (json_node_get_array (node), i));
        deepest = MAX (deepest, d);
      }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr (GList) members = json_object_get_values (json_node_get_object (node));
      for (GList *l = members; l != NULL; l = l->next)
        {
          guint d = depth_of (l->data);
          deepest = MAX (deepest, d);
        }
    }
  else
    return 0;
  return deepest + 1;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const KioskJsonLimits small = { 4096, 4 };
  static const KioskJsonLimits roomy = { 64 * 1024 * 1024, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = kiosk_json_parse ((const char *)data, (gssize)size, NULL, &error);
  g_autoptr (JsonNode) small_root = kiosk_json_parse ((const char *)data, (gssize)size, &small, NULL);

  FUZZ_CHECK ((root == NULL) != (error == NULL));
  FUZZ_CHECK (error == NULL || (error->domain == KIOSK_ERROR && strstr (error->message, "JSON") != NULL));
  if (small_root != NULL)
    FUZZ_CHECK (size <= small.max_bytes && depth_of (small_root) <= small.max_depth);
  if (root != NULL)
    {
      g_autoptr (GError) write_error = NULL;
      g_autofree char *text = kiosk_json_write (root, &write_error);
      g_autoptr (JsonNode) again = text ? kiosk_json_parse (text, -1, &roomy, NULL) : NULL;

      FUZZ_CHECK (depth_of (root) <= KIOSK_JSON_DEFAULT_MAX_DEPTH);
      /* Written back (unless json-glib cannot, which kiosk_json_write says),
       * it reads as the same tree. */
      FUZZ_CHECK ((text == NULL) != (write_error == NULL));
      FUZZ_CHECK (text == NULL || (again != NULL && json_node_equal (root, again)));
    }
  return 0;
}
