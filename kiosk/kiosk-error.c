/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-error"

#include "kiosk-error.h"

G_DEFINE_QUARK (kiosk_error_quark, kiosk_error)
