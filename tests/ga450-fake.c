/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ga450-fake"

#include "ga450-fake.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk-ga450.h"

static void
put_field (guint8 *block, guint start, guint width, const char *text)
{
  g_autofree gunichar2 *units = NULL;
  glong n = 0;

  for (guint i = 0; i < width; i++)
    {
      block[2 * (start + i)] = ' ';
      block[2 * (start + i) + 1] = 0;
    }
  if (text == NULL)
    return;
  units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  g_assert_nonnull (units);
  g_assert_cmpint (n, <=, width);
  for (glong i = 0; i < n; i++)
    {
      block[2 * (start + i)] = (guint8)(units[i] & 0xFF);
      block[2 * (start + i) + 1] = (guint8)(units[i] >> 8);
    }
}

GBytes *
ga450_test_text_block (const Ga450TestCard *card)
{
  guint8 block[256];

  put_field (block, 0, 15, card->name);
  put_field (block, 15, 1, card->sex);
  put_field (block, 16, 2, card->nation);
  put_field (block, 18, 8, card->birth);
  put_field (block, 26, 35, card->address);
  put_field (block, 61, 18, card->number);
  put_field (block, 79, 15, card->authority);
  put_field (block, 94, 8, card->valid_from);
  put_field (block, 102, 8, card->valid_until);
  put_field (block, 110, 9, card->pass_number);
  put_field (block, 119, 5, NULL);
  put_field (block, 124, 1, card->type);
  put_field (block, 125, 3, NULL);
  return g_bytes_new (block, sizeof block);
}

const Ga450TestCard *
ga450_test_card_zhang (void)
{
  static const Ga450TestCard card = {
    .name = "张三",
    .sex = "1",
    .nation = "01",
    .birth = "19491231",
    .address = "北京市东城区景山前街4号",
    .number = "11010519491231002X",
    .authority = "北京市公安局东城分局",
    .valid_from = "20200101",
    .valid_until = "长期",
  };
  return &card;
}

struct _Ga450Fake
{
  char *link;
  int master;
  GThread *thread;
  GMutex lock;
  gboolean stop;

  /* Under lock */
  GBytes *card;
  gboolean read_since_placed;
  gboolean refind;
  guint8 find_status;
  guint8 read_status;
  guint read_status_times;
  gboolean silent;
  gboolean noise;
  guint bad;
  guint cut;
  guint n_reads, n_finds;
};

static void
send_answer (Ga450Fake *fake, int fd, guint8 sw3, const guint8 *data, gsize length)
{
  g_autoptr (GBytes) frame = kiosk_ga450_encode_answer (sw3, data, length);
  gsize size = g_bytes_get_size (frame);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (frame, NULL), size);
  static const guint8 noise[] = { 0x00, 0xAA, 0x55, 0xAA, 0xAA, 0x13 };

  if (fake->noise && write (fd, noise, sizeof noise) < 0)
    return;
  if (fake->bad > 0)
    {
      fake->bad--;
      copy[size - 1] ^= 0xFF;
    }
  if (fake->cut > 0 && size > fake->cut)
    {
      size = fake->cut;
      fake->cut = 0;
      fake->silent = TRUE;
    }
  for (gsize done = 0; done < size;)
    {
      ssize_t n = write (fd, copy + done, size - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      done += (gsize)n;
    }
}

static gboolean
take_read_status (Ga450Fake *fake, guint8 *sw3)
{
  if (fake->read_status == 0)
    return FALSE;
  *sw3 = fake->read_status;
  if (fake->read_status_times > 0 && --fake->read_status_times == 0)
    fake->read_status = 0;
  return TRUE;
}

static void
answer (Ga450Fake *fake, int fd, guint8 cmd, guint8 para)
{
  guint8 sw3;
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&fake->lock);

  if (fake->silent)
    return;
  if (cmd == 0x20 && para == 0x01)
    {
      static const guint8 zeros[4] = { 0 };
      fake->n_finds++;
      if (fake->find_status != 0)
        sw3 = fake->find_status;
      else if (fake->card == NULL || (fake->read_since_placed && !fake->refind))
        sw3 = 0x80;
      else
        sw3 = 0x9F;
      send_answer (fake, fd, sw3, zeros, sw3 == 0x9F ? 4 : 0);
    }
  else if (cmd == 0x20 && para == 0x02)
    {
      static const guint8 zeros[8] = { 0 };
      if (take_read_status (fake, &sw3))
        send_answer (fake, fd, sw3, NULL, 0);
      else
        send_answer (fake, fd, fake->card != NULL ? 0x90 : 0x81, zeros, fake->card != NULL ? 8 : 0);
    }
  else if (cmd == 0x30 && para == 0x01)
    {
      GByteArray *data;
      gsize text_length;
      const guint8 *text;
      guint8 photo[1024];

      if (take_read_status (fake, &sw3) || fake->card == NULL)
        {
          send_answer (fake, fd, fake->card != NULL ? sw3 : 0x41, NULL, 0);
          return;
        }
      text = g_bytes_get_data (fake->card, &text_length);
      data = g_byte_array_new ();
      g_byte_array_append (data, (guint8[]){ (guint8)(text_length >> 8), (guint8)text_length, 0x04, 0x00 },
                           4);
      g_byte_array_append (data, text, (guint)text_length);
      /* A photo's worth of bytes that the driver must drop unread. */
      memset (photo, 0x57, sizeof photo);
      g_byte_array_append (data, photo, sizeof photo);
      send_answer (fake, fd, 0x90, data->data, data->len);
      g_byte_array_unref (data);
      fake->n_reads++;
      fake->read_since_placed = TRUE;
    }
  else
    send_answer (fake, fd, 0x21, NULL, 0);
}

