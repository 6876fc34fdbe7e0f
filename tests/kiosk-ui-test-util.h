/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the UI tests share: drive the real widgets the way a finger does. */

typedef gboolean (*KioskUiTestVisit) (GtkWidget *widget, gpointer data);

typedef struct
{
  const char *action;
  const char *target; /* a string target, or NULL for none */
} KioskUiTestActionRef;

/* Runs the main context until nothing is pending. */
void kiosk_ui_test_iterate (void);
/* The first visible widget under @root (depth first) that @visit accepts. */
GtkWidget *kiosk_ui_test_find_widget (GtkWidget *root, KioskUiTestVisit visit, gpointer data);
/* A KioskUiTestVisit: a button that carries the KioskUiTestActionRef @data. */
gboolean kiosk_ui_test_button_does (GtkWidget *widget, gpointer data);
/* Clicks the visible button under @root that carries @action (and @target). */
void kiosk_ui_test_press (GtkWidget *root, const char *action, const char *target);

/* A staff PIN hash that takes no time to check: the tests are about the
 * panel, not Argon2. */
char *kiosk_ui_test_pin_hash (const char *pin);
/* The long press on the centre's name that opens the staff sign-in. */
void kiosk_ui_test_open_staff_panel (GtkWidget *window);
/* Types @pin on the sign-in keypad and presses ✓. */
void kiosk_ui_test_staff_unlock (GtkWidget *window, const char *pin);

/* linli-kiosk's command line in a test, NULL-terminated for
 * g_application_run (len - 1 arguments): [--config @config] --state-dir
 * @dir/state --content @content (NULL: the packaged bundle) --size @size
 * (NULL: 1080x1920, the portrait kiosk). */
GPtrArray *kiosk_ui_test_argv (const char *config, const char *dir, const char *content, const char *size);
typedef void (*KioskUiTestAppBody) (GtkWidget *window, gpointer data);
/* Runs @app (a KioskApplication) with @argv; once it is activated and its
 * window is mapped, calls @body, then closes the window, lets pending
 * callbacks run and quits. Asserts that the application exits 0. */
void kiosk_ui_test_run_app (GApplication *app, GPtrArray *argv, KioskUiTestAppBody body, gpointer data);
/* Lets GTK lay out and paint what just changed: three frames (wrapped
 * labels take a second pass), at most 3 s. Before a screenshot. */
void kiosk_ui_test_settle (GtkWidget *window);

/* Drops the caller's reference to @object and waits (iterating the default
 * main context, at most 30 s) until it is finalized, failing if it never is:
 * the application's threads (sync, readers) may still be letting go of the
 * clock or the application as they stop, later under the sanitizers. */
void kiosk_ui_test_assert_finalized (gpointer object);
/* Runs the main context until @window is mapped (asserting it is, within 10 s). */
void kiosk_ui_test_wait_mapped (GtkWidget *window);

/* The first mapped widget under @root (depth first, @root included) whose
 * bounds in @window leave the @width × @height screen, or NULL; @bounds
 * gets them. What a scrolled window holds may scroll out of sight, so its
 * children are not walked (the scrolled window itself is). */
GtkWidget *kiosk_ui_test_find_outside (GtkWidget *window, GtkWidget *root, int width, int height,
                                       graphene_rect_t *bounds);
/* Fails the test naming the first widget under @root outside the screen. */
void kiosk_ui_test_assert_inside (GtkWidget *window, GtkWidget *root, int width, int height,
                                  const char *what);
/* The first mapped label under @root whose text Pango shortened with "…", or NULL. */
GtkLabel *kiosk_ui_test_find_ellipsized (GtkWidget *root);
/* A short description of @widget for failure messages: its type, CSS
 * classes and, for a label, its text. */
char *kiosk_ui_test_describe (GtkWidget *widget);

G_END_DECLS
