/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  KIOSK_DOOR_STATE_CLOSED, /* relay off */
  KIOSK_DOOR_STATE_OPEN,   /* relay on, a pulse running */
  KIOSK_DOOR_STATE_FAULT,  /* the relay could not be switched; retrying off */
} KioskDoorState;

#define KIOSK_TYPE_DOOR_STATE (kiosk_door_state_get_type ())
GType kiosk_door_state_get_type (void) G_GNUC_CONST;

/* No pulse is longer: a door held open by a bug is worse than one that shuts. */
#define KIOSK_DOOR_MAX_PULSE_MS 10000

#define KIOSK_TYPE_DOOR (kiosk_door_get_type ())
G_DECLARE_FINAL_TYPE (KioskDoor, kiosk_door, KIOSK, DOOR, GObject)

/* The demo backend: says what a relay would do, on the "kiosk-door" log
 * domain at the info level. */
KioskDoor *kiosk_door_new_log (void);
/* A relay on line @line of the GPIO character device @chip_path
 * ("/dev/gpiochip0"), through the kernel's uAPI v2. The line is claimed and
 * driven off now, so a wrong chip or line fails here, not at the first pulse. */
KioskDoor *kiosk_door_new_gpio (const char *chip_path, guint line, gboolean active_low, GError **error);

/* Switches the relay on for @ms (1..KIOSK_DOOR_MAX_PULSE_MS) milliseconds; a
 * pulse during a pulse extends it. The off switch runs from a timer in the
 * thread-default main context, and on dispose and at exit(). */
gboolean kiosk_door_pulse (KioskDoor *self, guint ms, GError **error);
/* Switches off now and cancels the pulse. */
gboolean kiosk_door_switch_off (KioskDoor *self, GError **error);
KioskDoorState kiosk_door_get_state (KioskDoor *self);

G_END_DECLS
