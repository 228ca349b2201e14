"""Say when a call is about to spend seconds compiling knnor's kernels.

numba compiles each kernel on its first use with new argument types, and
caches the machine code on disk: the first call after an install (or an
upgrade) takes tens of seconds and prints nothing, which looks like a hang.
:func:`compile_notice` logs one warning on the ``"knnor"`` logger as soon as
numba starts compiling one of ``knnor._kernels``' functions during the call;
calls served from the cache say nothing.
"""

import contextlib
import logging

from numba.core import event

logger = logging.getLogger("knnor")

MESSAGE = (
    "compiling knnor's numba kernels for this kind of data (first use only, "
    "up to a minute); later calls and processes load them from the on-disk cache"
)
KERNEL_PACKAGE = "knnor._kernels"


class _FirstKernelCompile(event.Listener):
    """Logs :data:`MESSAGE` at the first compile of a knnor kernel it hears of."""

    def __init__(self):
        self.said = False

    def on_start(self, ev):
        if self.said:
            return
        module = getattr(getattr(ev.data.get("dispatcher"), "py_func", None), "__module__", "")
        if module and module.startswith(KERNEL_PACKAGE):
            self.said = True
            logger.warning(MESSAGE)

    def on_end(self, ev):
        pass


@contextlib.contextmanager
def compile_notice():
    """Within the block, the first compile of a knnor kernel logs :data:`MESSAGE`."""
    with event.install_listener("numba:compile", _FirstKernelCompile()):
        yield
