/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-printer.h"

G_BEGIN_DECLS

/* A fake ESC/POS printer for the KioskPrinter tests, on a pseudo-terminal or
 * on loopback TCP. It parses what it receives command by command (so raster
 * data that happens to contain 10 04 is not taken for DLE EOT) and answers
 * DLE EOT from a script. The Fixture (a temporary folder, a slip, the printer
 * under test and the fake) is shared by test-printer.c and
 * test-printer-device.c. */

typedef enum
{
  SCRIPT_OK,
  SCRIPT_NEAR_END,
  SCRIPT_COVER_OPEN,
  SCRIPT_PAPER_OUT_MID_JOB, /* ready, then out of paper after the first band */
  SCRIPT_SILENT,            /* takes everything, answers nothing */
  SCRIPT_DISCONNECT,        /* hangs up after the first band */
  SCRIPT_STALL,             /* answers status, then stops reading */
} Script;

typedef struct
{
  Script script;     /* first connection */
  Script later;      /* connections after the first (TCP) */
  int fd;            /* pty master; -1 for TCP */
  GSocket *listener; /* TCP */
  GThread *thread;
  gint stop; /* atomic */
  GMutex lock;
  /* Under lock */
  GByteArray *printed; /* ESC @, GS v 0 … as received, status requests left out */
  guint connections;
  guint status_requests;
  guint cuts;
} Fake;

typedef struct
{
  Fake fake;
  int slave;
  char *tmpdir;
  KioskBitmap *slip;
  KioskPrinter *printer;
} Fixture;

char *fake_start_pty (Fake *fake, Script script, int *slave_out);
guint16 fake_start_tcp (Fake *fake, Script script, Script later);
void fake_stop (Fake *fake);
/* What the fake printed, as an image; NULL if it printed nothing. */
KioskBitmap *fake_printed (Fake *fake);
/* Waits (at most 5 s) for @cuts cuts; returns the number seen. */
guint fake_wait_cuts (Fake *fake, guint cuts);

void fixture_setup (Fixture *f, gconstpointer unused);
void fixture_teardown (Fixture *f, gconstpointer unused);
void assert_finalized_soon (gpointer object);
/* Prints and waits in the main loop, as the kiosk's UI would. */
gboolean print_and_wait (KioskPrinter *printer, const KioskBitmap *slip, GError **error);
/* A serial printer on a fresh fake pty, with a 300 ms timeout. */
void setup_pty_printer (Fixture *f, Script script);

G_END_DECLS
