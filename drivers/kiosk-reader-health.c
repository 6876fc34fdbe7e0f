/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-reader-health"

#include "kiosk-reader-health.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (KioskReaderHealth, kiosk_reader_health, kiosk_reader_health_copy,
                     kiosk_reader_health_free)

KioskReaderHealth *
kiosk_reader_health_new (const char *id)
{
  KioskReaderHealth *health = g_new0 (KioskReaderHealth, 1);

  g_return_val_if_fail (id != NULL, health);

  health->id = g_strdup (id);
  return health;
}

KioskReaderHealth *
kiosk_reader_health_copy (const KioskReaderHealth *health)
{
  KioskReaderHealth *copy;

  g_return_val_if_fail (health != NULL, NULL);

  copy = g_memdup2 (health, sizeof *health);
  copy->id = g_strdup (health->id);
  copy->path = g_strdup (health->path);
  return copy;
}

void
kiosk_reader_health_free (KioskReaderHealth *health)
{
  if (health == NULL)
    return;
  g_free (health->id);
  g_free (health->path);
  g_free (health);
}

void
kiosk_reader_health_count (KioskReaderHealth *health, const KioskCardRead *read, gint64 now_us)
{
  g_return_if_fail (health != NULL);
  g_return_if_fail (read != NULL);

  if (read->kind == KIOSK_CARD_KIND_REJECTED)
    {
      if (read->reject < KIOSK_CARD_N_REJECTS)
        health->n_rejected[read->reject]++;
      return;
    }
  health->n_reads++;
  health->last_read_us = now_us;
}

gboolean
kiosk_reader_health_is_silent (const KioskReaderHealth *health, gint64 opened_at_us, gint64 now_us,
                               gint64 grace_us)
{
  g_return_val_if_fail (health != NULL, FALSE);

  if (opened_at_us <= 0 || now_us - opened_at_us < grace_us)
    return FALSE;
  return health->last_read_us < opened_at_us;
}
