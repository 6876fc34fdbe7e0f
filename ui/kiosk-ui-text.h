/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <pango/pango.h>

#include "kiosk-hours.h"

G_BEGIN_DECLS

/* The kiosk's two languages: Chinese first, English second. */
#define KIOSK_LANG_ZH "zh"
#define KIOSK_LANG_EN "en"

/* Binds the text domain to @localedir (UTF-8 output whatever LC_CTYPE is). */
void kiosk_ui_i18n_init (const char *localedir);
/* Makes gettext answer in @lang ("zh" or "en") from now on. FALSE when the
 * system lacks the locale and the LANGUAGE fallback had to be used. */
gboolean kiosk_ui_apply_language (const char *lang);
/* "zh" or "en"; anything else is Chinese. */
const char *kiosk_ui_normalize_language (const char *lang);

/* "2024年5月6日 星期一" / "Monday, 6 May 2024", in the current language. */
char *kiosk_ui_format_date (GDateTime *local);
/* "08:05". */
char *kiosk_ui_format_time (GDateTime *local);
/* "08:30–12:00  13:30–17:30" from KioskSpan items; "Closed today" when empty. */
char *kiosk_ui_format_spans (const GArray *spans);
/* "08:30" from minutes after midnight. */
char *kiosk_ui_format_minutes (int minutes);

/* The narrowest width (pixels, at most @width) at which @layout's text
 * wraps into no more lines than at @width: its lines then come out about
 * as long as each other, and none is left holding a single character.
 * @width when the text fits one line. Changes @layout's width. */
int kiosk_ui_balanced_width (PangoLayout *layout, int width);

/* TRUE when @text holds a CJK ideograph (for checks that a screen is all English). */
gboolean kiosk_ui_text_has_cjk (const char *text);

/* "Open now, until 12:00" / "Closed, opens at 13:30" / "Closed, opens
 * tomorrow at 08:30" / "Closed, opens Sat 09:00" / "Closed, opens 02-13 08:30"
 * / "Closed", for @hours at @local, in the current language. */
char *kiosk_ui_format_open_state (const KioskHours *hours, GDateTime *local);

G_END_DECLS
