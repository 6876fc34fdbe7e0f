/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-queue.h"

G_BEGIN_DECLS

/* A small content bundle for the queue tests, the crash child and the
 * benchmark (the format of assets/content/default/manifest.json):
 *
 *   hours "hall":   Mon–Fri 08:30–12:00 and 13:30–17:00, Sat 09:00–12:00,
 *                   closed Sundays; holiday 2026-11-25 (a Wednesday);
 *                   cut-off 20 minutes
 *   hours "always": every day 00:00–24:00, no cut-off
 *   queue "A" (hall,   1–999, cap @a_cap, 1 counter, 10 minutes)
 *         "N" (always, 1–@n_last, no cap, 1 counter, 10 minutes)
 *         "R" (always, 1–3)
 *   services "residence-permit" (A, priority lanes), "social-insurance"
 *            (A, cap @service_cap, no priority lanes), "night-desk" (N),
 *            "short" (R)
 *
 * 2026-11-23 is a Monday. */
typedef struct
{
  int a_cap;
  int service_cap;
  int n_last;
} QueueTestManifest;

#define QUEUE_TEST_MANIFEST_DEFAULTS                                                                         \
  {                                                                                                          \
    0, 0, 999                                                                                                \
  }

/* Writes @dir/manifest.json and loads it; asserts on failure. */
KioskBundle *queue_test_bundle (const char *dir, const QueueTestManifest *spec);

/* Settings with hall "hall-1", kiosk "kiosk-<index>" and a fixed test secret;
 * the caller unrefs settings->secret. */
void queue_test_settings (KioskQueueSettings *settings, guint index, guint n);

G_END_DECLS
