/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-printer.h"
#include "kiosk-queue.h"

G_BEGIN_DECLS

/* Texts of the take-a-number screens, in the current gettext language
 * (@lang for the parts that come from content or the core). Pure. */

/* "前面还有 3 人" / "3 people ahead of you"; 0: "前面无人等候" / "You are next". */
char *kiosk_ui_format_people_ahead (guint people_ahead);

/* "预计等候：约 10–20 分钟" / "Estimated wait: about 10–20 min". */
char *kiosk_ui_format_wait (int wait_low, int wait_high, const char *lang);

/* A service tile's line: "等候 3 人 · 约 10–20 分钟" / "3 waiting · about 10–20 min";
 * "无人等候" / "Nobody waiting" when the line is empty. */
char *kiosk_ui_format_queue_state (const KioskQueueStatus *status, const char *lang);

/* The documents (KioskText*) in one line: "居民身份证原件、户口簿" /
 * "Resident ID card (original); Household register". NULL when none. */
char *kiosk_ui_join_documents (const GPtrArray *documents, const char *lang);

/* Why a slip did not print, for a resident: "纸张用完" / "Out of paper", from
 * the printer's status after the failure and the error it gave. */
const char *kiosk_ui_describe_print_failure (KioskPrinterStatus status, const GError *error);

G_END_DECLS
