/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What kiosk-application.c and kiosk-app-options.c (the command line and
 * demo mode's settings) share. */

#include "kiosk-application.h"
#include "kiosk-demo-bus.h"
#include "kiosk-display-power.h"
#include "kiosk-gate.h"
#include "kiosk-retention.h"
#include "kiosk-window.h"

G_BEGIN_DECLS

struct _KioskApplication
{
  GtkApplication parent_instance;

  /* Owned */
  KioskConfig *config;
  KioskClock *clock;
  KioskStore *store;
  KioskRetention *retention;
  KioskContent *content;
  KioskQueue *queue;
  KioskPrinter *printer;
  KioskGate *gate;
  KioskDisplayPower *display_power;
  KioskDemoBus *demo_bus;
  GtkCssProvider *css;
  char *slip_dir;
  char *language;
  char *start_screen;
  char *screenshot_path;
  GStrv presses;

  /* Options */
  gboolean demo;
  gboolean landscape;
  gboolean large_text;
  gboolean startup_report;
  gboolean safe_mode;
  guint watchdog_id;
  int fixed_width;
  int fixed_height;
  int exit_code;
  gint64 started_us;
  guint quit_sources[2];

  /* Borrowed: owned by GtkApplication's window list */
  KioskWindow *window;
};

/* kiosk-app-options.c */
extern const GOptionEntry kiosk_app_option_entries[];
/* Is this binary the build tree's (tests, `meson devenv`)? Then the build
 * tree's translations and the source tree's content. */
gboolean kiosk_app_running_from_build_tree (void);
/* The packaged content bundle's folder. */
char *kiosk_app_default_bundle_dir (void);
/* --hash-pin: reads a PIN from standard input, prints its hash; the exit code. */
int kiosk_app_print_pin_hash (void);

/* kiosk-app-start.c */
void kiosk_app_open_store (KioskApplication *self);
void kiosk_app_load_content (KioskApplication *self);
void kiosk_app_on_retention_finished (KioskRetention *retention, gint64 removed, const GError *error);
/* The window's "map" handler: watches for the first frame. */
void kiosk_app_on_window_mapped (GtkWidget *window, KioskApplication *self);

G_END_DECLS
