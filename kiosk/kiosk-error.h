/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KIOSK_ERROR (kiosk_error_quark ())

/* One domain for the whole kiosk; the code says what the caller can do about it. */
typedef enum
{
  KIOSK_ERROR_FAILED,       /* anything not below */
  KIOSK_ERROR_INVALID,      /* malformed input: config, bundle, card read, hub reply */
  KIOSK_ERROR_NOT_FOUND,    /* a thing named does not exist */
  KIOSK_ERROR_STORAGE,      /* the database could not be opened or written */
  KIOSK_ERROR_STORAGE_FULL, /* the disk is full; the write was rolled back */
  KIOSK_ERROR_READ_ONLY,    /* the state directory or database cannot be written */
  KIOSK_ERROR_CORRUPT,      /* a database or bundle failed its integrity check */
  KIOSK_ERROR_CLOSED,       /* refused by opening hours, cap or cut-off */
  KIOSK_ERROR_DENIED,       /* refused by a rule (entry, booking) */
  KIOSK_ERROR_DEVICE,       /* a printer, reader or relay failed */
  KIOSK_ERROR_TIMEOUT,      /* a device or peer did not answer in time */
  KIOSK_ERROR_NETWORK,      /* the hub could not be reached or answered badly */
} KioskError;

GQuark kiosk_error_quark (void);

G_END_DECLS
