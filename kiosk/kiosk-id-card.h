/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a chip ID card reader (GA 450) read from a card: the 256-byte text
 * block, decoded. The photo never gets here (the driver drops it).
 *
 * Name, address and birth date are personal information: a KioskIdCard lives
 * only as long as the screen that shows it, is never written to disk, logs or
 * the outbox, and is wiped when freed. The number goes on like a typed one
 * (in KioskCardRead::value) and is stored only as the kiosk's keyed hash. */

#define KIOSK_ID_CARD_TEXT_SIZE 256

typedef enum
{
  KIOSK_ID_CARD_RESIDENT,   /* 居民身份证 */
  KIOSK_ID_CARD_HMT_PERMIT, /* 港澳台居民居住证 (type 'J'): same fields, and a pass number */
} KioskIdCardType;

typedef struct
{
  KioskIdCardType type;
  char *name;     /* UTF-8, trailing spaces removed */
  char sex;       /* GB/T 2261.1: '1' male, '2' female, '0' unknown, '9' not stated */
  char nation[3]; /* GB 3304 two-digit code; empty on a permit */
  char birth[9];  /* YYYYMMDD, a real date */
  char *address;
  char number[19];      /* 18 characters, check digit verified */
  char *authority;      /* issuing authority */
  char valid_from[9];   /* YYYYMMDD */
  char valid_until[9];  /* YYYYMMDD, or "" for 长期 (no end date) */
  char pass_number[10]; /* permits only: the Mainland travel permit's number */
} KioskIdCard;

/* Decodes the text block (UCS-2 little-endian, fixed fields padded with
 * spaces). Refuses what it cannot read faithfully: invalid UTF-16, a number
 * with a wrong check digit or a birth date that disagrees with it, a date
 * that is not a date, and the cards whose layout differs (foreigners'
 * permanent residence cards, types 'I' and 'Y'), each with a message for a
 * person (KIOSK_ERROR_INVALID, or KIOSK_ERROR_DENIED for a card type this
 * kiosk does not take). Never reads past @length. Transfer full. */
KioskIdCard *kiosk_id_card_decode (const guint8 *text, gsize length, GError **error);

KioskIdCard *kiosk_id_card_copy (const KioskIdCard *card);
/* Wipes every field before freeing it. */
void kiosk_id_card_free (KioskIdCard *card);

/* TRUE when the card's validity ended before @today (YYYYMMDD; the end date
 * itself is still valid). A 长期 card never expires. */
gboolean kiosk_id_card_is_expired (const KioskIdCard *card, const char *today);

/* "张*三" for a greeting: the first and last character kept, the rest
 * starred; "张*" for two characters, "*" for one. Transfer full. */
char *kiosk_id_card_mask_name (const char *name);

/* "2031年05月01日" style end of validity for a person, "长期" for none. */
char *kiosk_id_card_format_valid_until (const KioskIdCard *card);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskIdCard, kiosk_id_card_free)

G_END_DECLS
