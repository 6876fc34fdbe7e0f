/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-clock.h"
#include "kiosk-content.h"

G_BEGIN_DECLS

/* A screen of the kiosk (home, services guide, ...). Each one shows the
 * bundle in force in the current language and redraws itself when either
 * changes, so a language switch or a content swap reaches every string. */
#define KIOSK_TYPE_SCREEN (kiosk_screen_get_type ())
G_DECLARE_DERIVABLE_TYPE (KioskScreen, kiosk_screen, KIOSK, SCREEN, GtkWidget)

struct _KioskScreenClass
{
  GtkWidgetClass parent_class;

  /* Rebuilds every string and list from the bundle and language. */
  void (*refresh) (KioskScreen *self);
  /* Back to the screen's first page (the next visitor starts there). */
  void (*reset) (KioskScreen *self);
};

void kiosk_screen_set_content (KioskScreen *self, KioskContent *content);
void kiosk_screen_set_clock (KioskScreen *self, KioskClock *clock);
const char *kiosk_screen_get_language (KioskScreen *self);
void kiosk_screen_set_language (KioskScreen *self, const char *lang);

/* The bundle in force; NULL when none could be loaded. Borrowed. */
KioskBundle *kiosk_screen_get_bundle (KioskScreen *self);
/* Local wall time from the kiosk's clock; transfer full. */
GDateTime *kiosk_screen_now (KioskScreen *self);
/* @text in the screen's language. */
const char *kiosk_screen_text (KioskScreen *self, const KioskText *text);

void kiosk_screen_refresh (KioskScreen *self);
void kiosk_screen_reset (KioskScreen *self);

/* Helpers for building screens in code. */
void kiosk_box_remove_all (GtkWidget *box);
GtkWidget *kiosk_label_new (const char *text, const char *css_class);
/* A button with a large icon and a label, carrying @action_name/@target. */
GtkWidget *kiosk_icon_button_new (const char *icon_name, const char *text, const char *action_name,
                                  GVariant *target, const char *css_class);
/* Is @widget a button that carries @action with the string @target (NULL:
 * no target)? How tests and the demo bus find what a finger presses. */
gboolean kiosk_button_does (GtkWidget *widget, const char *action, const char *target);
/* An icon the bundle names: its icons/NAME.svg or .png, else the kiosk's own
 * drawing "kiosk-category-NAME-symbolic", else @fallback_icon. */
GtkWidget *kiosk_bundle_icon_new (KioskBundle *bundle, const char *icon, const char *fallback_icon, int size);

G_END_DECLS