static gpointer
fake_thread (gpointer data)
{
  Ga450Fake *fake = data;
  GByteArray *in = g_byte_array_new ();
  int fd;

  g_mutex_lock (&fake->lock);
  fd = fake->master;
  g_mutex_unlock (&fake->lock);

  while (!g_atomic_int_get (&fake->stop))
    {
      struct pollfd p = { fd, POLLIN, 0 };
      guint8 buf[256];
      ssize_t n;

      if (poll (&p, 1, 20) <= 0)
        continue;
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        {
          /* EIO while no one has the pty open: wait for the driver. */
          g_usleep (10000);
          continue;
        }
      g_byte_array_append (in, buf, (guint)n);
      /* Commands are 10 bytes: AA AA AA 96 69 00 03 CMD PARA XOR. */
      while (in->len >= 10)
        {
          static const guint8 head[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03 };
          if (memcmp (in->data, head, sizeof head) != 0)
            {
              g_byte_array_remove_index (in, 0);
              continue;
            }
          if ((0x00 ^ 0x03 ^ in->data[7] ^ in->data[8]) == in->data[9])
            answer (fake, fd, in->data[7], in->data[8]);
          g_byte_array_remove_range (in, 0, 10);
        }
    }
  g_byte_array_unref (in);
  return NULL;
}

static void
plug (Ga450Fake *fake)
{
  struct termios raw = { 0 };
  int master, slave;
  char name[128];

  cfmakeraw (&raw);
  cfsetspeed (&raw, B115200);
  g_assert_cmpint (openpty (&master, &slave, name, &raw, NULL), ==, 0);
  /* The driver opens its own end; ours would keep the line up after a hang-up. */
  close (slave);
  g_unlink (fake->link);
  g_assert_cmpint (symlink (name, fake->link), ==, 0);
  fake->master = master;
  g_atomic_int_set (&fake->stop, FALSE);
  fake->thread = g_thread_new ("ga450-fake", fake_thread, fake);
}

Ga450Fake *
ga450_fake_new (const char *link)
{
  Ga450Fake *fake = g_new0 (Ga450Fake, 1);

  g_mutex_init (&fake->lock);
  fake->link = g_strdup (link);
  fake->master = -1;
  plug (fake);
  return fake;
}

void
ga450_fake_unplug (Ga450Fake *fake)
{
  if (fake->thread == NULL)
    return;
  g_atomic_int_set (&fake->stop, TRUE);
  g_thread_join (g_steal_pointer (&fake->thread));
  close (fake->master);
  fake->master = -1;
  g_unlink (fake->link);
}

void
ga450_fake_replug (Ga450Fake *fake)
{
  ga450_fake_unplug (fake);
  plug (fake);
}

void
ga450_fake_free (Ga450Fake *fake)
{
  ga450_fake_unplug (fake);
  g_clear_pointer (&fake->card, g_bytes_unref);
  g_mutex_clear (&fake->lock);
  g_free (fake->link);
  g_free (fake);
}

#define LOCKED(fake) g_autoptr (GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(fake)->lock)

void
ga450_fake_set_card (Ga450Fake *fake, GBytes *text)
{
  LOCKED (fake);
  g_clear_pointer (&fake->card, g_bytes_unref);
  fake->card = text != NULL ? g_bytes_ref (text) : NULL;
  fake->read_since_placed = FALSE;
}

void
ga450_fake_set_find_status (Ga450Fake *fake, guint8 sw3)
{
  LOCKED (fake);
  fake->find_status = sw3;
}

void
ga450_fake_set_read_status (Ga450Fake *fake, guint8 sw3, guint times)
{
  LOCKED (fake);
  fake->read_status = sw3;
  fake->read_status_times = times;
}

void
ga450_fake_set_silent (Ga450Fake *fake, gboolean silent)
{
  LOCKED (fake);
  fake->silent = silent;
}

void
ga450_fake_set_noise (Ga450Fake *fake, gboolean noise, guint bad)
{
  LOCKED (fake);
  fake->noise = noise;
  fake->bad = bad;
}

void
ga450_fake_set_cut (Ga450Fake *fake, guint bytes)
{
  LOCKED (fake);
  fake->cut = bytes;
}

void
ga450_fake_set_refind (Ga450Fake *fake, gboolean refind)
{
  LOCKED (fake);
  fake->refind = refind;
}

guint
ga450_fake_count_reads (Ga450Fake *fake)
{
  LOCKED (fake);
  return fake->n_reads;
}

guint
ga450_fake_count_finds (Ga450Fake *fake)
{
  LOCKED (fake);
  return fake->n_finds;
}
