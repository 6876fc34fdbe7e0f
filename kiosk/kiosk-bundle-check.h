/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-bundle.h"

G_BEGIN_DECLS

/* What a bundle that loads can still get wrong: things a resident would trip
 * on at the kiosk (kiosk-bundle-check.c lists each check). `linli-content
 * sign` refuses a bundle with an error and prints warnings (--strict refuses
 * those too); docs/content-releases.md explains the split. */

typedef enum
{
  /* Likely a mistake, but a centre may mean it (an event outside the hall's
   * hours, a queue kept for later), or found by reading free text. */
  KIOSK_CHECK_WARNING,
  /* Always wrong: residents would be stranded or misled. */
  KIOSK_CHECK_ERROR,
} KioskCheckLevel;

typedef struct
{
  KioskCheckLevel level;
  char *where; /* "announcements[1] (permit-evenings)" */
  char *text;  /* Chinese first, English second */
} KioskCheckFinding;

void kiosk_check_finding_free (KioskCheckFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCheckFinding, kiosk_check_finding_free)

/* "错误 / error: where: text". Transfer full. */
char *kiosk_check_finding_to_string (const KioskCheckFinding *finding);

/* Every finding for @bundle, errors and warnings in manifest order;
 * announcements that ended before @now are findings too. Transfer full
 * (KioskCheckFinding*). */
GPtrArray *kiosk_bundle_check_consistency (KioskBundle *bundle, GDateTime *now);

/* The times an announcement's text claims, for tests: one line a claim,
 * "<days> <HH:MM>-<HH:MM>", days as "1234567" (Monday 1) or "*" for "some
 * day". Transfer full. */
char *kiosk_check_describe_claims (const char *text);

G_END_DECLS
