/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-bundle-check.h"

G_BEGIN_DECLS

/* Shared by kiosk-bundle-check.c and kiosk-bundle-text.c. */

/* A time an announcement claims something is open. */
typedef struct
{
  guint days; /* bit (weekday - 1); 0: on some day */
  int start, end;
  gboolean period; /* "afternoon": open for part of it, not all of it */
  char *said;      /* as written, for the message */
} KioskClaim;

/* Something an announcement names, and its opening hours. */
typedef struct
{
  char *label; /* "居住证申领 (residence-permit)" */
  const KioskHours *hours;
} KioskSubject;

gboolean kiosk_spans_within (const GArray *spans, int start, int end);
gboolean kiosk_spans_overlap (const GArray *spans, int start, int end);

/* The claims of @text in order (KioskClaim*): days named apply to the times
 * and periods that follow them, until days are named again after a time. */
GPtrArray *kiosk_claims_read (const char *text);
/* The weekday on which @hours contradict @claim, 8 when no day fits a claim
 * of "some day", or 0 when they agree. */
int kiosk_claim_contradicts (const KioskHours *hours, const KioskClaim *claim);
/* What @text (lower case for English) names (KioskSubject*), one a set of hours. */
GPtrArray *kiosk_subjects_named (KioskBundle *bundle, const char *text, const char *lang);

G_END_DECLS
