/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* g_autoptr() for the C libraries the core uses, so every early return frees them
 * (the idea of libinput's util-mem.h, in GLib form). libevdev belongs to the
 * drivers only: include <libevdev/libevdev.h> before this header to get it. */

#include <curl/curl.h>
#include <glib.h>
#include <qrencode.h>
#include <sqlite3.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QRcode, QRcode_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

#ifdef LIBEVDEV_H
/* libevdev has only a struct tag; give it a type name for g_autoptr(). */
typedef struct libevdev libevdev;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (libevdev, libevdev_free)
#endif
