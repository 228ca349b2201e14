"""Run the long-tailed image benchmark grid: in parallel, resumable, order-independent.

For every dataset and repeat ``r``, one balanced test set is held out
(:func:`knnor.datasets.balanced_test_split`, seeded by ``(seed, r)``) and
one long-tailed training set drawn per imbalance ratio
(:func:`knnor.datasets.long_tail_indices`, seeded by ``(seed, r)`` too: the
draws of one repeat are nested, the IR-100 set inside the IR-10 one). Every
sampler and classifier of repeat ``r`` gets ``random_state =``
:func:`~knnor.benchmark.protocol.task_seed` ``(seed, r, 0)``, so a new repeat
is a new seed for the test split, the draw, the samplers and the classifiers.

A task is one (dataset, imbalance ratio, repeat, sampler); it scores every
classifier (:func:`knnor.benchmark.image_protocol.run_image_task`) and is
cached like the other tasks' (:func:`knnor.benchmark.execution.run_tasks`).
"""

import hashlib
import json
from dataclasses import dataclass

import joblib
import numpy as np
from threadpoolctl import threadpool_limits

from knnor.benchmark.execution import backend_params, run_tasks, write_outputs
from knnor.benchmark.image_protocol import (
    IMAGE_RESULT_COLUMNS,
    TOO_SMALL,
    make_image_classifier,
    run_image_task,
)
from knnor.benchmark.image_samplers import make_image_sampler
from knnor.benchmark.protocol import task_seed
from knnor.benchmark.runner import VERSIONS, fingerprint
from knnor.benchmark.specs import parse_spec
from knnor.datasets._images import balanced_test_split, long_tail_indices

IMAGE_SUITES = {
    "digits": ("digits",),
    "mnist5k": ("mnist5k",),
    "all": ("digits", "mnist5k"),
}
"""``--suite`` of ``--task image``: the datasets each runs."""

DEFAULT_IMAGE_SUITE = "all"
DEFAULT_IMBALANCE_RATIOS = (10, 50, 100)
DEFAULT_IMAGE_SAMPLERS = (
    "none",
    "random",
    "class_weight",
    "smote_pixels",
    "smote_latent",
    "knnor_pixels",
    "knnor_latent",
)
DEFAULT_IMAGE_CLASSIFIERS = ("logistic", "knn", "mlp")
IMAGE_CONTROL = "knnor_latent"

TEST_PER_CLASS = {"digits": 50, "mnist5k": 100}
"""Test images held out per class; other datasets: a fifth of the smallest class."""

PROTOCOL_VERSION = 1
"""Bumped when the image protocol changes what a cached task holds."""


