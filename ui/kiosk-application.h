/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-card.h"
#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-content.h"
#include "kiosk-printer.h"
#include "kiosk-queue.h"
#include "kiosk-gate.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

#define KIOSK_APPLICATION_ID "org.linli.Kiosk"

/* The kiosk program: owns the config, clock, store and content, and one
 * window. Session state a visitor changes (language, large text) lives here
 * so the idle timeout can put it back for the next person. */
#define KIOSK_TYPE_APPLICATION (kiosk_application_get_type ())
G_DECLARE_FINAL_TYPE (KioskApplication, kiosk_application, KIOSK, APPLICATION, GtkApplication)

KioskApplication *kiosk_application_new (void);

/* Applies the parsed command-line options (what handle-local-options gets);
 * tests call it with their own dictionary before g_application_register(). */
gboolean kiosk_application_apply_options (KioskApplication *self, GVariantDict *options, GError **error);

KioskConfig *kiosk_application_get_config (KioskApplication *self);
KioskClock *kiosk_application_get_clock (KioskApplication *self);
/* NULL when the database could not be opened: the kiosk is out of service. */
KioskStore *kiosk_application_get_store (KioskApplication *self);
/* NULL when no bundle could be loaded: the kiosk is out of service. */
KioskContent *kiosk_application_get_content (KioskApplication *self);
/* NULL without a store, a bundle or the kiosk's key: no numbers issued here. */
KioskQueue *kiosk_application_get_queue (KioskApplication *self);
/* NULL with [printer] transport = none (or a bad serial setting). */
KioskPrinter *kiosk_application_get_printer (KioskApplication *self);
const char *kiosk_application_get_state_dir (KioskApplication *self);
/* Demo mode's printer stand-in folder; NULL outside demo mode. */
const char *kiosk_application_get_slip_dir (KioskApplication *self);
gboolean kiosk_application_get_demo (KioskApplication *self);
/* --safe-mode: only the out-of-service screen. */
gboolean kiosk_application_get_safe_mode (KioskApplication *self);
gboolean kiosk_application_get_landscape (KioskApplication *self);
/* The window size asked for with --size, or FALSE for fullscreen. */
gboolean kiosk_application_get_fixed_size (KioskApplication *self, int *width, int *height);
int kiosk_application_get_idle_timeout (KioskApplication *self);
/* The screen --screen asked for at start ("home" when not given). */
const char *kiosk_application_get_start_screen (KioskApplication *self);

const char *kiosk_application_get_language (KioskApplication *self);
void kiosk_application_set_language (KioskApplication *self, const char *lang);
gboolean kiosk_application_get_large_text (KioskApplication *self);
void kiosk_application_set_large_text (KioskApplication *self, gboolean large_text);
/* Chinese, normal text: what the next visitor finds. */
void kiosk_application_reset_session (KioskApplication *self);

/* Card reads: every reader's reads (KioskGate's reader manager; in demo mode
 * the keyboard, reader id KIOSK_KEYBOARD_READER_ID) come through one signal,
 *
 *   gboolean ::card-read (const char *reader_id, KioskCardRead *read)
 *
 * with the true-handled accumulator: a handler that takes the read returns
 * TRUE and nothing else sees it. The application's own handler runs last
 * (G_SIGNAL_RUN_LAST) and routes what nobody took:
 *   - a card UID → the fitness club's entry decision (from any screen); the
 *     answer is ::feedback, the door pulses on a grant;
 *   - a QR payload or a resident ID number → a red "此码不能开门 / This code
 *     does not open the door" hint towards the take-a-number screen;
 *   - a rejected read → 读卡失败，请重刷 (a person typing or a repeat: nothing).
 * So the appointment check-in connects to ::card-read (not after) and returns
 * TRUE for the reads it takes: QR payloads and ID numbers from any screen,
 * or every read while its check-in page is up. Handlers never see a card
 * number in full in logs: mask with kiosk_card_mask().
 *
 *   void ::feedback (KioskFeedback *feedback): the full-screen answer to a
 *   card (KioskWindow shows it over every screen). */
#define KIOSK_KEYBOARD_READER_ID "keyboard"

/* Delivers @number as a reader would: classified (kiosk_card_classify(),
 * decimal or hex UIDs normalised) and routed through ::card-read. */
void kiosk_application_card_read (KioskApplication *self, const char *number);
/* Routes a typed read; TRUE when a handler or the default route answered it. */
gboolean kiosk_application_deliver_read (KioskApplication *self, const char *reader_id,
                                         const KioskCardRead *read);
/* The readers, door and club; NULL when the store or content is missing. */
KioskGate *kiosk_application_get_gate (KioskApplication *self);

GtkWindow *kiosk_application_get_kiosk_window (KioskApplication *self);
/* The screen outside opening hours (kiosk-display-power.h); NULL before the
 * window exists and in one-shot runs (--screenshot, --startup-report). */
typedef struct _KioskDisplayPower KioskDisplayPower;
KioskDisplayPower *kiosk_application_get_display_power (KioskApplication *self);
/* Non-zero when --screenshot failed; main() returns it. */
int kiosk_application_get_exit_code (KioskApplication *self);

/* "1080x1920" → 1080, 1920; FALSE when malformed or out of range. */
gboolean kiosk_parse_size (const char *text, int *width, int *height);

G_END_DECLS
