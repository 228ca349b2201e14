"""The machine a bench_vs_smote.py run measures: CPU, cores, versions, load."""

import os
import platform

import imblearn
import numba
import numpy as np
import sklearn

import knnor


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def load_average():
    """'1.02, 0.87, 0.66 (1, 5, 15 min)', or 'n/a' where the OS does not say."""
    try:
        loads = os.getloadavg()
    except (AttributeError, OSError):
        return "n/a"
    return ", ".join(f"{load:.2f}" for load in loads) + " (1, 5, 15 min)"


def machine_report():
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return [
        f"CPU: {cpu_model()}",
        f"cores: {os.cpu_count()} logical, {usable} usable by this process, "
        f"numba threads available: {numba.config.NUMBA_NUM_THREADS}",
        f"load average at start: {load_average()}",
        f"Python {platform.python_version()} ({platform.system()} {platform.release()})",
        f"numpy {np.__version__}, numba {numba.__version__}, scikit-learn {sklearn.__version__}, "
        f"imbalanced-learn {imblearn.__version__}, knnor {knnor.__version__}",
    ]
