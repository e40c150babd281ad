/* speech_alsa.h — the loudspeaker or headphones: the default ALSA device
 * (PulseAudio or PipeWire through ALSA's default plug when they run).
 *
 * A small buffer (40 ms) so that dropping it is the "silence at once" a key
 * asks for.  Used only from devices/speech.c's worker thread. */
#ifndef DEVICES_SPEECH_ALSA_H
#define DEVICES_SPEECH_ALSA_H

struct pcm_out;

/* Open the default device for 16-bit mono at rate.  KERR_NODEV with a
 * detail naming ALSA's reason when there is no device. */
int pcm_open(int rate, struct pcm_out **out);
/* Play n samples (blocks while the buffer is full). */
int pcm_write(struct pcm_out *p, const short *pcm, int n);
/* Stop at once, dropping what is buffered. */
void pcm_drop(struct pcm_out *p);
/* Let what is buffered play out. */
void pcm_drain(struct pcm_out *p);
void pcm_close(struct pcm_out **p);

#endif
