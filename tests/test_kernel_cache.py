"""numba's cache is dropped when any kernel source changes."""

from knnor._kernels import STAMP_NAME, drop_stale_cache


def test_cache_survives_until_a_kernel_source_changes(tmp_path):
    (tmp_path / "walk.py").write_text("x = 1\n")
    (tmp_path / "filter.py").write_text("y = 2\n")
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    entry = cache / "walk.walk-10.py311.nbi"

    entry.write_text("made before any stamp")
    drop_stale_cache(tmp_path)
    assert not entry.exists() and (cache / STAMP_NAME).exists()

    entry.write_text("made from the current sources")
    (cache / "walk.cpython-311.pyc").write_text("not numba's")
    drop_stale_cache(tmp_path)
    assert entry.exists()

    (tmp_path / "filter.py").write_text("y = 3\n")  # a callee changes, walk.py does not
    drop_stale_cache(tmp_path)
    assert not entry.exists()
    assert (cache / "walk.cpython-311.pyc").exists()
    entry.write_text("made from the new sources")
    drop_stale_cache(tmp_path)
    assert entry.exists()


def test_read_only_cache_is_left_alone(tmp_path):
    (tmp_path / "walk.py").write_text("x = 1\n")
    (tmp_path / "__pycache__").write_text("a file where the directory would be")
    drop_stale_cache(tmp_path)  # no error
