/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-clock.h"
#include "kiosk-id-card.h"

G_BEGIN_DECLS

/* What a badge, card or code reader delivered, after classification. */
typedef enum
{
  KIOSK_CARD_KIND_CARD_UID,    /* EM4100 / MIFARE UID: work badge or activity card */
  KIOSK_CARD_KIND_QR,          /* any other printable payload: booking codes */
  KIOSK_CARD_KIND_RESIDENT_ID, /* Chinese resident ID number, check digit and birth date verified */
  KIOSK_CARD_KIND_REJECTED,    /* garbage; see the reason */
} KioskCardKind;

/* Why a read was rejected. Counters are kept per reason. */
typedef enum
{
  KIOSK_CARD_REJECT_NONE,
  KIOSK_CARD_REJECT_INVALID,     /* empty, or control characters / bad UTF-8 */
  KIOSK_CARD_REJECT_TIMEOUT,     /* a partial read, then silence */
  KIOSK_CARD_REJECT_TOO_SLOW,    /* keys too far apart: a person typing, not a reader */
  KIOSK_CARD_REJECT_TOO_LONG,    /* longer than the reader's maximum */
  KIOSK_CARD_REJECT_CHECK_DIGIT, /* an 18-character ID number whose check digit is wrong */
  KIOSK_CARD_REJECT_LOST,        /* the device dropped events in the middle of a read */
  KIOSK_CARD_REJECT_DUPLICATE,   /* the same card again within the debounce time; counted, never delivered */
  KIOSK_CARD_REJECT_BIRTH_DATE,  /* an ID number whose birth date is not a real date, or after today */
  KIOSK_CARD_REJECT_UNSUPPORTED, /* a chip card of a type this kiosk does not take (foreigners' cards) */
  KIOSK_CARD_REJECT_UNVERIFIED,  /* a chip card the reader could not verify, or whose text is not sound */
  KIOSK_CARD_N_REJECTS,
} KioskCardReject;

/* How a reader prints UIDs; only matters for all-digit strings. AUTO reads
 * them as decimal (the factory setting of nearly every EM4100 reader). */
typedef enum
{
  KIOSK_CARD_UID_AUTO,
  KIOSK_CARD_UID_DECIMAL,
  KIOSK_CARD_UID_HEX,
} KioskCardUidFormat;

/* Longest payload accepted from any reader, in bytes. */
#define KIOSK_CARD_MAX_LENGTH 512

typedef struct
{
  KioskCardKind kind;
  KioskCardReject reject; /* NONE unless kind is REJECTED */
  /* The normalised value; for a rejected read, the raw text seen (possibly
   * partial, possibly empty, never NULL). Mask it before logging. */
  char *value;
  gint64 time_us; /* monotonic time of the read's last key or byte; 0 if unknown */
  /* A chip ID card reader's read (kind RESIDENT_ID): what the card says
   * besides its number. NULL from every other reader. Personal data: shown,
   * never stored or logged; wiped with the read. */
  KioskIdCard *id_card;
} KioskCardRead;

#define KIOSK_TYPE_CARD_READ (kiosk_card_read_get_type ())
GType kiosk_card_read_get_type (void) G_GNUC_CONST;

KioskCardRead *kiosk_card_read_new_rejected (KioskCardReject reason, const char *raw, gint64 time_us);
/* A chip card's read: kind RESIDENT_ID, value its number. Takes @card. */
KioskCardRead *kiosk_card_read_new_id_card (KioskIdCard *card, gint64 time_us);
KioskCardRead *kiosk_card_read_copy (const KioskCardRead *read);
void kiosk_card_read_free (KioskCardRead *read);

/* Classifies @text (NUL-terminated, a reader's output without its terminator).
 * Never fails: garbage becomes a REJECTED read. @today is the kiosk's date
 * (kiosk_clock_get_today()), against which an ID number's birth date is
 * checked. Transfer full. */
KioskCardRead *kiosk_card_classify (const char *text, KioskCardUidFormat format, const GDate *today,
                                    gint64 time_us);

/* ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the 17 digits at
 * @digits17, or 0 if they are not 17 digits. */
char kiosk_card_resident_id_check_char (const char *digits17);

/* A resident ID number as GB 11643 defines it: 6 digits of address code, the
 * birth date as YYYYMMDD, 3 digits of order and the check character. NONE
 * when @id is 18 such characters (an upper- or lower-case X last) whose check
 * character is right (CHECK_DIGIT otherwise) and whose birth date is a real
 * Gregorian date from 1900-01-01 to @today (BIRTH_DATE otherwise); INVALID
 * when @id has not that shape. Every path that accepts an ID number (readers,
 * appointment import and check-in, member lists) goes through this. */
KioskCardReject kiosk_card_check_resident_id (const char *id, const GDate *today);

/* The normal form of a badge UID as a reader types it (decimal, or hex with
 * an optional "0x" and separators): see kiosk_card_classify(). NULL when
 * @text is no UID, or has an ID number's shape. Transfer full. */
char *kiosk_card_normalize_uid (const char *text, KioskCardUidFormat format);

/* The number printed on a badge for a normal-form UID ("00BC614E" →
 * "0012345678"): its value in decimal, zero-padded to 10 digits as EM4100
 * readers type it. NULL when @uid is not 8 to 16 hex digits. Badge rules
 * (prefixes, number ranges) are written in these numbers. Transfer full. */
char *kiosk_card_uid_to_decimal (const char *uid);

/* "****1234": at most the last 4 characters, never more than half of them;
 * the number of stars does not reveal the length. For logs and the screen. */
char *kiosk_card_mask (const char *value);

/* "check-digit": a stable code for logs and counters. */
const char *kiosk_card_reject_to_code (KioskCardReject reason);
/* "身份证号校验位错误 / ID number check digit wrong": for a person. */
const char *kiosk_card_reject_to_text (KioskCardReject reason);
const char *kiosk_card_kind_to_code (KioskCardKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCardRead, kiosk_card_read_free)

G_END_DECLS
