/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Progress of a long `ipctrace run` on stderr, a terminal only: after two
 * seconds, one line "ipctrace run pipe: 3 s" rewritten in place every
 * second, and erased when the run is over. A thread of its own that blocks
 * every signal (the run's handlers stay the main thread's); the workers are
 * other processes, so it adds nothing to their figures.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

/* Start showing @what (kept by pointer: it must outlive progress_stop). */
void progress_start(const char *what);
/* Stop, and erase the line if one was shown. */
void progress_stop(void);

#endif /* PROGRESS_H */
