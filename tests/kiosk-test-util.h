/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh temporary directory for one fixture; free with kiosk_test_remove_tree(). */
char *kiosk_test_make_tmpdir (const char *name);
void kiosk_test_remove_tree (const char *path);
/* Absolute path of a file under the source tree's assets/. */
char *kiosk_test_asset_path (const char *relative);

/* JSON nested @depth levels: "[[[…]]]", or {"a":{"a":…1…}} with @objects. */
char *kiosk_test_deep_json (guint depth, gboolean objects);

G_END_DECLS
