/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-error.h"
#include "kiosk-queue-text.h"
#include "kiosk-ui-text.h"

char *
kiosk_ui_format_people_ahead (guint people_ahead)
{
  if (people_ahead == 0)
    return g_strdup (_ ("You are next"));
  return g_strdup_printf (ngettext ("%u person ahead of you", "%u people ahead of you", people_ahead),
                          people_ahead);
}

char *
kiosk_ui_format_wait (int wait_low, int wait_high, const char *lang)
{
  g_autofree char *range = kiosk_wait_format_range (wait_low, wait_high, kiosk_ui_normalize_language (lang));

  return g_strdup_printf (_ ("Estimated wait: %s"), range);
}

char *
kiosk_ui_format_queue_state (const KioskQueueStatus *status, const char *lang)
{
  g_autofree char *range = NULL;

  if (status->waiting == 0)
    return g_strdup (_ ("Nobody waiting"));
  range = kiosk_wait_format_range (status->wait_low, status->wait_high, kiosk_ui_normalize_language (lang));
  /* TRANSLATORS: "3 waiting · about 10–20 min" */
  return g_strdup_printf (ngettext ("%u waiting · %s", "%u waiting · %s", status->waiting), status->waiting,
                          range);
}

char *
kiosk_ui_join_documents (const GPtrArray *documents, const char *lang)
{
  gboolean en = g_strcmp0 (kiosk_ui_normalize_language (lang), KIOSK_LANG_EN) == 0;
  GString *out;

  if (documents == NULL || documents->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < documents->len; i++)
    {
      const KioskText *document = g_ptr_array_index (documents, i);

      /* English names may hold commas ("2 passport photos (1-inch, colour)"). */
      if (i > 0)
        g_string_append (out, en ? "; " : "、");
      g_string_append (out, kiosk_text_get (document, lang));
    }
  return g_string_free (out, FALSE);
}

const char *
kiosk_ui_describe_print_failure (KioskPrinterStatus status, const GError *error)
{
  /* Most useful to the person first: what staff must fix. */
  if (status & KIOSK_PRINTER_STATUS_PAPER_OUT)
    return _ ("Out of paper");
  if (status & KIOSK_PRINTER_STATUS_COVER_OPEN)
    return _ ("Printer cover open");
  if (status & KIOSK_PRINTER_STATUS_ERROR)
    return _ ("Printer fault");
  if (g_error_matches (error, KIOSK_ERROR, KIOSK_ERROR_TIMEOUT))
    return _ ("The printer did not answer");
  if (status & KIOSK_PRINTER_STATUS_OFFLINE)
    return _ ("Printer offline");
  return _ ("Printer not connected");
}
