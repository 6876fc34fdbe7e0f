/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-store.h"

G_BEGIN_DECLS

/* One schema step: @sql runs in one transaction that also sets user_version. */
typedef struct
{
  int version;
  const char *name;
  const char *sql;
} KioskMigration;

extern const KioskMigration kiosk_store_migrations[];
extern const guint kiosk_store_n_migrations;

/* Tests only: open without migrating past @version (0: newest). */
KioskStore *kiosk_store_open_at_version (const char *path, KioskClock *clock, int version, GError **error);

G_END_DECLS
