/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-entry.h"

G_BEGIN_DECLS

/* Inside the caller's transaction: the entry row of @d and its outbox record
 * (kind "entry", the same UUID). A granted card's earlier stay ends now. */
gboolean kiosk_entry_record_write (KioskStore *store, const KioskEntryDecision *d, GError **error);

/* Records since @since_us, newest first, at most @limit. Transfer full. */
GPtrArray *kiosk_entry_record_list (KioskStore *store, gint64 since_us, guint limit, GError **error);

G_END_DECLS