def held_out_per_class(name, y):
    """Images per class of the balanced test set of dataset ``name``."""
    if name in TEST_PER_CLASS:
        return TEST_PER_CLASS[name]
    return max(1, int(np.unique(y, return_counts=True)[1].min()) // 5)


@dataclass
class _Prepared:
    """A dataset as the runner uses it: its images, splits and identity."""

    name: str
    images: np.ndarray
    y: np.ndarray
    pixel_max: int
    n_test_per_class: int
    splits: dict
    """(imbalance ratio, repeat) -> (train, test) indices into ``images``."""
    fingerprint: str


def _summary_line(dataset, ratio, n_test, train_counts):
    counts = np.asarray(train_counts)
    return {
        "dataset": dataset.name,
        "image_shape": "x".join(map(str, dataset.images.shape[1:])),
        "n_images": len(dataset.y),
        "n_classes": len(counts),
        "pixel_max": dataset.pixel_max,
        "imbalance_ratio": ratio,
        "n_test_per_class": n_test,
        "n_train": int(counts.sum()),
        "train_counts": json.dumps(counts.tolist()),
        "realised_imbalance_ratio": float(counts[0] / counts[-1]),
    }


def _prepare(datasets, ratios, n_repeats, seed):
    """Splits of every dataset, and a line per dataset and ratio for datasets.csv."""
    prepared, summary = [], []
    for dataset in datasets:
        if any(dataset.name == p.name for p in prepared):
            raise ValueError(f"two datasets are named {dataset.name!r}")
        images, y = np.asarray(dataset.images), np.asarray(dataset.y)
        n_test = held_out_per_class(dataset.name, y)
        splits = {}
        for repeat in range(n_repeats):
            pool, test = balanced_test_split(y, n_test, np.random.default_rng([seed, repeat]))
            for ratio in ratios:
                draw = long_tail_indices(y[pool], ratio, np.random.default_rng([seed, repeat, 1]))
                splits[ratio, repeat] = (pool[draw], test)
        for ratio in ratios:
            train = splits[ratio, 0][0]
            counts = np.unique(y[train], return_counts=True)[1]
            summary.append(_summary_line(dataset, ratio, n_test, counts))
        digest = fingerprint(images.reshape(len(y), -1), y)
        prepared.append(
            _Prepared(dataset.name, images, y, dataset.pixel_max, n_test, splits, digest)
        )
    return prepared, summary


def _task_key(dataset, ratio, repeat, sampler, classifiers, seed):
    """Hash of everything a task's rows depend on."""
    payload = [
        "image",
        PROTOCOL_VERSION,
        dataset.name,
        dataset.fingerprint,
        dataset.pixel_max,
        dataset.n_test_per_class,
        ratio,
        repeat,
        [sampler.name, sampler.params],
        [[c.label, c.name, c.params] for c in classifiers],
        seed,
        VERSIONS,
    ]
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _run_task(index, images, y, train, test, sampler, classifiers, pixel_max, random_state):
    # One BLAS/OpenMP thread per task: tasks are the unit of parallelism.
    with threadpool_limits(limits=1):
        rows = run_image_task(
            images, y, train, test, sampler, classifiers, pixel_max=pixel_max, seed=random_state
        )
        return index, rows


def parse_ratios(text):
    """``"10,50,100"`` as ``[10, 50, 100]`` (integers where they are whole)."""
    ratios = []
    for part in str(text).split(","):
        if not part.strip():
            continue
        try:
            value = float(part)
        except ValueError:
            raise ValueError(f"imbalance ratios must be numbers, got {part.strip()!r}") from None
        if not value >= 1:
            raise ValueError(f"an imbalance ratio must be at least 1, got {part.strip()}")
        ratios.append(int(value) if value.is_integer() else value)
    if not ratios or len(set(ratios)) < len(ratios):
        raise ValueError(f"expected distinct imbalance ratios, got {text!r}")
    return ratios


def run_image_benchmark(
    datasets,
    samplers=DEFAULT_IMAGE_SAMPLERS,
    classifiers=DEFAULT_IMAGE_CLASSIFIERS,
    *,
    imbalance_ratios=DEFAULT_IMBALANCE_RATIOS,
    n_repeats=2,
    seed=0,
    n_jobs=1,
    backend=None,
    address=None,
    out_dir=None,
    progress=True,
):
    """Score every image sampler with every classifier on every long-tailed draw.

    Parameters
    ----------
    datasets : iterable of ImageDataset
        Objects with ``name``, ``images``, ``y`` and ``pixel_max``, such as
        :func:`knnor.datasets.load_image_dataset` returns.
    samplers, classifiers : sequence of str or Spec
        Keys of :data:`~knnor.benchmark.image_samplers.IMAGE_SAMPLERS` and
        :data:`~knnor.benchmark.image_protocol.IMAGE_CLASSIFIERS` (or import
        paths), optionally with JSON parameters; labels must be unique.
    imbalance_ratios : sequence of float, default=(10, 50, 100)
    n_repeats, seed : int
    n_jobs : int or None, default=1
    backend, address : str or None
        See :func:`knnor.benchmark.execution.backend_params`.
    out_dir : path-like or None
        Where to write results.csv (and results.parquet with pyarrow),
        datasets.csv (the long-tailed class counts of each dataset and ratio),
        run.json and the task cache. ``None``: nothing is written or resumed.
    progress : bool, default=True

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~knnor.benchmark.image_protocol.IMAGE_RESULT_COLUMNS`,
        rows in the order dataset, ratio, repeat, sampler, classifier.
    """
    samplers = [parse_spec(s) for s in samplers]
    classifiers = [parse_spec(c) for c in classifiers]
    ratios = list(imbalance_ratios)
    for kind, specs in (("sampler", samplers), ("classifier", classifiers)):
        labels = [s.label for s in specs]
        if len(set(labels)) < len(labels):
            raise ValueError(f"{kind} labels must be unique, got {labels}")
        if not specs:
            raise ValueError(f"no {kind} to run")
    params = backend_params(backend, address)
    for spec in samplers:  # fail on a typo now, not once per task
        make_image_sampler(spec, 0)
    for spec in classifiers:
        make_image_classifier(spec, 0)

    prepared, summary = _prepare(datasets, ratios, n_repeats, seed)
    tasks = [
        (dataset, ratio, repeat, sampler)
        for dataset in prepared
        for ratio in ratios
        for repeat in range(n_repeats)
        for sampler in samplers
    ]

    def key(task):
        dataset, ratio, repeat, sampler = task
        return _task_key(dataset, ratio, repeat, sampler, classifiers, seed)

    def call(index, task):
        dataset, ratio, repeat, sampler = task
        train, test = dataset.splits[ratio, repeat]
        random_state = task_seed(seed, repeat, 0)
        return joblib.delayed(_run_task)(
            index,
            dataset.images,
            dataset.y,
            train,
            test,
            sampler,
            classifiers,
            dataset.pixel_max,
            random_state,
        )

    def identity(task):
        dataset, ratio, repeat, sampler = task
        return {
            "dataset": dataset.name,
            "imbalance_ratio": ratio,
            "sampler": sampler.label,
            "repeat": repeat,
        }

    frame = run_tasks(
        tasks,
        key=key,
        call=call,
        identity=identity,
        columns=IMAGE_RESULT_COLUMNS,
        out_dir=out_dir,
        n_jobs=n_jobs,
        backend=backend,
        params=params,
        progress=progress,
    )
    frame = frame.astype({"n_synthetic": "float64", "imbalance_ratio": "float64"})
    frame["weighting"] = frame["weighting"].fillna("")
    if out_dir is not None:
        run = {
            "task": "image",
            "samplers": [s.label for s in samplers],
            "sampler_specs": {s.label: [s.name, s.params] for s in samplers},
            "classifiers": [c.label for c in classifiers],
            "classifier_specs": {c.label: [c.name, c.params] for c in classifiers},
            "imbalance_ratios": ratios,
            "n_repeats": n_repeats,
            "seed": seed,
            "test_per_class": {d.name: d.n_test_per_class for d in prepared},
            "too_small_status": TOO_SMALL,
            "versions": VERSIONS,
        }
        write_outputs(out_dir, frame, summary, run)
    return frame
