/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-application.h"

G_BEGIN_DECLS

#define KIOSK_DEMO_BUS_INTERFACE "org.linli.Kiosk.Demo"

/* linli-kiosk --demo's input path for a program (bench/soak): the inputs a
 * reader and a finger give, over the session bus, each answered when the
 * kiosk has answered it. Only in demo mode; a kiosk in service exports
 * nothing of it. On the application's object path (/org/linli/Kiosk):
 *
 *   CardRead (s number) → (b granted, s title)
 *     a read of the demo reader (kiosk_application_card_read, as the
 *     keyboard's digits and Enter are); the answer drawn over the screen, in
 *     English ("" when a read gets none, as a repeat does).
 *   TakeTicket (u turn, b look) → (s service, s label, s print)
 *     the taps of a person taking a number, on the real buttons: the home
 *     screen's tile, the category, the service (turn modulo the bundle's
 *     services, in order), then, once the slip has printed and the page says
 *     so on screen, Done. With look, each tap waits for the frame that shows
 *     the screen before it; without, the three taps come at once (the pages
 *     between are built but not laid out) and only the slip's page and home
 *     are drawn. label is the number ("" when refused); print is "printed",
 *     "failed" or "refused".
 *   CheckIn (s code) → (s service, s label, s lane)
 *     what a resident with a booking does: Home, Take a number, I have an
 *     appointment, then the code on the keypad and Check in, or, for an
 *     18-character ID number, the card on the demo reader; the ticket then
 *     on screen (lane "appointment"), or "", "", "refused" when the screen
 *     refuses it (unknown, used, too early or too late).
 *   Frame () → ()
 *     returns after the window has painted its next frame.
 *
 * Nothing a person could not do: every tap is a ::clicked of a button on
 * screen, every read goes where the reader's would. */
typedef struct _KioskDemoBus KioskDemoBus;

/* Borrowed: @app outlives the registration (dbus_unregister frees it). */
KioskDemoBus *kiosk_demo_bus_new (KioskApplication *app, GDBusConnection *connection, const char *object_path,
                                  GError **error);
void kiosk_demo_bus_free (KioskDemoBus *bus);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskDemoBus, kiosk_demo_bus_free)

/* The visible, mapped, sensitive button under @root that carries @action
 * (and the string @target, or no target when NULL); NULL when none. */
GtkWidget *kiosk_demo_find_button (GtkWidget *root, const char *action, const char *target);

G_END_DECLS
