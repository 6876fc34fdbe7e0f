/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-appointments"

/* libFuzzer: an appointment import (kiosk_appointment_import_data) into a
 * queue over the default content. Any bytes: imported whole or refused with
 * a KIOSK_ERROR, never a crash. */

#include "fuzz-util.h"
#include "kiosk-appointment.h"
#include "kiosk-error.h"

static KioskQueue *
queue (void)
{
  static KioskQueue *self;

  if (self == NULL)
    {
      static const char secret[] = "fuzz secret of the kiosk, 32 b..";
      g_autofree char *path = g_build_filename (fuzz_scratch (), "kiosk.db", NULL);
      g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
      g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 11, 23, 9, 0, 0);
      g_autoptr (KioskClock) clock = kiosk_clock_new_fake ("Asia/Shanghai", start);
      g_autoptr (KioskStore) store = kiosk_store_open (path, clock, NULL);
      g_autoptr (KioskBundle) bundle = kiosk_bundle_load (FUZZ_SOURCE_ROOT "/assets/content/default", NULL);
      KioskQueueSettings settings;

      if (store == NULL || bundle == NULL)
        abort ();
      kiosk_queue_settings_init (&settings);
      settings.hall_id = "hall-1";
      settings.kiosk_id = "kiosk-0";
      settings.secret = g_bytes_new_static (secret, sizeof secret - 1);
      self = kiosk_queue_new (store, bundle, &settings, NULL);
      g_bytes_unref (settings.secret);
      if (self == NULL)
        abort ();
    }
  return self;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;
  gboolean ok = kiosk_appointment_import_data (queue (), (const char *)data, (gssize)size, &n, &error);

  FUZZ_CHECK (ok != (error != NULL));
  FUZZ_CHECK (error == NULL || error->domain == KIOSK_ERROR);
  return 0;
}
