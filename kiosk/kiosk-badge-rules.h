/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

/* Work badges admitted without enrolment: a factory's badges share an issuer
 * prefix, a number range and a length, so a rule can let tens of thousands of
 * workers in without a list. A badge matches when it meets EVERY condition
 * that is configured (any prefix; any range; the length); with no condition
 * configured the rules admit nothing. See docs/fitness.md. */
typedef struct _KioskBadgeRules KioskBadgeRules;

/* @prefixes: e.g. {"88", NULL}; @ranges: "LOW-HIGH" decimal numbers of up to
 * 19 digits, inclusive, e.g. "0012300000-0012399999"; @length: exact length,
 * 0 for any; @group: the fitness group a matching badge enters as. Any of the
 * lists may be NULL. Fails with KIOSK_ERROR_INVALID naming the bad item. */
KioskBadgeRules *kiosk_badge_rules_new (const char *const *prefixes, const char *const *ranges, int length,
                                        const char *group, GError **error);
/* From the [fitness] badge_prefixes, badge_ranges, badge_length, badge_group keys. */
KioskBadgeRules *kiosk_badge_rules_new_from_config (KioskConfig *config, GError **error);
void kiosk_badge_rules_free (KioskBadgeRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskBadgeRules, kiosk_badge_rules_free)

/* FALSE when no condition is configured. */
gboolean kiosk_badge_rules_enabled (const KioskBadgeRules *rules);
const char *kiosk_badge_rules_get_group (const KioskBadgeRules *rules);
/* Whether @card, a canonical identifier (kiosk_card_canonical()), matches. */
gboolean kiosk_badge_rules_match (const KioskBadgeRules *rules, const char *card);

G_END_DECLS
