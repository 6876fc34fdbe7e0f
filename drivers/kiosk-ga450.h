/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The framed serial protocol of GA 450 resident ID card readers, as pure
 * functions over bytes: no I/O, tested from tables of frames.
 *
 * A command:  AA AA AA 96 69 | LEN(2, big-endian) | CMD PARA DATA… | XOR
 * An answer:  AA AA AA 96 69 | LEN(2, big-endian) | SW1 SW2 SW3 DATA… | XOR
 * LEN counts what follows it, the check byte included; the check byte is the
 * XOR of every byte from LEN to the end of DATA. */

#define KIOSK_GA450_PREAMBLE_SIZE 5
#define KIOSK_GA450_HEADER_SIZE 7
/* The largest answer taken: base information with a fingerprint (text 256,
 * photo 1024, fingerprint 1024) fits with room; anything longer is noise. */
#define KIOSK_GA450_MAX_LENGTH 4096

/* Commands: CMD << 8 | PARA. */
typedef enum
{
  KIOSK_GA450_FIND_CARD = 0x2001,
  KIOSK_GA450_SELECT_CARD = 0x2002,
  KIOSK_GA450_READ_BASE = 0x3001,
  KIOSK_GA450_SAM_STATUS = 0x1111,
} KioskGa450Command;

/* SW3 of an answer, as GA 450 lists them. */
typedef enum
{
  KIOSK_GA450_OK = 0x90,
  KIOSK_GA450_NO_CONTENT = 0x91,
  KIOSK_GA450_CARD_FOUND = 0x9F,
  KIOSK_GA450_BAD_CHECKSUM = 0x10,
  KIOSK_GA450_BAD_LENGTH = 0x11,
  KIOSK_GA450_BAD_COMMAND = 0x21,
  KIOSK_GA450_UNAUTHORISED = 0x23,
  KIOSK_GA450_UNKNOWN_ERROR = 0x24,
  KIOSK_GA450_CARD_AUTH_SAM_FAILED = 0x31,
  KIOSK_GA450_SAM_AUTH_CARD_FAILED = 0x32,
  KIOSK_GA450_VERIFY_FAILED = 0x33,
  KIOSK_GA450_UNKNOWN_CARD = 0x40,
  KIOSK_GA450_READ_FAILED = 0x41,
  KIOSK_GA450_RANDOM_FAILED = 0x47,
  KIOSK_GA450_SAM_SELF_TEST_FAILED = 0x60,
  KIOSK_GA450_SAM_UNAUTHORISED = 0x66,
  KIOSK_GA450_NO_CARD = 0x80,
  KIOSK_GA450_SELECT_FAILED = 0x81,
} KioskGa450Status;

/* What the driver does about a status. */
typedef enum
{
  KIOSK_GA450_ACTION_OK,       /* go on */
  KIOSK_GA450_ACTION_NO_CARD,  /* nothing on the reader (or it left mid-way): poll again */
  KIOSK_GA450_ACTION_RETRY,    /* the exchange went wrong (noise, a card moved): try again */
  KIOSK_GA450_ACTION_REJECT,   /* the card itself cannot be read or trusted: tell the person */
  KIOSK_GA450_ACTION_UNHEALTHY /* the reader's security module is at fault: tell the technician */
} KioskGa450Action;

typedef enum
{
  KIOSK_GA450_DECODE_FRAME, /* a whole answer; *consumed is its size */
  KIOSK_GA450_DECODE_NEED_MORE,
  KIOSK_GA450_DECODE_GARBAGE,  /* *consumed bytes before a frame mean nothing: drop them */
  KIOSK_GA450_DECODE_BAD_FRAME /* bad length or check byte: drop *consumed bytes and look again */
} KioskGa450Decode;

typedef struct
{
  guint8 sw1, sw2, sw3;
  const guint8 *data; /* into the decoded buffer */
  gsize data_length;
} KioskGa450Answer;

/* The command's frame. Transfer full. */
GBytes *kiosk_ga450_encode_command (KioskGa450Command command, const guint8 *data, gsize length);

/* An answer's frame, for tests and the fake reader. Transfer full. */
GBytes *kiosk_ga450_encode_answer (guint8 sw3, const guint8 *data, gsize length);

/* Looks at the start of @buf (what has arrived so far). Reads nothing past
 * @length; never fails on any input. */
KioskGa450Decode kiosk_ga450_decode (const guint8 *buf, gsize length, gsize *consumed,
                                     KioskGa450Answer *answer);

KioskGa450Action kiosk_ga450_status_action (guint8 sw3);
/* A person's words for a status, Chinese first ("未放卡 / No card"). */
const char *kiosk_ga450_status_to_text (guint8 sw3);

/* The text and photo of a read-base answer's data: two big-endian lengths,
 * then the blocks. FALSE when the lengths overrun the data. */
gboolean kiosk_ga450_split_base (const guint8 *data, gsize length, const guint8 **text, gsize *text_length,
                                 gsize *photo_length);

G_END_DECLS
