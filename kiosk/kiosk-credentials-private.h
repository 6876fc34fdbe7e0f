/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-credentials.h"

G_BEGIN_DECLS

/* Why @member cannot be stored, or NULL when it can. Transfer full. */
char *kiosk_member_check (const KioskMember *member);

/* kiosk_credentials_apply(), also setting meta @meta_key to @meta_value (both
 * may be NULL) in the same transaction. */
gboolean kiosk_credentials_apply_full (KioskCredentials *self, GPtrArray *members, gboolean replace_all,
                                       const char *meta_key, const char *meta_value, GError **error);

G_END_DECLS
