"""A dependency-free progress bar for long benchmark runs, on stderr."""

import sys
import time


def _clock(seconds):
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


class Progress:
    """Count finished tasks and estimate the time left.

    The estimate uses the tasks run in this session only, so tasks loaded
    from the cache of an earlier run do not make it optimistic. On a
    terminal the bar is redrawn in place (at most every ``min_interval``
    seconds); elsewhere (a log file) a line is written every 10%.

    Parameters
    ----------
    total : int
        Number of tasks.
    done : int, default=0
        Tasks already finished (cached) before this run.
    stream : file-like, default=sys.stderr
    enabled : bool, default=True
    min_interval : float, default=0.2
    """

    def __init__(self, total, *, done=0, stream=None, enabled=True, min_interval=0.2):
        self.total = total
        self.cached = self.done = done
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.min_interval = min_interval
        self.interactive = getattr(self.stream, "isatty", lambda: False)()
        self.start = time.perf_counter()
        self.last_draw = -min_interval
        self.drawn = done
        self._draw()

    def update(self, n=1):
        """Record ``n`` more finished tasks."""
        self.done += n
        if self.interactive:
            if time.perf_counter() - self.last_draw >= self.min_interval:
                self._draw()
        elif self._decile(self.done) > self._decile(self.drawn):
            self._draw()

    def close(self):
        """Draw the final state and end the line."""
        if self.interactive:
            self._draw()
            if self.enabled:
                self.stream.write("\n")
        elif self.done != self.drawn:
            self._draw()

    def line(self):
        """The progress text: bar, counts, elapsed time and estimate."""
        elapsed = time.perf_counter() - self.start
        ran = self.done - self.cached
        eta = _clock(elapsed / ran * (self.total - self.done)) if ran else "?"
        filled = 30 * self.done // max(self.total, 1)
        cached = f", {self.cached} cached" if self.cached else ""
        return (
            f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} tasks{cached}"
            f" | {_clock(elapsed)} elapsed | ETA {eta}"
        )

    def _decile(self, done):
        return done * 10 // max(self.total, 1)

    def _draw(self):
        if not self.enabled:
            return
        self.last_draw = time.perf_counter()
        self.drawn = self.done
        self.stream.write("\r" + self.line() if self.interactive else self.line() + "\n")
        self.stream.flush()
