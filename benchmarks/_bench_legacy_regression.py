"""Time smogn 0.1.2 or ImbalancedLearningRegression 0.0.2 on saved data.

Both fail on numpy 2, so ``bench_regression.py --legacy-python PATH`` runs this
file with another interpreter (a virtual environment with ``numpy<2``,
``pandas<2.2``, ``smogn`` and ``ImbalancedLearningRegression``) and reads the
seconds it prints. Usage: ``python _bench_legacy_regression.py DATA.npz smogn|iblr``.
"""

import sys
import time
import warnings

import numpy as np
import pandas as pd


def main(path, package):
    data = np.load(path)
    frame = pd.DataFrame(data["X"], columns=[f"x{i}" for i in range(data["X"].shape[1])])
    frame["y"] = data["y"]
    warnings.simplefilter("ignore")
    if package == "smogn":
        import smogn

        resample = smogn.smoter
    else:
        import ImbalancedLearningRegression as iblr

        resample = iblr.smote
    start = time.perf_counter()
    resample(data=frame, y="y", samp_method="balance", rel_thres=0.8)
    print(time.perf_counter() - start)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
