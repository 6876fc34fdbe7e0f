/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Input as a person gives it, through the X server's XTEST extension: the
 * program under test sees ordinary pointer and key events. */
typedef struct _BenchInput BenchInput;

BenchInput *bench_input_open (GError **error);
void bench_input_free (BenchInput *input);

void bench_input_move (BenchInput *input, int x, int y);
/* A press and a release at (x, y), flushed to the server at once. */
void bench_input_click (BenchInput *input, int x, int y);
/* Each character of text (digits, or '\n' for Return) pressed and released,
 * flushed at once: what a keyboard-wedge badge reader sends. */
gboolean bench_input_type (BenchInput *input, const char *text, GError **error);
/* Waits until the server has handled every request sent so far. */
void bench_input_sync (BenchInput *input);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchInput, bench_input_free)

G_END_DECLS
