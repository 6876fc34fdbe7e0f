/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `linli-hub members import FILE`: the fitness club's member list into the
 * hub's members table (hub/sql/003-members.sql), which kiosks pull. FILE is
 * the format of a kiosk's [fitness] member_file (docs/fitness.md), checked by
 * the kiosks' own parser, and is the whole list: members missing from it are
 * removed from every kiosk. Cards are hashed with the card key at once. */
int hub_members_command (const char *conninfo, const char *card_key_path, int argc, char **argv,
                         GError **error);

G_END_DECLS
