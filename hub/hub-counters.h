/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A service desk as `linli-hub counters add` takes it (the counters table of
 * hub/sql/004-calling.sql). Strings are borrowed; name_zh and name_en are
 * trimmed in place by the check. */
typedef struct
{
  const char *id;       /* the page is /counter/<id> */
  char *name_zh;        /* "3号窗口", shown and spoken on the hall display */
  char *name_en;        /* "Counter 3" */
  const char *services; /* "residence-permit,residence-renewal": what the desk calls */
} HubCounterSpec;

/* Whether @spec can be stored; the error says which option is wrong. */
gboolean hub_counter_spec_check (const HubCounterSpec *spec, GError **error);

/* `linli-hub counters add ID … | list`: adds a desk or updates the one with
 * that id (its call state is kept). */
int hub_counters_command (const char *conninfo, HubCounterSpec *spec, int argc, char **argv, GError **error);

G_END_DECLS
