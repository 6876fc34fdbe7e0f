/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A card's fields as a test writes them into a GA 450 text block (UTF-8,
 * each padded with spaces to its width; NULL for blank). */
typedef struct
{
  const char *name, *sex, *nation, *birth, *address, *number, *authority, *valid_from, *valid_until;
  const char *pass_number; /* permits */
  const char *type;        /* "J", "I", "Y" or NULL for a resident ID card */
} Ga450TestCard;

/* The 256-byte UCS-2LE block. */
GBytes *ga450_test_text_block (const Ga450TestCard *card);
/* A resident card for 张三 with a valid number; @valid_until "长期" or a date. */
const Ga450TestCard *ga450_test_card_zhang (void);

/* A GA 450 reader on a pseudo-terminal, answering on its own thread as a
 * real one does, with faults to order. @link is the path the driver opens (a
 * symlink to the pty, so that an unplugged and replugged reader comes back at
 * the same path with a new pty). */
typedef struct _Ga450Fake Ga450Fake;

Ga450Fake *ga450_fake_new (const char *link);
void ga450_fake_free (Ga450Fake *fake);

/* Puts a card with this text block on the reader (NULL takes it away). */
void ga450_fake_set_card (Ga450Fake *fake, GBytes *text);
/* Answers find-card with @sw3 instead (0 for normal). */
void ga450_fake_set_find_status (Ga450Fake *fake, guint8 sw3);
/* Answers select / read with @sw3 instead, the next @times times (0 for ever). */
void ga450_fake_set_read_status (Ga450Fake *fake, guint8 sw3, guint times);
/* Answers nothing at all. */
void ga450_fake_set_silent (Ga450Fake *fake, gboolean silent);
/* Sends noise before every answer, and spoils the check byte of the next
 * @bad answers. */
void ga450_fake_set_noise (Ga450Fake *fake, gboolean noise, guint bad);
/* Cuts the next read-base answer off after @bytes bytes and then goes quiet
 * (a cable pulled mid-read is ga450_fake_unplug). */
void ga450_fake_set_cut (Ga450Fake *fake, guint bytes);
/* After a card is read, keep answering "found" while it lies there (TRUE, some
 * readers) or "no card" until it is put down again (FALSE, others). */
void ga450_fake_set_refind (Ga450Fake *fake, gboolean refind);

/* Closes the pty (the driver sees a hang-up) and removes the link. */
void ga450_fake_unplug (Ga450Fake *fake);
/* A new pty behind the same link. */
void ga450_fake_replug (Ga450Fake *fake);

guint ga450_fake_count_reads (Ga450Fake *fake);
guint ga450_fake_count_finds (Ga450Fake *fake);

G_END_DECLS
